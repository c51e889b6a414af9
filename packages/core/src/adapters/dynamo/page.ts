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
  const start = checkedKey(parseCursor(cursor), attributes, belongs)
  if (start === undefined) throw invalidCursor()
  return start
}

/**
 * Where a merged read of a spread list stands in each of its partitions: after a key, at the start
 * (`null`), or at the end (`'end'`), one entry per partition in order.
 */
export type Positions = Array<Record<string, string> | null | 'end'>

/** An opaque cursor for a merged read: each partition's position, base64url JSON. */
export function encodePositions(positions: Positions): string | null {
  return positions.every((at) => at === 'end')
    ? null
    : Buffer.from(JSON.stringify(positions)).toString('base64url')
}

/**
 * Reads a merged read's cursor back: one position per partition (`partitions` of them), each key
 * checked as {@link decodeCursor} checks one, with `belongs(key, partition)`. Without a cursor, every
 * partition from its start.
 */
export function decodePositions(
  cursor: string | undefined,
  partitions: number,
  attributes: readonly string[],
  belongs: (key: Record<string, string>, partition: number) => boolean,
): Positions {
  if (cursor === undefined) return Array.from({ length: partitions }, () => null)
  const positions = parseCursor(cursor)
  if (!Array.isArray(positions) || positions.length !== partitions) throw invalidCursor()
  return positions.map((at, partition) => {
    if (at === null || at === 'end') return at
    const key = checkedKey(at, attributes, (of) => belongs(of, partition))
    if (key === undefined) throw invalidCursor()
    return key
  })
}

const invalidCursor = () => new ValidationError([{ path: 'cursor', key: 'field.cursor' }])

function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
}

/** `key` as a start key when it holds exactly `attributes`, all short strings, and `belongs`. */
function checkedKey(
  key: unknown,
  attributes: readonly string[],
  belongs: (key: Record<string, string>) => boolean,
): Record<string, string> | undefined {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return undefined
  const entries = Object.entries(key)
  if (entries.length !== attributes.length) return undefined
  const start: Record<string, string> = {}
  for (const [name, value] of entries) {
    if (!attributes.includes(name) || typeof value !== 'string' || value.length > 1024) return undefined
    start[name] = value
  }
  return belongs(start) ? start : undefined
}
