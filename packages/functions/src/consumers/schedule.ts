import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import type { EventEnvelope } from '@pendamping/core/event/index'
import { cancelFollowUp, scheduleFollowUp } from '@pendamping/core/followup/index'
import { DEFAULT_MATCHING_WINDOW_DAYS } from '@pendamping/core/matching/candidates'
import { OfferEvents } from '@pendamping/core/offer/events'
import { RequestEvents } from '@pendamping/core/request/events'
import { SessionEvents } from '@pendamping/core/session/events'
import type { Store } from '@pendamping/core/store'
import { consumer, isEvent } from './consume.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Reminders go out this long before a session starts (SPEC §3). */
export const REMINDERS = [
  { kind: 'session-reminder-24h', before: 24 * HOUR },
  { kind: 'session-reminder-1h', before: HOUR },
] as const
/** The owner is asked how it went this long after a session is completed. */
export const CHECK_IN_AFTER = 7 * DAY

/** The timed duties an event starts, moves or ends. */
export function followUpChanges(tableName: string, event: EventEnvelope, now: Date): TransactItem[] {
  const at = (iso: string, offset = 0) => new Date(Date.parse(iso) + offset)
  if (isEvent(event, OfferEvents.Made)) {
    return [scheduleFollowUp(tableName, 'offer-expiry', event.detail.offerId, at(event.detail.expiresAt))]
  }
  if (isEvent(event, OfferEvents.Accepted)) {
    return [
      cancelFollowUp(tableName, 'offer-expiry', event.detail.offerId),
      cancelFollowUp(tableName, 'stale-request', event.detail.requestId),
    ]
  }
  if (isEvent(event, OfferEvents.Declined) || isEvent(event, OfferEvents.Withdrawn)) {
    return [cancelFollowUp(tableName, 'offer-expiry', event.detail.offerId)]
  }
  if (isEvent(event, RequestEvents.Submitted) && event.detail.status === 'matching') {
    const due = at(event.detail.submittedAt, DEFAULT_MATCHING_WINDOW_DAYS * DAY)
    return [scheduleFollowUp(tableName, 'stale-request', event.detail.requestId, due)]
  }
  if (isEvent(event, RequestEvents.Promoted)) {
    const due = at(event.detail.promotedAt, DEFAULT_MATCHING_WINDOW_DAYS * DAY)
    return [scheduleFollowUp(tableName, 'stale-request', event.detail.requestId, due)]
  }
  if (isEvent(event, RequestEvents.Cancelled) || isEvent(event, RequestEvents.Unmatched)) {
    return [cancelFollowUp(tableName, 'stale-request', event.detail.requestId)]
  }
  if (isEvent(event, SessionEvents.Scheduled) || isEvent(event, SessionEvents.Rescheduled)) {
    const { sessionId, startsAt } = event.detail
    return REMINDERS.map(({ kind, before }) => {
      const due = at(startsAt, -before)
      // A reminder whose moment has passed would fire at once and late: drop it instead.
      return due > now
        ? scheduleFollowUp(tableName, kind, sessionId, due)
        : cancelFollowUp(tableName, kind, sessionId)
    })
  }
  if (isEvent(event, SessionEvents.Cancelled)) {
    return REMINDERS.map(({ kind }) => cancelFollowUp(tableName, kind, event.detail.sessionId))
  }
  if (isEvent(event, SessionEvents.Completed)) {
    return [
      scheduleFollowUp(
        tableName,
        'post-session-check-in',
        event.detail.sessionId,
        at(event.detail.completedAt, CHECK_IN_AFTER),
      ),
    ]
  }
  return []
}

/** Applies each change on its own: a duty that already fired refuses to move, and that is fine. */
async function apply(store: Store, changes: TransactItem[]): Promise<void> {
  for (const change of changes) {
    try {
      await store.doc.send(new TransactWriteCommand({ TransactItems: [change] }))
    } catch (error) {
      if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error
    }
  }
}

/** Keeps the timed duties in step with what happened: offer expiry, reminders, check-ins, stale alerts. */
export const handler = consumer('FollowUpScheduler', async (event, { store, clock }) => {
  await apply(store, followUpChanges(store.tableName, event, clock.now()))
})
