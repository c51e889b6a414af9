/**
 * E-certificates (docs/contract/classes-and-certificates.md): issued automatically, exactly once, when a participant completes a class,
 * to each trainer when a class finishes, and to both sides of a completed 1:1 mentoring engagement;
 * each one a printable PDF, a public verification page and an Open Badges 3.0 credential; revocable
 * by staff of the issuing region, published in a W3C Bitstring Status List.
 *
 * Exactly once: a certificate is written in one transaction with the claim of its source
 * (`class:<id>:registration:<id>`, `engagement:<id>:mentor` …), put only if absent, so a redelivered
 * event — or two deliveries racing — writes nothing the second time, beside the consumer's own claim.
 */
import { regionCovers, requireAccount } from '../actor/index.ts'
import {
  Certificate,
  CertificateSource,
  nextCertificateNumber,
  StatusList,
} from '../adapters/dynamo/entities/certificate.ts'
import { get, type Page, query, type Refusal, transact } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import type { Locale } from '../i18n/index.ts'
import { isRegionCode } from '../region/index.ts'
import type { Clock, Store } from '../store.ts'
import { issuerProfile, openBadgeCredential, signCredential } from './credential.ts'
import { CertificateEvents, factsOf } from './events.ts'
import type { CertificateItem, CertificateKind, HolderKind, RevocationReason } from './item.ts'
import './messages.ts'
import type * as Badge from './badge.ts'
import type * as Pdf from './pdf.ts'
import type { CertificateAuthority } from './signing.ts'
import { randomStatusIndex, regionOfStatusList, statusListCredential, statusListIdOf } from './status-list.ts'
import { badgeUrl, credentialUrl, pdfUrl, verificationUrl } from './urls.ts'
import { officeName, regionLabel } from './wording.ts'

export {
  CREDENTIAL_MEDIA_TYPE,
  type CredentialFacts,
  decodeCredential,
  openBadgeCredential,
  signCredential,
  type Verification,
  verifyCredential,
} from './credential.ts'
export { ERASURE_REVOKER, eraseCertificatesOf } from './erase.ts'
export { CertificateEvents } from './events.ts'
export {
  CertificateInfo,
  CertificateListQuery,
  CertificatePage,
  LanguageQuery,
  RegionCertificateQuery,
  RevokeInput,
} from './input.ts'
export { issueForEngagement, issueForParticipant, issueForTrainers } from './issue.ts'
export * from './item.ts'
export type { CertificateAuthority } from './signing.ts'
export {
  CertificateKeys,
  generateKeyring,
  type Keyring,
  keySetUrl,
  type PublishedKey,
  parseKeyring,
  rotateKeyring,
} from './signing.ts'
export {
  achievementTitle,
  dateLabel,
  hoursLabel,
  kindHeading,
  kindLine,
  label,
  periodLabel,
  reasonLabel,
} from './wording.ts'

/** What a certificate is issued for: everything printed on it, and the source it is issued once for. */
export interface Issuance {
  kind: CertificateKind
  source: string
  holder: { kind: HolderKind; id: string }
  name: string
  business: string | null
  title: string | null
  topics: string[]
  minutes: number
  startedAt: string
  endedAt: string
  timeZone: string
  programId: string | null
  programName: string | null
  /** The issuing region, or `*`. */
  region: string
  classId: string | null
  engagementId: string | null
  requestId: string | null
}

/** How often a random status list index is drawn again when another certificate holds it. */
const INDEX_ATTEMPTS = 8

/** `00042/PDP/35.73/2026`: the number within the issuing region and year, zero-padded to 5 digits. */
export function certificateNumber(sequence: number, region: string, year: string): string {
  return `${String(sequence).padStart(5, '0')}/PDP/${region === '*' ? 'NAS' : region}/${year}`
}

/** The year of an instant in a time zone. */
const yearIn = (iso: string, timeZone: string) =>
  new Date(iso).toLocaleDateString('en-CA', { timeZone, year: 'numeric' })

/**
 * Issues the certificate of `issuance` unless its source has one already. Calls: 1 `GetItem` (the
 * source's claim) and, for a new certificate, 1 `UpdateItem` (its number) + 1 `TransactWriteItems`
 * (claim, certificate, status list index, `CertificateIssued`), drawn again if the random index was
 * taken.
 *
 * @returns the certificate's id, and whether this call issued it
 */
