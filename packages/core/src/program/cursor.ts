import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { ValidationError } from '../errors/index.ts'
import type { Store } from '../store.ts'

/** The default and largest page sizes of every list. */
export const PAGE_DEFAULT = 20
export const PAGE_MAX = 100

/** One page of a list and the opaque cursor of the next, `null` at the end. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** An opaque cursor: DynamoDB's `LastEvaluatedKey`, base64url JSON. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : null
}

/**
 * Reads a cursor back into an `ExclusiveStartKey`. It must hold exactly `attributes`, all strings, and
 * pass `belongs` (the key lies in the list being read): a forged or stale cursor is a 400, never a
 * DynamoDB error and never a way into another list.
 */
export function decodeCursor(
  cursor: string | undefined,
  attributes: readonly string[],
  belongs: (key: Record<string, string>) => boolean,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined
  const invalid = () => new ValidationError([{ path: 'cursor', key: 'field.cursor' }])
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid()
  const entries = Object.entries(key)
  if (entries.length !== attributes.length) throw invalid()
  const start: Record<string, string> = {}
  for (const [name, value] of entries) {
    if (!attributes.includes(name) || typeof value !== 'string' || value.length > 1024) throw invalid()
    start[name] = value
  }
  if (!belongs(start)) throw invalid()
  return start
}

export interface OwnerListOptions {
  /** `byOwnerPk`: `MENTOR#<id>`, `REQUEST#<id>` … */
  owner: string
  /** The kind of child, the start of `byOwnerSk`: `OFFER`, `ENGAGEMENT`, `SESSION`. */
  kind: string
  limit: number
  cursor?: string | undefined
  /** Only children in this status (a filter: a page may hold fewer than `limit`; the cursor still moves on). */
  status?: string | undefined
  newestFirst?: boolean
}

/**
 * One page of a parent's children of one kind from the `byOwner` index, with an opaque cursor that
 * must point into the same list. One `Query`; items come back raw, for the caller to parse.
 */
export async function listByOwner(
  store: Store,
  options: OwnerListOptions,
): Promise<Page<Record<string, unknown>>> {
  const { owner, status } = options
  const kind = `${options.kind}#`
  const start = decodeCursor(
    options.cursor,
    ['pk', 'sk', 'byOwnerPk', 'byOwnerSk'],
    (key) => key.byOwnerPk === owner && key.byOwnerSk?.startsWith(kind) === true,
  )
  const { Items = [], LastEvaluatedKey } = await store.doc.send(
    new QueryCommand({
      TableName: store.tableName,
      IndexName: 'byOwner',
      KeyConditionExpression: 'byOwnerPk = :owner AND begins_with(byOwnerSk, :kind)',
      ...(status
        ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
        : {}),
      ExpressionAttributeValues: { ':owner': owner, ':kind': kind, ...(status ? { ':status': status } : {}) },
      ScanIndexForward: !options.newestFirst,
      Limit: options.limit,
      ExclusiveStartKey: start,
    }),
  )
  return { items: Items, nextCursor: encodeCursor(LastEvaluatedKey) }
}
