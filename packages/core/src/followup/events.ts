import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso } from '../event/shared.ts'

export const FollowUpKind = v.picklist([
  'offer-expiry',
  'session-reminder-24h',
  'session-reminder-1h',
  'post-session-check-in',
  'stale-request',
  /** A class meeting starts in 24 hours (subject `<classId>~<meetingId>`). */
  'class-reminder-24h',
  /** A lottery class's registration closes: draw it. */
  'class-draw',
  /** A day after a class's last meeting: decide completion, if nobody finished it before. */
  'class-finish',
  /**
   * A person's data reaches its retention period (subject `<owner|participant|mentor>~<id>`): erased
   * unless they were active since, in which case the duty moves (docs/contract/data-protection.md#retention).
   */
  'retention',
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