export async function issueCertificate(
  store: Store,
  clock: Clock,
  authority: CertificateAuthority,
  issuance: Issuance,
): Promise<{ id: string; issued: boolean }> {
  const existing = await get(store, CertificateSource, { source: issuance.source })
  if (existing) return { id: existing.certificateId, issued: false }
  const now = clock.now()
  const issuedAt = now.toISOString()
  const year = yearIn(issuedAt, issuance.timeZone)
  const number = certificateNumber(
    await nextCertificateNumber(store, issuance.region, year),
    issuance.region,
    year,
  )
  const id = newId()
  const statusList = statusListIdOf(issuance.region, issuedAt)
  const signingKey = authority.keys.signingKey(now, authority.baseUrl)
  const taken = new Error('index taken')
  for (let attempt = 1; ; attempt++) {
    const statusIndex = randomStatusIndex()
    const facts = { ...issuance, id, number, issuedAt, statusList, statusIndex }
    const credential = await signCredential(openBadgeCredential(facts, authority.baseUrl), signingKey)
    const certificate: CertificateItem = {
      entity: 'certificate',
      version: 1,
      ...facts,
      office: officeName(issuance.region),
      credential,
      status: 'valid',
      revokedAt: null,
      revocationReason: null,
      revokedBy: null,
      updatedAt: issuedAt,
    }
    const event = createEvent(
      CertificateEvents.Issued,
      { ...factsOf(certificate), minutes: certificate.minutes, issuedAt },
      now,
    )
    const sourceTaken = new Error('source taken')
    try {
      await transact(
        store,
        [
          ['source', CertificateSource.claim(issuance.source, id)],
          ['certificate', Certificate.put(certificate)],
          ['index', StatusList.takeIndex(statusList, statusIndex, id)],
          ['event', outbox(event)],
        ],
        { explain: (refusal: Refusal<string>) => (refusal.conditions.has('source') ? sourceTaken : taken) },
      )
      return { id, issued: true }
    } catch (error) {
      if (error === sourceTaken) {
        const winner = await get(store, CertificateSource, { source: issuance.source })
        return { id: winner?.certificateId ?? id, issued: false }
      }
      if (error !== taken || attempt >= INDEX_ATTEMPTS) throw error
    }
  }
}

/** A certificate as anyone holding its link sees it: exactly what the certificate itself shows. */
export interface CertificateView {
  id: string
  number: string
  kind: CertificateKind
  name: string
  business: string | null
  title: string | null
  topics: string[]
  minutes: number
  hours: number
  startedAt: string
  endedAt: string
  timeZone: string
  programName: string | null
  region: string
  regionName: string
  office: string
  issuedAt: string
  status: 'valid' | 'revoked'
  revokedAt: string | null
  revocationReason: RevocationReason | null
  links: { page: string; pdf: string; credential: string; badge: string }
}

/** The public view of a certificate, in `locale` (the office's name and the page link). */
export function certificateView(
  certificate: CertificateItem,
  baseUrl: string,
  locale: Locale = 'id',
): CertificateView {
  return {
    id: certificate.id,
    number: certificate.number,
    kind: certificate.kind,
    name: certificate.name,
    business: certificate.business,
    title: certificate.title,
    topics: certificate.topics,
    minutes: certificate.minutes,
    hours: Math.round((certificate.minutes / 60) * 10) / 10,
    startedAt: certificate.startedAt,
    endedAt: certificate.endedAt,
    timeZone: certificate.timeZone,
    programName: certificate.programName,
    region: certificate.region,
    regionName: regionLabel(certificate.region, locale),
    office: officeName(certificate.region, locale),
    issuedAt: certificate.issuedAt,
    status: certificate.status,
    revokedAt: certificate.revokedAt,
    revocationReason: certificate.revocationReason,
    links: {
      page: verificationUrl(baseUrl, certificate.id, locale),
      pdf: pdfUrl(baseUrl, certificate.id, locale),
      credential: credentialUrl(baseUrl, certificate.id),
      badge: badgeUrl(baseUrl, certificate.id),
    },
  }
}

/** One certificate by id, or 404. Public: its id (128 random bits) is the link printed on it. One `GetItem`. */
export async function getCertificate(store: Store, id: string): Promise<CertificateItem> {
  const certificate = await get(store, Certificate, { id })
  if (!certificate) throw new NotFoundError('No such certificate')
  return certificate
}

/**
 * Revokes a certificate with a reason category: staff whose region covers the issuing region (admins
 * for national ones). One transaction: the certificate (only while valid), its bit in the status
 * list, and `CertificateRevoked`. Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 *
 * @throws ForbiddenError outside the caller's region (a certificate's existence is public);
 * ConflictError `certificate-revoked` when it already is
 */
