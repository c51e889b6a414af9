import { write } from '../adapters/dynamo/index.ts'
import { type EventEnvelope, outbox, outboxRemove } from '../event/index.ts'
import type { Store } from '../store.ts'

/**
 * Sends an event down the whole path again, the way it went first: its outbox item is deleted and put
 * back, an INSERT the stream publishes to the bus and every rule's consumer. Consumers are idempotent
 * on the event id (invariant 6): those that acted find it done, the one that failed acts. Safe to
 * repeat, and safe to stop halfway (a missing item is simply put). Calls: 1 `DeleteItem` + 1 `PutItem`.
 */
export async function republish(store: Store, event: EventEnvelope): Promise<void> {
  await write(store, outboxRemove(event.id))
  await write(store, outbox(event))
}
