import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso, RegionCode } from '../event/shared.ts'

const Offer = { offerId: Id, requestId: Id, mentorId: Id, programId: v.nullable(Id), region: RegionCode }

/** Events of offers and the engagements they become. */
export const OfferEvents = {
  Made: defineEvent('OfferMade', 1, v.object({ ...Offer, expiresAt: Iso, score: v.number() })),
  Accepted: defineEvent(
    'OfferAccepted',
    1,
    v.object({ ...Offer, engagementId: Id, submittedAt: Iso, acceptedAt: Iso }),
  ),
  Declined: defineEvent('OfferDeclined', 1, v.object({ ...Offer, reason: v.string() })),
  Expired: defineEvent('OfferExpired', 1, v.object(Offer)),
  Withdrawn: defineEvent('OfferWithdrawn', 1, v.object({ ...Offer, reason: v.string() })),
  EngagementEnded: defineEvent(
    'EngagementEnded',
    1,
    v.object({
      engagementId: Id,
      requestId: Id,
      mentorId: Id,
      programId: v.nullable(Id),
      outcome: v.picklist(['completed', 'ended']),
      /** Why it ended when its business did it: erased, or withdrew consent (the mentor is told). */
      cause: v.optional(v.picklist(['erasure', 'consent-withdrawn'])),
    }),
  ),
  /**
   * The engagement's mentor was suspended: it waits for staff to end it or reassign it; its future
   * sessions were cancelled (`sessionsCancelled`), and the owner is told.
   */
  EngagementNeedsDecision: defineEvent(
    'EngagementNeedsDecision',
    1,
    v.object({
      engagementId: Id,
      requestId: Id,
      mentorId: Id,
      programId: v.nullable(Id),
      region: RegionCode,
      sessionsCancelled: v.number(),
    }),
  ),
  /**
   * The business goes to another mentor: the request is matching again, without the old mentor. Staff
   * decided it, or (`cause: 'mentor-erased'`) the mentor erased their data: then the owner is told, with
   * how many future sessions were cancelled.
   */
  EngagementReassigned: defineEvent(
    'EngagementReassigned',
    1,
    v.object({
      engagementId: Id,
      requestId: Id,
      mentorId: Id,
      programId: v.nullable(Id),
      region: RegionCode,
      cause: v.optional(v.picklist(['mentor-erased'])),
      sessionsCancelled: v.optional(v.number()),
    }),
  ),
  /** The mentor noted the business's progress; outcomes count in reports, the note stays in the table. */
  ProgressRecorded: defineEvent(
    'EngagementProgressRecorded',
    1,
    v.object({
      engagementId: Id,
      requestId: Id,
      mentorId: Id,
      programId: v.nullable(Id),
      outcomes: v.array(v.string()),
    }),
  ),
}
