import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso, Topic } from '../event/shared.ts'

const Session = {
  sessionId: Id,
  engagementId: Id,
  requestId: Id,
  mentorId: Id,
  programId: v.nullable(Id),
  startsAt: Iso,
  endsAt: Iso,
  timeZone: v.string(),
  mode: v.picklist(['online', 'offline']),
  topics: v.array(Topic),
}

/** Events of coaching sessions. */
export const SessionEvents = {
  Scheduled: defineEvent('SessionScheduled', 1, v.object(Session)),
  Rescheduled: defineEvent(
    'SessionRescheduled',
    1,
    v.object({ ...Session, previousStartsAt: Iso, previousEndsAt: Iso }),
  ),
  Completed: defineEvent(
    'SessionCompleted',
    1,
    v.object({ ...Session, outcomes: v.array(v.string()), completedAt: Iso }),
  ),
  Cancelled: defineEvent(
    'SessionCancelled',
    1,
    v.object({ ...Session, by: v.picklist(['mentor', 'owner', 'staff']) }),
  ),
  NoShow: defineEvent('SessionNoShow', 1, v.object(Session)),
}
