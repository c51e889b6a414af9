import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Store } from './client.ts'
import type { Readable, TransactItem } from './entity.ts'

/**
 * Sends one `Update` on its own and answers the item as it is after it, parsed: a counter's new value
 * (a rate-limit window's hits). One `UpdateItem`, outside any transaction, so concurrent counts on one
 * item queue up instead of cancelling each other.
 *
 * @example
 * const { hits } = await counted(store, RateLimitWindow, RateLimitWindow.hit(id, expiresAt))
 */
export async function counted<Item>(
  store: Store,
  readable: Pick<Readable<Item, never>, 'parse'>,
  item: TransactItem,
): Promise<Item> {
  if (!item.Update) throw new Error('counted takes an Update')
  const { Attributes } = await store.doc.send(
    new UpdateCommand({ ...item.Update, TableName: store.tableName, ReturnValues: 'ALL_NEW' }),
  )
  return readable.parse(Attributes)
}
