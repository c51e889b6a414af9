import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id } from '../event/shared.ts'

/** Whose data: an owner (by their request's id), a class participant or a mentor. */
export const PersonKind = v.picklist(['owner', 'participant', 'mentor'])
const Purpose = v.picklist(['matching_contact', 'reminders', 'program_reports', 'follow_on_invitations'])

/** Events of data protection (UU PDP): ids and categories only, never what is erased. */
export const PrivacyEvents = {
  /**
   * Everything about a person is to be erased: each consumer erases its own part (sessions, notes,
   * registrations, certificates, messages). `reason`: the person asked, or the retention period passed.
   */
  PersonErased: defineEvent(
    'PersonErased',
    1,
    v.object({
      person: PersonKind,
      personId: Id,
      reason: v.picklist(['request', 'retention']),
      /** A mentor's sign-in account, disabled at the provider by `AccountSuspension`. */
      sub: v.optional(Id),
    }),
  ),
  /** A person withdrew one purpose: what served it stops (follow-ups cancelled, an engagement ended). */
  ConsentWithdrawn: defineEvent(
    'ConsentWithdrawn',
    1,
    v.object({ person: PersonKind, personId: Id, purpose: Purpose }),
  ),
}
