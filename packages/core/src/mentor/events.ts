import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, RegionCode, Topic } from '../event/shared.ts'

const Mentor = { mentorId: Id, region: RegionCode, skills: v.array(Topic) }

/** Events of the mentor's lifecycle. */
export const MentorEvents = {
  Applied: defineEvent('MentorApplied', 1, v.object(Mentor)),
  Approved: defineEvent('MentorApproved', 1, v.object({ ...Mentor, approvedBy: Id })),
  /** Status or capacity changed (pause, resume, suspend): matching may re-offer waiting requests. */
  Updated: defineEvent('MentorUpdated', 1, v.object({ ...Mentor, status: v.string(), capacity: v.number() })),
}
