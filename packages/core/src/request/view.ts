import * as z from 'zod/mini'
import {
  AvailabilitySlot,
  BusinessProfile,
  ConsentRecord,
  REQUEST_STATUSES,
  type RequestItem,
} from './item.ts'

/** The mentor who took a request, as its owner sees them: no phone, no email. */
export const MatchedMentor = z.object({
  name: z.string(),
  skills: z.array(z.object({ topic: z.string(), level: z.number() })),
  /** Home region first, then the regions served. */
  regions: z.array(z.string()),
})
export type MatchedMentor = z.infer<typeof MatchedMentor>

/**
 * A request as its owner and the program's staff read it: everything the owner gave us, its state,
 * and nothing internal (no token hash, no index keys, no ids of mentors who declined).
 */
export const Info = z.object({
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  programId: z.nullable(z.string()),
  segment: z.nullable(z.string()),
  /** `null` once the owner had their personal data erased. */
  business: z.nullable(BusinessProfile),
  region: z.string(),
  sector: z.string(),
  sizeClass: z.enum(['mikro', 'kecil', 'menengah']),
  needs: z.array(z.string()),
  description: z.nullable(z.string()),
  mode: z.enum(['online', 'offline', 'either']),
  languages: z.array(z.string()),
  availability: z.array(AvailabilitySlot),
  timeZone: z.string(),
  consent: ConsentRecord,
  offerCount: z.number(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  erasedAt: z.nullable(z.string()),
  /** Once a mentor accepted it (`active`, `completed`): their public profile; `null` before. */
  mentor: z.nullable(MatchedMentor),
})
export type Info = z.infer<typeof Info>

/** A line of the staff's request list: enough to triage, with no contact details. */
export const Summary = z.object({
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  programId: z.nullable(z.string()),
  segment: z.nullable(z.string()),
  businessName: z.nullable(z.string()),
  region: z.string(),
  sector: z.string(),
  sizeClass: z.enum(['mikro', 'kecil', 'menengah']),
  needs: z.array(z.string()),
  mode: z.enum(['online', 'offline', 'either']),
  submittedAt: z.string(),
  updatedAt: z.string(),
})
export type Summary = z.infer<typeof Summary>

/** The answer to a submission: the only time the tracking token is ever shown. */
export const Submitted = z.object({
  id: z.string(),
  status: z.enum(['matching', 'waitlisted']),
  trackingToken: z.string(),
})
export type Submitted = z.infer<typeof Submitted>

export function toInfo(request: RequestItem, mentor: MatchedMentor | null = null): Info {
  return {
    id: request.id,
    status: request.status,
    programId: request.programId,
    segment: request.segment,
    business: request.business,
    region: request.region,
    sector: request.sector,
    sizeClass: request.sizeClass,
    needs: request.needs,
    description: request.description,
    mode: request.mode,
    languages: request.languages,
    availability: request.availability,
    timeZone: request.timeZone,
    consent: request.consent,
    offerCount: request.offerCount,
    submittedAt: request.submittedAt,
    updatedAt: request.updatedAt,
    erasedAt: request.erasedAt,
    mentor,
  }
}

export function toSummary(request: RequestItem): Summary {
  return {
    id: request.id,
    status: request.status,
    programId: request.programId,
    segment: request.segment,
    businessName: request.business?.name ?? null,
    region: request.region,
    sector: request.sector,
    sizeClass: request.sizeClass,
    needs: request.needs,
    mode: request.mode,
    submittedAt: request.submittedAt,
    updatedAt: request.updatedAt,
  }
}
