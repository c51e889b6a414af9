import { ClaimOf, Processed } from '../adapters/dynamo/entities/processed.ts'
import { get, write } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import type { Clock, Store } from '../store.ts'

/**
 * The longest a consumer holds an event while acting on it, in seconds. A claim never outlives the
 * attempt that took it: on Lambda it is the invocation's remaining time (see {@link ConsumeOptions}),
 * this only caps it.
 */
export const CLAIM_SECONDS = 300
/**
 * How long a delivery that finds another attempt's claim waits for that attempt to finish (a
 * duplicate delivery arriving while the first is at work) before failing with {@link ClaimHeldError}.
 */
export const CLAIM_WAIT_MS = 3_000
/** How long the record of a handled event is kept: far longer than EventBridge and stream retries last. */
export const PROCESSED_RETENTION_SECONDS = 7 * 24 * 3600

export type Consumption = 'acted' | 'duplicate'

/**
 * Another attempt holds the claim on this event and has not finished: this delivery fails, so it is
 * retried (Lambda retries a minute later at the earliest, when the other attempt has finished or its
 * lease has lapsed) instead of being acknowledged for work nobody may ever complete.
 */
export class ClaimHeldError extends Error {
  constructor(
    readonly consumer: string,
    readonly eventId: string,
    /** How long the claim is still leased: a retry sooner finds it held again. */
    readonly retryAfterMs: number,
  ) {
    super(`${consumer} is already handling event ${eventId}; retry after ${retryAfterMs} ms`)
    this.name = 'ClaimHeldError'
  }
}

export interface ConsumeOptions {
  /**
   * How long this attempt can still run, in milliseconds: the Lambda context's
   * `getRemainingTimeInMillis()`. The claim lapses then, when the function is dead for sure (a
   * timeout, an out-of-memory kill), so Lambda's retry — a minute later at the earliest — acts again
   * instead of finding a claim nobody will ever release. Capped at {@link CLAIM_SECONDS}.
   */
  leaseMs?: number | undefined
}

/**
 * Runs `action` for an event at most once per consumer at a time, and until it succeeds once
 * (invariant 6). The consumer first claims the event with a conditional Put, leased for as long as
 * this attempt can live. A delivery that finds the event done does nothing (`duplicate`); one that
 * finds another attempt's claim waits up to {@link CLAIM_WAIT_MS} for it to finish, then fails with
 * {@link ClaimHeldError}, to be retried, since that attempt may yet die; a delivery after the lease
 * takes the claim over and acts. If the action throws, the claim is released so the retry acts.
 *
 * An attempt that died mid-action may have written part of its work, so actions must be safe to
 * repeat: conditional writes, ids derived from the event, per-recipient records of what was sent.
 *
 * Calls: 1 `PutItem` + the action + 1 `UpdateItem` (or 1 `DeleteItem` on failure); a refused claim
 * costs 1 `PutItem` + 1 `GetItem` (a few more while it waits for another attempt to finish).
 *
 * @example
 * await consumeOnce(store, clock, 'InstantMatch', event.id, () => makeBestOffer(store, clock, id), {
 *   leaseMs: context.getRemainingTimeInMillis(),
 * })
 */
export async function consumeOnce(
  store: Store,
  clock: Clock,
  consumer: string,
  eventId: string,
  action: () => Promise<void>,
  options: ConsumeOptions = {},
): Promise<Consumption> {
  const nowMs = clock.now().getTime()
  const leaseMs = Math.max(0, Math.min(CLAIM_SECONDS * 1000, options.leaseMs ?? CLAIM_SECONDS * 1000))
  const expiresAt = Math.floor(nowMs / 1000) + PROCESSED_RETENTION_SECONDS
  const holder = newId()
  const started = Date.now()
  const claim = (at: number) =>
    Processed.claim(consumer, eventId, holder, at, at + leaseMs - (Date.now() - started), expiresAt)
  if (!(await write(store, claim(nowMs)))) {
    // Another delivery may be finishing this very event (EventBridge delivers at least once): wait a
    // little for it, as long as this attempt can afford.
    const waitUntil = started + Math.min(CLAIM_WAIT_MS, leaseMs / 2)
    for (let pause = 25; ; pause = Math.min(pause * 2, 400)) {
      const held = await get(store, ClaimOf, { consumer, eventId })
      // Our own claim: written, its answer lost to a timeout, and the SDK's retry refused.
      if (held?.holder === holder) break
      if (held?.status === 'done') return 'duplicate'
      const at = clock.now().getTime()
      // Released (its action failed) or lapsed (its holder died): take it over.
      if (!held || held.leaseUntil === undefined || held.leaseUntil < at) {
        if (await write(store, claim(at))) break
        continue
      }
      // Still held: not done yet, so this delivery must not be acknowledged. Its retry finds the
      // event done, or takes the claim over once the lease has passed.
      if (Date.now() + pause > waitUntil) throw new ClaimHeldError(consumer, eventId, held.leaseUntil - at)
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
  try {
    await action()
  } catch (error) {
    // If even the release fails (the table is unreachable), the lease lapses on its own.
    await write(store, Processed.release(consumer, eventId)).catch(() => undefined)
    throw error
  }
  await write(store, Processed.done(consumer, eventId))
  return 'acted'
}
