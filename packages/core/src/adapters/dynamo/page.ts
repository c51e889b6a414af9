/**
 * Pages and their cursors, apart from the query itself so the API's routes can read the page sizes
 * without loading the SDK.
 */
import { ValidationError } from '../../errors/index.ts'

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
