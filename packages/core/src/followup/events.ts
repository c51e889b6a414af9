import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso } from '../event/shared.ts'

export const FollowUpKind = v.picklist([
  'offer-expiry',
  'session-reminder-24h',
  'session-reminder-1h',
  'post-session-check-in',
  'stale-request',
])

/** Events of timed duties. */
export const FollowUpEvents = {
  /** A timed duty came due and was claimed by exactly one sweep. */
  Due: defineEvent(
    'FollowUpDue',
    1,
    v.object({ followUpId: Id, kind: FollowUpKind, subjectId: Id, dueAt: Iso }),
  ),
}
