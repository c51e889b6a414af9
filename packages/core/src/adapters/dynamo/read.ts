import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Store } from './client.ts'
import { type Condition, type Key, namesIn, type Readable } from './entity.ts'
import { decodeCursor, encodeCursor, type Page } from './page.ts'
import { type IndexName, table } from './table.ts'

/** The projection members of a read of only `attributes` (all when `undefined`). */
function projectionOf(attributes: readonly string[] | undefined) {
  const expression = attributes?.map((name) => `#${name}`).join(', ')
  return { ProjectionExpression: expression, ExpressionAttributeNames: namesIn(expression) }
}

/**
 * The item `id` names, parsed, or `undefined` when there is none. One strongly consistent `GetItem`:
 * every read that decides a write must see the last committed write.
 */
export async function get<Item, Id>(
  store: Store,
  entity: Readable<Item, Id>,
  id: Id,
): Promise<Item | undefined> {
  const { Item } = await store.doc.send(
    new GetCommand({
      TableName: store.tableName,
      Key: entity.key(id),
      ConsistentRead: true,
      ...projectionOf(entity.attributes),
    }),
  )
  return Item === undefined ? undefined : entity.parse(Item)
}

/** One item of a {@link batchGet}: what reads it and its id. */
type Read = readonly [Readable<unknown, never>, unknown]
type ItemsOf<Reads extends readonly Read[]> = {
  -readonly [K in keyof Reads]: Reads[K] extends readonly [Readable<infer Item, never>, unknown]
    ? Item | undefined
    : never
}
/** Each read's id is of the type its readable takes. */
type Ids<Reads extends readonly Read[]> = {
  [K in keyof Reads]: Reads[K] extends readonly [Readable<unknown, infer Id>, unknown]
    ? readonly [Reads[K][0], Id]
    : never
}

/** The most keys one `BatchGetItem` takes. */
const BATCH_KEYS = 100
/** How often keys DynamoDB left unprocessed (throttling) are sent; after that they read as missing. */
const BATCH_ATTEMPTS = 3

/**
 * Several items by key, each parsed by its own readable (`undefined` where there is none), in the
 * order asked: a mentor and their load counter in one `BatchGetItem`. One call per 100 keys (in
 * parallel); keys left unprocessed are sent again, {@link BATCH_ATTEMPTS} times at most. When every
 * readable names its `attributes`, only those are read. `consistent` for reads that decide a write.
 *
 * @example
 * const [mentor, load] = await batchGet(store, [[Mentor, { id }], [MentorLoad, { mentorId: id }]], { consistent: true })
 */
export async function batchGet<const Reads extends readonly Read[]>(
  store: Store,
  reads: Reads & Ids<Reads>,
  options: { consistent?: boolean } = {},
): Promise<ItemsOf<Reads>> {
  const at = (key: object) => {
    const { [table.partitionKey]: pk, [table.sortKey]: sk } = key as Record<string, unknown>
    return `${pk}\n${sk}`
  }
  const keys = reads.map(([readable, id]) => readable.key(id as never))
  // The same key twice is a `ValidationError` for DynamoDB: each is asked for once.
  const distinct = [...new Map(keys.map((key) => [at(key), key])).values()]
  const views = reads.map(([readable]) => readable.attributes)
  const projection = views.every((view) => view !== undefined)
    ? projectionOf([...new Set([table.partitionKey, table.sortKey, ...views.flat()])])
    : {}
  const found = new Map<string, Record<string, unknown>>()
  const chunks = Array.from({ length: Math.ceil(distinct.length / BATCH_KEYS) }, (_, index) =>
    distinct.slice(index * BATCH_KEYS, (index + 1) * BATCH_KEYS),
  )
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Key[] = chunk
      for (let attempt = 0; pending.length > 0 && attempt < BATCH_ATTEMPTS; attempt++) {
        const { Responses, UnprocessedKeys } = await store.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [store.tableName]: { Keys: pending, ConsistentRead: options.consistent, ...projection },
            },
          }),
        )
        for (const item of Responses?.[store.tableName] ?? []) found.set(at(item), item)
        pending = (UnprocessedKeys?.[store.tableName]?.Keys ?? []) as Key[]
      }
    }),
  )
  return reads.map(([readable], index) => {
    const item = found.get(at(keys[index] as Key))
    return item === undefined ? undefined : readable.parse(item)
  }) as ItemsOf<Reads>
}

