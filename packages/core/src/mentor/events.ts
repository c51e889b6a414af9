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
  /**
   * Staff suspended the mentor. Consumers disable the account (`sub`) and end its sessions, withdraw
   * the open offers for matching again, hand active engagements to staff and cancel future sessions.
   */
  Suspended: defineEvent('MentorSuspended', 1, v.object({ ...Mentor, sub: Id, suspendedBy: Id })),
  /** A suspension lifted: the account works again; withdrawn offers and engagements stay as they are. */
  Reinstated: defineEvent('MentorReinstated', 1, v.object({ ...Mentor, sub: Id, reinstatedBy: Id })),
}
