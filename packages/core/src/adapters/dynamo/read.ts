import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Store } from './client.ts'
import { type Condition, namesIn, type Readable } from './entity.ts'
import { decodeCursor, encodeCursor, type Page } from './page.ts'
import { type IndexName, table } from './table.ts'

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
    new GetCommand({ TableName: store.tableName, Key: entity.key(id), ConsistentRead: true }),
  )
  return Item === undefined ? undefined : entity.parse(Item)
}

/**
 * One list: a partition of the table or of an index, optionally narrowed to sort keys starting with
 * `prefix`. Entities declare their lists (`Request.inRegion(…)`); domain modules only pick one.
 */
export interface List<T> {
  /** The index to read; the table itself when absent. */
  index?: IndexName | undefined
  /** The partition: the value of the table's or index's hash key. */
  partition: string
  /** Only sort keys that start with this (`begins_with`); all when empty. */
  prefix?: string | undefined
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
 * (same partition, same prefix), or it is a `ValidationError`: a cursor never opens another list.
 * Without `limit`, one `Query` page (DynamoDB's 1 MB) is read. One `Query`.
 */
export async function query<T>(
  store: Store,
  list: List<T>,
  page: { limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<Page<T>> {
  const hash = list.index ? table.indexes[list.index].hashKey : table.partitionKey
  const range = list.index ? table.indexes[list.index].rangeKey : table.sortKey
  const prefix = list.prefix ?? ''
  const attributes = [...new Set([table.partitionKey, table.sortKey, hash, range])]
  const start = decodeCursor(
    page.cursor,
    attributes,
    (key) => key[hash] === list.partition && (key[range] ?? '').startsWith(prefix),
  )
  const keyCondition = `#${hash} = :partition${prefix ? ` AND begins_with(#${range}, :prefix)` : ''}`
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
