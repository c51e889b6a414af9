/** An offer and a request's acceptance marker as stored: schemas only, for the data layer's entities. */
import * as z from 'zod/mini'

/** Every state of an offer: `open` until the mentor or the system decides it. */
export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired', 'withdrawn'] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

/** Why a mentor declines; the note says more if they wish. */
export const DECLINE_REASONS = [
  'no_time',
  'topic_mismatch',
  'too_far',
  'language',
  'conflict_of_interest',
  'other',
] as const
export type DeclineReason = (typeof DECLINE_REASONS)[number]

/** The explainable score of a match: its total and each part (need coverage, proximity, …). */
export const Score = z.object({ total: z.number(), breakdown: z.record(z.string(), z.number()) })
export type Score = z.infer<typeof Score>

/** What a mentor learns of the business before accepting: its needs and shape, nothing personal. */
export const OfferedRequest = z.object({
  needs: z.array(z.string()),
  mode: z.enum(['online', 'offline', 'either']),
  languages: z.array(z.string()),
  region: z.string(),
  sector: z.string(),
  sizeClass: z.enum(['mikro', 'kecil', 'menengah']),
  timeZone: z.string(),
})
export type OfferedRequest = z.infer<typeof OfferedRequest>

/** A decline as stored on its offer: the reason and the mentor's note, if any. */
export const DeclineRecord = z.object({ reason: z.enum(DECLINE_REASONS), note: z.nullable(z.string()) })

/**
 * An offer as stored (`entity: 'offer'`). The deadline is `validUntil` (ISO), not `expiresAt`: that
 * name is the table's TTL attribute, and TTL must never delete an open offer. Listed under its mentor
 * in `byOwner` (`MENTOR#<mentorId>`, `OFFER#<createdAt>#<id>`) by the `Offer` entity.
 */
export const OfferItem = z.object({
  entity: z.literal('offer'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(OFFER_STATUSES),
  requestId: z.string(),
  mentorId: z.string(),
  /** The mentor's account `sub`: who may accept or decline. */
  mentorSub: z.string(),
  programId: z.nullable(z.string()),
  region: z.string(),
  request: OfferedRequest,
  score: Score,
  createdAt: z.string(),
  validUntil: z.string(),
  updatedAt: z.string(),
  decidedAt: z.nullable(z.string()),
  decline: z.nullable(DeclineRecord),
  engagementId: z.nullable(z.string()),
})
export type OfferItem = z.infer<typeof OfferItem>

/**
 * A request's acceptance marker (`REQUEST#<id>`, `ACCEPTED`): which offer, mentor and engagement took
 * it. At most one per request (invariant 2): the accept transaction puts it only if absent.
 */
export const AcceptanceItem = z.object({
  entity: z.literal('requestAcceptance'),
  version: z.literal(1),
  offerId: z.string(),
  mentorId: z.string(),
  engagementId: z.string(),
  acceptedAt: z.string(),
})
export type AcceptanceItem = z.infer<typeof AcceptanceItem>
