/** What the certificate routes accept and answer: zod/mini schemas, also the OpenAPI document's. */
import * as z from 'zod/mini'
import { PageLimit } from '../program/index.ts'
import { CERTIFICATE_KINDS, REVOCATION_REASONS } from './item.ts'

/** `POST /v1/certificates/{id}/revoke`: a reason category (published; never free text). */
export const RevokeInput = z.strictObject({ reason: z.enum(REVOCATION_REASONS) })
export type RevokeInput = z.infer<typeof RevokeInput>

const Cursor = z.optional(z.string().check(z.maxLength(2048)))

/** A holder's list: `GET /v1/me/certificates`, `…/requests/{id}/certificates`, `…/participants/{id}/certificates`. */
export const CertificateListQuery = z.strictObject({
  cursor: Cursor,
  limit: z.optional(PageLimit),
  lang: z.optional(z.enum(['id', 'en'])),
})

/** `GET /v1/certificates`: staff list what their region issued. */
export const RegionCertificateQuery = z.strictObject({
  region: z.optional(
    z.string().check(z.maxLength(13), z.regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'field.invalid')),
  ),
  cursor: Cursor,
  limit: z.optional(PageLimit),
  lang: z.optional(z.enum(['id', 'en'])),
})

/** `?lang=en` for the English certificate. */
export const LanguageQuery = z.strictObject({ lang: z.optional(z.enum(['id', 'en'])) })

/** A certificate as the API shows it: exactly what the certificate shows, its status and its links. */
export const CertificateInfo = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(CERTIFICATE_KINDS),
  name: z.string(),
  business: z.nullable(z.string()),
  title: z.nullable(z.string()),
  topics: z.array(z.string()),
  minutes: z.number(),
  hours: z.number(),
  startedAt: z.string(),
  endedAt: z.string(),
  timeZone: z.string(),
  programName: z.nullable(z.string()),
  region: z.string(),
  regionName: z.string(),
  office: z.string(),
  issuedAt: z.string(),
  status: z.enum(['valid', 'revoked']),
  revokedAt: z.nullable(z.string()),
  revocationReason: z.nullable(z.enum(REVOCATION_REASONS)),
  links: z.object({ page: z.string(), pdf: z.string(), credential: z.string(), badge: z.string() }),
})

export const CertificatePage = z.object({
  items: z.array(CertificateInfo),
  nextCursor: z.nullable(z.string()),
})
