import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id } from '../event/shared.ts'

/** Events of ratings and progress notes. */
export const FeedbackEvents = {
  /** An owner rated a completed session; the comment stays in the table, not in the event. */
  Received: defineEvent(
    'FeedbackReceived',
    1,
    v.object({
      sessionId: Id,
      requestId: Id,
      mentorId: Id,
      programId: v.nullable(Id),
      rating: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
    }),
  ),
}