export async function revokeCertificate(
  store: Store,
  clock: Clock,
  id: string,
  reason: RevocationReason,
): Promise<CertificateItem> {
  const actor = requireAccount('staff')
  const certificate = await getCertificate(store, id)
  if (!regionCovers(actor.region, certificate.region))
    throw new ForbiddenError('Certificate issued outside the account’s region')
  if (certificate.status === 'revoked') throw new ConflictError('Already revoked', 'certificate-revoked')
  const now = clock.now()
  const revokedAt = now.toISOString()
  const revoked: CertificateItem = {
    ...certificate,
    status: 'revoked',
    revokedAt,
    revocationReason: reason,
    revokedBy: actor.sub,
    updatedAt: revokedAt,
  }
  await transact(
    store,
    [
      [
        'certificate',
        Certificate.update(
          certificate,
          {
            set: {
              status: 'revoked',
              revokedAt,
              revocationReason: reason,
              revokedBy: actor.sub,
              updatedAt: revokedAt,
            },
          },
          { when: Certificate.valid },
        ),
      ],
      ['list', StatusList.revoke(certificate.statusList, certificate.statusIndex, revokedAt)],
      [
        'event',
        outbox(createEvent(CertificateEvents.Revoked, { ...factsOf(certificate), reason, revokedAt }, now)),
      ],
    ],
    { explain: () => new ConflictError('Already revoked', 'certificate-revoked') },
  )
  return revoked
}

/** One page of a holder's certificates, newest first. One `Query`. */
export async function listCertificatesOf(
  store: Store,
  holder: { kind: HolderKind; id: string },
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<CertificateItem>> {
  return query(store, Certificate.ofHolder(holder), page)
}

/** One page of the certificates issued in the staff member's region (or `region` inside it). One `Query`. */
export async function listCertificatesInRegion(
  store: Store,
  region: string | undefined,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<CertificateItem>> {
  const actor = requireAccount('staff')
  const scope = region ?? actor.region
  if (!regionCovers(actor.region, scope)) throw new ForbiddenError('Region outside the account’s region')
  const result = await query(store, Certificate.inRegion(scope), page)
  return { ...result, items: result.items.filter((item) => regionCovers(actor.region, item.region)) }
}

/**
 * The signed `BitstringStatusListCredential` of a list as of now (valid a day; verifiers fetch it
 * again). 404 for a list id that names no issuer. Calls: 1 `GetItem`.
 */
export async function signedStatusList(
  store: Store,
  clock: Clock,
  authority: CertificateAuthority,
  listId: string,
): Promise<string> {
  const region = regionOfStatusList(listId)
  if (region === undefined || (region !== '*' && !isRegionCode(region)))
    throw new NotFoundError('No such status list')
  const list = await get(store, StatusList, { listId })
  const now = clock.now()
  const credential = {
    ...statusListCredential({
      baseUrl: authority.baseUrl,
      listId,
      region,
      revoked: list?.revoked ?? [],
      updatedAt: now.toISOString(),
    }),
    validUntil: new Date(now.getTime() + 24 * 3_600_000).toISOString(),
  }
  return signCredential(credential, authority.keys.signingKey(now, authority.baseUrl))
}

/** The issuing office's Open Badges profile (`/openbadges/issuers/{region|nasional}`), or 404. */
export function issuerProfileOf(baseUrl: string, regionKey: string) {
  const region = regionKey === 'nasional' ? '*' : regionKey
  if (region !== '*' && !isRegionCode(region)) throw new NotFoundError('No such issuer')
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    ...issuerProfile(baseUrl, region),
  }
}

/*
 * The certificate's media, loaded on first use: pdf-lib, its font and the PNG code stay out of every
 * cold start that does not draw a certificate (docs/decisions/0003-lazy-route-groups.md).
 */

/** The certificate as an A4 landscape PDF with the credential embedded (`pdf.ts`). */
export async function renderCertificatePdf(...args: Parameters<typeof Pdf.renderCertificatePdf>) {
  return (await import('./pdf.ts')).renderCertificatePdf(...args)
}

/** The credential embedded in a certificate PDF, if any. */
export async function credentialOfPdf(bytes: Uint8Array): Promise<string | undefined> {
  return (await import('./pdf.ts')).credentialOfPdf(bytes)
}

/** The certificate's Open Badges image: a QR code of its verification page with the credential baked in. */
export async function bakedBadge(baseUrl: string, certificate: Pick<CertificateItem, 'id' | 'credential'>) {
  const { badgeImage, bakeBadge } = await import('./badge.ts')
  return bakeBadge(badgeImage(verificationUrl(baseUrl, certificate.id)), certificate.credential)
}

/** The credential baked into an Open Badges PNG, if any. */
export async function unbakeBadge(...args: Parameters<typeof Badge.unbakeBadge>) {
  return (await import('./badge.ts')).unbakeBadge(...args)
}
