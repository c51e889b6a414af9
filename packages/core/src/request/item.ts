/**
 * A mentoring request as stored: its schema and states, and nothing that reads or writes, so the
 * `Request` entity of the data layer can build on it.
 */
import * as z from 'zod/mini'
import { CONTACT_CHANNELS } from '../notification/channels.ts'
import { ConsentChange, type ConsentPurpose, ConsentPurposes, LEGACY_PURPOSES } from '../privacy/consent.ts'

/** Every state a mentoring request can be in (docs/contract/entities.md). `submitted` is transient: a stored request is already past it. */
export const REQUEST_STATUSES = [
  'waitlisted',
  'matching',
  'offered',
  'active',
  'completed',
  'cancelled',
  'unmatched',
] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** States from which a request may still be cancelled or become `unmatched`. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['waitlisted', 'matching', 'offered']

/** States in which a program request holds one of its segment's seats. */
export const SEATED_STATUSES: readonly RequestStatus[] = ['matching', 'offered', 'active', 'completed']

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** One weekly slot in the request's time zone: `{ day: 'mon', from: '09:00', to: '12:00' }`. */
export const AvailabilitySlot = z.object({
  day: z.enum(WEEKDAYS),
  from: z.string(),
  to: z.string(),
})
export type AvailabilitySlot = z.infer<typeof AvailabilitySlot>

/** The personal part of a request: erased (set to `null`) when the owner asks (UU PDP). */
export const BusinessProfile = z.object({
  name: z.string(),
  ownerName: z.string(),
  phone: z.string(),
  email: z.nullable(z.string()),
  annualSales: z.nullable(z.number()),
  currentChannels: z.array(z.string()),
  /** Issue 17: the channel the owner chose; absent on older requests (WhatsApp, since they gave a phone). */
  channel: z.optional(z.enum(CONTACT_CHANNELS)),
})
export type BusinessProfile = z.infer<typeof BusinessProfile>

/**
 * Consent as stored: the privacy notice version first agreed to, and since per-purpose consent
 * (docs/contract/data-protection.md#consent) each purpose and the history of every change. A record
 * without `purposes` predates them and stands for {@link LEGACY_PURPOSES}.
 */
export const ConsentRecord = z.object({
  accepted: z.literal(true),
  purposeVersion: z.string(),
  recordedAt: z.string(),
  purposes: z.optional(ConsentPurposes),
  history: z.optional(z.array(ConsentChange)),
})
export type ConsentRecord = z.infer<typeof ConsentRecord>

/** Whether a consent record covers `purpose` now. */
export function consents(record: ConsentRecord, purpose: ConsentPurpose): boolean {
  return (record.purposes ?? LEGACY_PURPOSES)[purpose]
}

/**
 * A mentoring request as stored (`entity: 'request'`, `version: 1`). The anonymous facts (status,
 * region, sector, size class, needs…) sit at the top level and survive erasure; the personal ones
 * sit in `business` and `description`, which erasure sets to `null`.
 *
 * Index keys, written by the `Request` entity (`adapters/dynamo/entities/request.ts`):
 * - `byRegion`: `byRegionPk = REQUEST#<status>#<shard>` (one of `REQUEST_LIST_SHARDS` write shards, by
 *   id), `byRegionSk = <region>#<submittedAt>#<id>`
 * - `byProgram` (program requests only): `byProgramPk = PROGRAM#<programId>#<status>`,
 *   `byProgramSk = <segment>#<submittedAt>#<id>` — a segment's waitlist is a `begins_with` query, oldest first.
 */
export const RequestItem = z.object({
  entity: z.literal('request'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  programId: z.nullable(z.string()),
  segment: z.nullable(z.string()),
  region: z.string(),
  sector: z.string(),
  sizeClass: z.enum(['mikro', 'kecil', 'menengah']),
  needs: z.array(z.string()),
  mode: z.enum(['online', 'offline', 'either']),
  languages: z.array(z.string()),
  availability: z.array(AvailabilitySlot),
  timeZone: z.string(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  /**
   * When the request last became eligible for a mentor: promoted from the waitlist. Absent for one
   * that took its seat (or needed none) on submission, whose window starts at `submittedAt`.
   */
  eligibleSince: z.optional(z.string()),
  /** The mentor who accepted it (set by the accept), while it is `active` and after. */
  mentorId: z.optional(z.string()),
  /** Mentors who declined this request or let an offer for it expire: never offered again. */
  excludedMentorIds: z.array(z.string()),
  offerCount: z.number(),
  /** SHA-256 (base64url) of the tracking token; `null` once revoked. */
  tokenHash: z.nullable(z.string()),
  business: z.nullable(BusinessProfile),
  description: z.nullable(z.string()),
  consent: ConsentRecord,
  erasedAt: z.nullable(z.string()),
})
export type RequestItem = z.infer<typeof RequestItem>

/**
 * One person's claim on a program (`entity: 'programPhone'`): the SHA-256 of their normalised phone
 * and the request that holds it, so a phone holds at most one open request per program.
 */
export const ProgramPhoneItem = z.object({
  entity: z.literal('programPhone'),
  version: z.literal(1),
  programId: z.string(),
  phoneHash: z.string(),
  requestId: z.string(),
})
export type ProgramPhoneItem = z.infer<typeof ProgramPhoneItem>

/** States in which a request keeps its phone's claim on its program: open, or under way with a mentor. */
export const CLAIMING_STATUSES: readonly RequestStatus[] = ['waitlisted', 'matching', 'offered', 'active']

/** When a request's matching window starts: its promotion, else its submission. */
export function eligibleSince(request: Pick<RequestItem, 'eligibleSince' | 'submittedAt'>): string {
  return request.eligibleSince ?? request.submittedAt
}

/** Parses a stored item into a request; throws on anything that is not one (a bug, never user input). */
export function parseRequest(item: unknown): RequestItem {
  return z.parse(RequestItem, item)
}
