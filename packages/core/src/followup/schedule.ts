/**
 * When timed duties come due (docs/contract/entities.md): what each event starts, moves or ends — an offer's expiry,
 * a session's reminders, the owner's check-in, the alert on a request nobody took. The
 * `FollowUpScheduler` consumer applies them; `sweepDue` fires them.
 */
import { type TransactItem, write } from '../adapters/dynamo/index.ts'
import { type EventEnvelope, isEvent } from '../event/index.ts'
import { OfferEvents } from '../offer/events.ts'
import { RequestEvents } from '../request/events.ts'
import { SessionEvents } from '../session/events.ts'
import type { Store } from '../store.ts'
import { cancelFollowUp, scheduleFollowUp } from './index.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Reminders go out this long before a session starts (docs/contract/entities.md). */
export const REMINDERS = [
  { kind: 'session-reminder-24h', before: 24 * HOUR },
  { kind: 'session-reminder-1h', before: HOUR },
] as const
/** The owner is asked how it went this long after a session is completed. */
export const CHECK_IN_AFTER = 7 * DAY

/** The timed duties an event starts, moves or ends. */
export function followUpChanges(tableName: string, event: EventEnvelope, now: Date): TransactItem[] {
  const at = (iso: string, offset = 0) => new Date(Date.parse(iso) + offset)
  const schedule = scheduleFollowUp.bind(null, tableName)
  const cancel = cancelFollowUp.bind(null, tableName)
  // An offer's expiry is scheduled in the offer's own transaction (`offerItems`), not here.
  if (isEvent(event, OfferEvents.Accepted)) {
    return [cancel('offer-expiry', event.detail.offerId), cancel('stale-request', event.detail.requestId)]
  }
  if (isEvent(event, OfferEvents.Declined) || isEvent(event, OfferEvents.Withdrawn)) {
    return [cancel('offer-expiry', event.detail.offerId)]
  }
  // `stale-request` is scheduled by matching when nobody fits, at the end of the request's matching
  // window, which only it reads from the program (`makeBestOffer`). Here it only goes away.
  if (isEvent(event, RequestEvents.Cancelled) || isEvent(event, RequestEvents.Unmatched)) {
    return [cancel('stale-request', event.detail.requestId)]
  }
  if (isEvent(event, SessionEvents.Scheduled) || isEvent(event, SessionEvents.Rescheduled)) {
    const { sessionId, startsAt } = event.detail
    return REMINDERS.map(({ kind, before }) => {
      const due = at(startsAt, -before)
      // A reminder whose moment has passed would fire at once and late: drop it instead.
      return due > now ? schedule(kind, sessionId, due) : cancel(kind, sessionId)
    })
  }
  if (isEvent(event, SessionEvents.Cancelled)) {
    return REMINDERS.map(({ kind }) => cancel(kind, event.detail.sessionId))
  }
  if (isEvent(event, SessionEvents.Completed)) {
    return [
      schedule('post-session-check-in', event.detail.sessionId, at(event.detail.completedAt, CHECK_IN_AFTER)),
    ]
  }
  return []
}

/**
 * Applies `changes` each on its own, one write each: a duty that already fired refuses to move or
 * go, and that is fine.
 */
export async function applyFollowUps(store: Store, changes: readonly TransactItem[]): Promise<void> {
  for (const change of changes) await write(store, change)
}
