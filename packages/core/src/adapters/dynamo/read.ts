import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Store } from './client.ts'
import { type Condition, type Key, namesIn, type Readable } from './entity.ts'
import {
  decodeCursor,
  decodePositions,
  encodeCursor,
  encodePositions,
  PAGE_DEFAULT,
  type Page,
  type Positions,
} from './page.ts'
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

/** The key attributes of `list`'s items, the sort key it is ordered by and what a start key must satisfy. */
function shapeOf(list: List<unknown>) {
  const hash = list.index ? table.indexes[list.index].hashKey : table.partitionKey
  const sort = list.index ? table.indexes[list.index].rangeKey : table.sortKey
  const prefix = list.prefix ?? ''
  const { from, to } = prefix ? {} : (list.range ?? {})
  const attributes = [...new Set([table.partitionKey, table.sortKey, hash, sort])]
  /** The key lies in this list (same partition, inside the prefix or range). */
  const belongs = (key: Record<string, string>) => {
    const at = key[sort] ?? ''
    return (
      key[hash] === list.partition &&
      at.startsWith(prefix) &&
      (from === undefined || at >= from) &&
      (to === undefined || at <= to)
    )
  }
  return { hash, sort, prefix, from, to, attributes, belongs }
}

/** One `Query` of `list` from `start`: the items as stored and DynamoDB's `LastEvaluatedKey`. */
async function queryRaw(
  store: Store,
  list: List<unknown>,
  limit: number | undefined,
  start: Record<string, string> | undefined,
) {
  const { hash, sort, prefix, from, to } = shapeOf(list)
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
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  )
  return { items: Items, lastKey: LastEvaluatedKey }
}

function parsed<T>(list: List<T>, raws: readonly Record<string, unknown>[]): T[] {
  const items: T[] = []
  for (const raw of raws) {
    const item = list.parse(raw)
    if (item !== undefined) items.push(item)
  }
  return items
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
  const { attributes, belongs } = shapeOf(list)
  const start = decodeCursor(page.cursor, attributes, belongs)
  const { items, lastKey } = await queryRaw(store, list, page.limit, start)
  return { items: parsed(list, items), nextCursor: encodeCursor(lastKey) }
}

/**
 * Every item of `list`, page after page (`pageSize` items a `Query`), for work that walks a whole
 * collection: an erasure, a suspension, a draw. The next page is read once the caller has taken every
 * item of the one before, so changes it makes meanwhile are behind the cursor. One `Query` per page.
 *
 * @example
 * for await (const offer of everyItem(store, Offer.ofMentor(mentorId), 50)) await withdraw(offer)
 */
export async function* everyItem<T>(store: Store, list: List<T>, pageSize?: number): AsyncGenerator<T> {
  let cursor: string | undefined
  do {
    const page = await query(store, list, { limit: pageSize, cursor })
    yield* page.items
    cursor = page.nextCursor ?? undefined
  } while (cursor)
}

/** DynamoDB's order of string sort keys: their UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

/**
 * One page of a list spread over several partitions — `shards`, one per write shard, alike but for
 * their partition — read as if it were one: in sort-key order (newest first when the lists say so),
 * every item exactly once across pages. Each shard not yet read to its end is queried in parallel for
 * `limit` items from where the cursor left it; the answers are merged and the first `limit` kept,
 * never past the last item read of a shard that has more (an item of another shard beyond it could
 * come after one not read yet). The cursor holds each shard's position: after the last of its items
 * handed out, at its start, or at its end. Lists with a filter are refused (a filtered page may stop
 * short of where its shard's order is known).
 *
 * Calls: one `Query` per shard not yet at its end, in parallel (N on a first page).
 */
export async function queryMerged<T>(
  store: Store,
  shards: readonly List<T>[],
  page: { limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<Page<T>> {
  const [first] = shards
  if (first === undefined) throw new Error('queryMerged reads at least one shard')
  if (shards.some((list) => list.filter !== undefined || list.index !== first.index))
    throw new Error('queryMerged reads shards of one index, without filters')
  const limit = page.limit ?? PAGE_DEFAULT
  const shapes = shards.map(shapeOf)
  const { attributes, sort } = shapes[0] as ReturnType<typeof shapeOf>
  const positions = decodePositions(page.cursor, shards.length, attributes, (key, shard) =>
    (shapes[shard] as ReturnType<typeof shapeOf>).belongs(key),
  )
  const reads = await Promise.all(
    shards.map((list, shard) => {
      const at = positions[shard]
      return at === 'end' ? undefined : queryRaw(store, list, limit, at ?? undefined)
    }),
  )
  const order = (a: string, b: string) => (first.newestFirst ? byteOrder(b, a) : byteOrder(a, b))
  const sortKey = (raw: Record<string, unknown>) => String(raw[sort])
  // Nothing may be handed out past the last item read of a shard that has more.
  let bound: string | undefined
  for (const read of reads) {
    if (read?.lastKey === undefined) continue
    const last = read.items.at(-1)
    // A shard that has more but answered nothing (DynamoDB may, on a 1 MB page) bounds everything.
    if (last === undefined) return { items: [], nextCursor: encodePositions(advance(positions, reads, [])) }
    if (bound === undefined || order(sortKey(last), bound) < 0) bound = sortKey(last)
  }
  const merged = reads
    .flatMap((read, shard) => (read?.items ?? []).map((raw) => ({ shard, raw })))
    .filter(({ raw }) => bound === undefined || order(sortKey(raw), bound) <= 0)
    .sort((a, b) => order(sortKey(a.raw), sortKey(b.raw)))
    .slice(0, limit)
  return {
    items: parsed(
      first,
      merged.map(({ raw }) => raw),
    ),
    nextCursor: encodePositions(advance(positions, reads, merged)),
  }

  /** Each shard's position after handing out `taken`. */
  function advance(
    from: Positions,
    answers: ReadonlyArray<Awaited<ReturnType<typeof queryRaw>> | undefined>,
    taken: ReadonlyArray<{ shard: number; raw: Record<string, unknown> }>,
  ): Positions {
    return from.map((at, shard) => {
      const answer = answers[shard]
      if (answer === undefined) return at
      const mine = taken.filter((entry) => entry.shard === shard)
      if (mine.length === answer.items.length)
        return answer.lastKey === undefined ? 'end' : keyOf(answer.lastKey)
      const last = mine.at(-1)
      return last === undefined ? at : keyOf(last.raw)
    })
  }

  function keyOf(raw: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(attributes.map((name) => [name, String(raw[name])]))
  }
}
