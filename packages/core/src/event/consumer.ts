import { Processed } from '../adapters/dynamo/entities/processed.ts'
import { write } from '../adapters/dynamo/index.ts'
import type { Clock, Store } from '../store.ts'

/** How long a consumer holds an event while acting on it; a crashed attempt's claim lapses after this. */
export const CLAIM_SECONDS = 300
/** How long the record of a handled event is kept: far longer than EventBridge and stream retries last. */
export const PROCESSED_RETENTION_SECONDS = 7 * 24 * 3600

export type Consumption = 'acted' | 'duplicate'

/**
 * Runs `action` for an event at most once per consumer (invariant 6). The consumer first claims the
 * event with a conditional Put; a second delivery finds the claim and does nothing. If the action
 * fails, the claim is released so the retry acts; if the process dies mid-action, the claim lapses
 * after {@link CLAIM_SECONDS}. Actions should still be safe to repeat (conditional writes), since a
 * lapse after a slow success cannot be told from a crash.
 *
 * Calls: 1 `PutItem` + the action + 1 `UpdateItem` (or 1 `DeleteItem` on failure).
 */
export async function consumeOnce(
  store: Store,
  clock: Clock,
  consumer: string,
  eventId: string,
  action: () => Promise<void>,
): Promise<Consumption> {
  const now = Math.floor(clock.now().getTime() / 1000)
  const claim = Processed.claim(
    consumer,
    eventId,
    now,
    now + CLAIM_SECONDS,
    now + PROCESSED_RETENTION_SECONDS,
  )
  if (!(await write(store, claim))) return 'duplicate'
  try {
    await action()
  } catch (error) {
    await write(store, Processed.release(consumer, eventId))
    throw error
  }
  await write(store, Processed.done(consumer, eventId))
  return 'acted'
}
