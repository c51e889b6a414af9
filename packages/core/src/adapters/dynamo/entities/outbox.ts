import type { TransactWriteItem } from '@aws-sdk/lib-dynamodb'
import type { EventEnvelope } from '../../../event/index.ts'
import { deleteItem, putItem, type TransactItem } from '../entity.ts'
import { keys } from '../keys.ts'

/** How long a published outbox item stays before TTL removes it (the stream has long read it by then). */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600

/**
 * The outbox `Put` of one event (`EVENT#<id>`), to go in the same transaction as the state change it
 * reports (invariant 5): both are written or neither is; the stream publishes it.
 *
 * @example
 * await transact(store, [['request', Request.put(request)], ['event', outbox(event)]])
 */
export function outbox(event: EventEnvelope): TransactItem {
  const expiresAt = Math.floor(Date.parse(event.occurredAt) / 1000) + OUTBOX_RETENTION_SECONDS
  return putItem(keys.outbox(event.id), { entity: 'event', version: 1, event, expiresAt })
}

/**
 * {@link outbox} in `tableName`, for code that sends its own `TransactWriteCommand` (the local
 * stack's tests, the infra test); everything else goes through `transact`.
 */
export function outboxPut(tableName: string, event: EventEnvelope): TransactWriteItem {
  const put = outbox(event).Put
  return { Put: { ...put, Item: put?.Item, TableName: tableName } }
}

/**
 * The `Delete` of an event's outbox item. A redrive deletes it and puts it again: the put is then an
 * INSERT, which the stream publishes again (overwriting it would be a MODIFY, which it ignores).
 */
export function outboxRemove(eventId: string): TransactItem {
  return deleteItem(keys.outbox(eventId))
}
