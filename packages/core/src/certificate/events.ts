import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso, RegionCode } from '../event/shared.ts'
import { CERTIFICATE_KINDS, type CertificateItem, REVOCATION_REASONS } from './item.ts'

/** The issuing region: a region code, or `*` for a national certificate. */
const IssuingRegion = v.union([RegionCode, v.literal('*')])

/** What every certificate event carries: ids and codes, never the holder's name. */
const Facts = {
  certificateId: Id,
  kind: v.picklist(CERTIFICATE_KINDS),
  programId: v.nullable(Id),
  region: IssuingRegion,
  classId: v.nullable(Id),
  engagementId: v.nullable(Id),
}

/** The {@link Facts} of `certificate`, for its events. */
export function factsOf(certificate: CertificateItem) {
  return {
    certificateId: certificate.id,
    kind: certificate.kind,
    programId: certificate.programId,
    region: certificate.region,
    classId: certificate.classId,
    engagementId: certificate.engagementId,
  }
}

/** Events of e-certificates. */
export const CertificateEvents = {
  /** A certificate was issued (once per class completion, class taught or mentoring completed). */
  Issued: defineEvent('CertificateIssued', 1, v.object({ ...Facts, minutes: v.number(), issuedAt: Iso })),
  /** Staff of the issuing region revoked it; the status list says so from now on. */
  Revoked: defineEvent(
    'CertificateRevoked',
    1,
    v.object({ ...Facts, reason: v.picklist(REVOCATION_REASONS), revokedAt: Iso }),
  ),
}