/**
 * One list: a partition of the table or of an index, optionally narrowed to sort keys starting with
 * `prefix` or within a `range`. Entities declare their lists (`Request.inRegion(…)`); domain modules
 * only pick one.
 */
export interface List<T> {
  /** The index to read; the table itself when absent. */
  index?: IndexName | undefined
  /** The partition: the value of the table's or index's hash key. */
  partition: string
  /** Only sort keys that start with this (`begins_with`); all when empty. */
  prefix?: string | undefined
  /** Only sort keys from `from` to `to`, both included (either may be open); ignored with a `prefix`. */
  range?: { from?: string | undefined; to?: string | undefined } | undefined
  /** A filter on the items read (a page may then hold fewer than `limit`; the cursor still moves on). */
  filter?: Condition | undefined
  newestFirst?: boolean | undefined
  /** Strongly consistent (table only). */
  consistent?: boolean | undefined
  /** Parses one item; `undefined` leaves it out (another entity in the same partition). */
  parse: (raw: Record<string, unknown>) => T | undefined
}

/**
 * One page of `list`, with the opaque cursor of the next. A cursor must point into the same list
 * (same partition, same prefix or range), or it is a `ValidationError`: a cursor never opens another list.
 * Without `limit`, one `Query` page (DynamoDB's 1 MB) is read. One `Query`.
 */
export async function query<T>(
  store: Store,
  list: List<T>,
  page: { limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<Page<T>> {
  const hash = list.index ? table.indexes[list.index].hashKey : table.partitionKey
  const sort = list.index ? table.indexes[list.index].rangeKey : table.sortKey
  const prefix = list.prefix ?? ''
  const { from, to } = prefix ? {} : (list.range ?? {})
  const attributes = [...new Set([table.partitionKey, table.sortKey, hash, sort])]
  const start = decodeCursor(page.cursor, attributes, (key) => {
    const at = key[sort] ?? ''
    return (
      key[hash] === list.partition &&
      at.startsWith(prefix) &&
      (from === undefined || at >= from) &&
      (to === undefined || at <= to)
    )
  })
  const bounds = prefix
    ? `begins_with(#${sort}, :prefix)`
    : from !== undefined && to !== undefined
      ? `#${sort} BETWEEN :rangeFrom AND :rangeTo`
      : from !== undefined
        ? `#${sort} >= :rangeFrom`
        : to !== undefined
          ? `#${sort} <= :rangeTo`
          : undefined
  const keyCondition = `#${hash} = :partition${bounds ? ` AND ${bounds}` : ''}`
  const { Items = [], LastEvaluatedKey } = await store.doc.send(
    new QueryCommand({
      TableName: store.tableName,
      IndexName: list.index,
      KeyConditionExpression: keyCondition,
      FilterExpression: list.filter?.expression,
      ExpressionAttributeNames: namesIn(keyCondition, list.filter?.expression),
      ExpressionAttributeValues: {
        ':partition': list.partition,
        ...(prefix ? { ':prefix': prefix } : {}),
        ...(from === undefined ? {} : { ':rangeFrom': from }),
        ...(to === undefined ? {} : { ':rangeTo': to }),
        ...list.filter?.values,
      },
      ScanIndexForward: !list.newestFirst,
      ConsistentRead: list.consistent,
      Limit: page.limit,
      ExclusiveStartKey: start,
    }),
  )
  const items: T[] = []
  for (const item of Items) {
    const parsed = list.parse(item)
    if (parsed !== undefined) items.push(parsed)
  }
  return { items, nextCursor: encodeCursor(LastEvaluatedKey) }
}
