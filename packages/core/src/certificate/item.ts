/**
 * E-certificates as stored: schemas only, for the data layer's entity
 * (`adapters/dynamo/entities/certificate.ts`). Nothing here reads or writes.
 */
import * as z from 'zod/mini'

/** What a certificate attests: a class completed or taught, a 1:1 mentoring received or given. */
export const CERTIFICATE_KINDS = [
  'class_participant',
  'class_trainer',
  'mentoring_owner',
  'mentoring_mentor',
] as const
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number]

/** Who holds a certificate, and so whose private page lists it. */
export const HOLDER_KINDS = ['participant', 'mentor', 'owner'] as const
export type HolderKind = (typeof HOLDER_KINDS)[number]

/**
 * Why staff revoked a certificate: a category, shown publicly on the verification page and in the
 * status list's meaning; never free text (it would be published).
 */
export const REVOCATION_REASONS = [
  'issued_in_error',
  'data_incorrect',
  'requirements_not_met',
  'holder_request',
  'other',
] as const
export type RevocationReason = (typeof REVOCATION_REASONS)[number]

export const CERTIFICATE_STATUSES = ['valid', 'revoked'] as const
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number]

/**
 * A certificate as stored (`entity: 'certificate'`): everything the PDF, the page and the credential
 * show, frozen at issue (a later edit of the class or program does not rewrite a certificate), and the
 * signed credential itself. Listed under its holder in `byOwner` and for staff in `byRegion`.
 */
export const CertificateItem = z.object({
  entity: z.literal('certificate'),
  version: z.literal(1),
  id: z.string(),
  /** Human-readable, unique per issuing region and year: `00042/PDP/35.73/2026`. */
  number: z.string(),
  kind: z.enum(CERTIFICATE_KINDS),
  /** What it was issued for, once: see `keys.certificateSource`. */
  source: z.string(),
  holder: z.object({ kind: z.enum(HOLDER_KINDS), id: z.string() }),
  /** The holder's name as printed. */
  name: z.string(),
  /** The business, on an owner's certificate of mentoring. */
  business: z.nullable(z.string()),
  /** The class title; `null` for mentoring (the page names it in the reader's language). */
  title: z.nullable(z.string()),
  topics: z.array(z.string()),
  /** Minutes attended, taught or mentored. */
  minutes: z.number(),
  startedAt: z.string(),
  endedAt: z.string(),
  timeZone: z.string(),
  programId: z.nullable(z.string()),
  programName: z.nullable(z.string()),
  /** The issuing region (a Kemendagri code) or `*` for national. */
  region: z.string(),
  /** The issuing office, as printed (`Pemerintah Kota Malang`). */
  office: z.string(),
  classId: z.nullable(z.string()),
  engagementId: z.nullable(z.string()),
  requestId: z.nullable(z.string()),
  issuedAt: z.string(),
  /** The Open Badges 3.0 credential, a VC-JWT signed at issue. */
  credential: z.string(),
  statusList: z.string(),
  statusIndex: z.number(),
  status: z.enum(CERTIFICATE_STATUSES),
  revokedAt: z.nullable(z.string()),
  revocationReason: z.nullable(z.enum(REVOCATION_REASONS)),
  /** The staff account (`sub`) that revoked it. */
  revokedBy: z.nullable(z.string()),
  updatedAt: z.string(),
})
export type CertificateItem = z.infer<typeof CertificateItem>

/** The claim that a source has its certificate (`entity: 'certificateSource'`). */
export const CertificateSourceItem = z.object({
  entity: z.literal('certificateSource'),
  version: z.literal(1),
  source: z.string(),
  certificateId: z.string(),
})
export type CertificateSourceItem = z.infer<typeof CertificateSourceItem>

/** A status list's revoked indexes (`entity: 'statusList'`). */
export const StatusListItem = z.object({
  entity: z.literal('statusList'),
  version: z.literal(1),
  listId: z.string(),
  /** A DynamoDB number set, read back as a `Set`. */
  revoked: z.optional(z.set(z.number())),
  updatedAt: z.string(),
})
export type StatusListItem = z.infer<typeof StatusListItem>
