/**
 * Each certificate as an Open Badges 3.0 `OpenBadgeCredential` (W3C Verifiable Credentials 2.0 data
 * model), secured as a VC-JWT: a JWS in compact form whose payload is the credential itself, header
 * `{ alg: 'EdDSA', typ: 'vc+jwt', kid }` where `kid` is the URL of the signing key's JWK. The
 * registered claims `iss`, `jti`, `iat` and `nbf` repeat the credential's issuer, id and validity, as
 * Open Badges verifiers expect. Verification needs only the published keys (and, for revocation, the
 * published status list): never our database.
 */
import { compactVerify, decodeProtectedHeader, importJWK, SignJWT } from 'jose'
import type { Locale } from '../i18n/index.ts'
import type { CertificateItem } from './item.ts'
import { type PublishedKey, SIGNING_ALGORITHM } from './signing.ts'
import { statusBit, statusEntry } from './status-list.ts'
import { issuerId, verificationUrl } from './urls.ts'
import {
  achievementTitle,
  hoursLabel,
  kindHeading,
  kindLine,
  officeName,
  periodLabel,
  regionLabel,
} from './wording.ts'

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2'
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
export const CREDENTIAL_MEDIA_TYPE = 'application/vc+jwt'

/** What a credential says: the certificate's printed facts, its id and its status list entry. */
export type CredentialFacts = Pick<
  CertificateItem,
  | 'id'
  | 'number'
  | 'kind'
  | 'name'
  | 'business'
  | 'title'
  | 'topics'
  | 'minutes'
  | 'startedAt'
  | 'endedAt'
  | 'timeZone'
  | 'programName'
  | 'region'
  | 'classId'
  | 'engagementId'
  | 'issuedAt'
  | 'statusList'
  | 'statusIndex'
>

/** The issuing office's Open Badges `Profile` (also served at its id). */
export function issuerProfile(baseUrl: string, region: string, locale: Locale = 'id') {
  return {
    id: issuerId(baseUrl, region),
    type: ['Profile'],
    name: officeName(region, locale),
    url: baseUrl,
    address: {
      type: ['Address'],
      addressCountry: 'Indonesia',
      addressCountryCode: 'ID',
      ...(region === '*' ? {} : { addressRegion: regionLabel(region, locale) }),
    },
  }
}

function achievementId(facts: CredentialFacts): string {
  const about = facts.classId ? `class:${facts.classId}` : `engagement:${facts.engagementId ?? facts.id}`
  return `urn:pendamping:achievement:${about}:${facts.kind}`
}

/**
 * The unsigned credential of a certificate, in Bahasa Indonesia (the certificate's language of
 * record). Nothing in it goes beyond what the printed certificate shows.
 */
export function openBadgeCredential(facts: CredentialFacts, baseUrl: string) {
  const locale: Locale = 'id'
  const title = achievementTitle(facts, locale)
  const hours = hoursLabel(facts.minutes, locale)
  const period = periodLabel(facts.startedAt, facts.endedAt, facts.timeZone, locale)
  const summary = [
    `Nomor ${facts.number}`,
    hours,
    period,
    ...(facts.programName ? [`Program ${facts.programName}`] : []),
    ...(facts.business ? [`Usaha ${facts.business}`] : []),
  ].join(' · ')
  const issuer = issuerProfile(baseUrl, facts.region, locale)
  const completion = facts.kind === 'class_participant' || facts.kind === 'mentoring_owner'
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: verificationUrl(baseUrl, facts.id),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${kindHeading(facts.kind, locale)}: ${title}`,
    description: summary,
    issuer,
    validFrom: facts.issuedAt,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityHash: facts.name, identityType: 'name', hashed: false }],
      activityStartDate: facts.startedAt,
      activityEndDate: facts.endedAt,
      achievement: {
        id: achievementId(facts),
        type: ['Achievement'],
        achievementType: completion ? 'CertificateOfCompletion' : 'Certificate',
        name: title,
        description: `${kindLine(facts.kind, locale)} ${title} (${hours}).`,
        criteria: {
          narrative:
            facts.kind === 'class_participant'
              ? 'Memenuhi aturan kelulusan kelas: kehadiran pada pertemuan sesuai syarat kelas.'
              : facts.kind === 'class_trainer'
                ? 'Menjadi narasumber pada pertemuan kelas.'
                : 'Menyelesaikan pendampingan 1:1 dengan sesi yang tercatat selesai.',
        },
        creator: issuer,
        tag: facts.topics,
        inLanguage: locale,
      },
    },
    credentialStatus: statusEntry(baseUrl, facts.statusList, facts.statusIndex),
  }
}

export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>

/**
 * Signs a credential (or a status list credential) as a VC-JWT with the key that signs at
 * `issuedAt`'s time; `validUntil`, when the credential has one, becomes `exp`.
 */
export async function signCredential(
  credential: { id: string; issuer: { id: string } | string; validFrom: string; validUntil?: string },
  key: { kid: string; privateKey: CryptoKey },
): Promise<string> {
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id
  const jwt = new SignJWT(credential as Record<string, unknown>)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'vc+jwt', kid: key.kid })
    .setIssuer(issuer)
    .setJti(credential.id)
    .setIssuedAt(seconds(credential.validFrom))
    .setNotBefore(seconds(credential.validFrom))
  if (credential.validUntil) jwt.setExpirationTime(seconds(credential.validUntil))
  return await jwt.sign(key.privateKey)
}

/** The payload of a VC-JWT, unverified (to read what it claims before checking it). */
export function decodeCredential(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1]
  if (!payload) throw new Error('Not a compact JWS')
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

/** The outcome of checking a credential with published keys only. */
export interface Verification {
  /** Signature, key, structure and dates check out, and it is not revoked (when the status was read). */
  valid: boolean
  /** `true`/`false` from the status list; `null` when it was not checked. */
  revoked: boolean | null
  problems: string[]
  credential: Record<string, unknown> | undefined
  /** The key that signed it. */
  key: PublishedKey | undefined
}

export interface VerifyOptions {
  /** The issuer's published keys (its JWKS `keys`). */
  keys: readonly PublishedKey[]
  now: Date
  /**
   * Fetches a status list credential (a VC-JWT) by URL; without it revocation is not checked and
   * `revoked` is `null`.
   */
  fetchStatusList?: ((url: string) => Promise<string>) | undefined
}

type Payload = Record<string, unknown>

/** Checks the JWS and the key: `typ`, `alg`, a published key by `kid` whose window held `validFrom`. */
async function verifySigned(
  jwt: string,
  keys: readonly PublishedKey[],
  problems: string[],
): Promise<{ payload: Payload; key: PublishedKey } | undefined> {
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(jwt)
  } catch {
    problems.push('not a JWS in compact form')
    return undefined
  }
  if (header.alg !== SIGNING_ALGORITHM) problems.push(`alg is ${String(header.alg)}, not EdDSA`)
  if (header.typ !== 'vc+jwt') problems.push(`typ is ${String(header.typ)}, not vc+jwt`)
  const key = keys.find((candidate) => candidate.kid === header.kid)
  if (!key) {
    problems.push(`no published key has kid ${String(header.kid)}`)
    return undefined
  }
  let payload: Payload
  try {
    const publicKey = await importJWK({ kty: key.kty, crv: key.crv, x: key.x }, SIGNING_ALGORITHM)
    const { payload: bytes } = await compactVerify(jwt, publicKey, { algorithms: [SIGNING_ALGORITHM] })
    payload = JSON.parse(new TextDecoder().decode(bytes)) as Payload
  } catch {
    problems.push('the signature does not verify with the published key')
    return undefined
  }
  const validFrom = typeof payload.validFrom === 'string' ? payload.validFrom : undefined
  if (!validFrom || Number.isNaN(Date.parse(validFrom))) problems.push('validFrom is missing')
  else if (
    Date.parse(validFrom) < Date.parse(key.validFrom) ||
    (key.validUntil !== null && Date.parse(validFrom) >= Date.parse(key.validUntil))
  )
    problems.push('the key was not valid for signing when the credential was issued')
  return { payload, key }
}

function issuerOf(payload: Payload): string | undefined {
  const issuer = payload.issuer
  if (typeof issuer === 'string') return issuer
  if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string')
    return (issuer as { id: string }).id
  return undefined
}

const typesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value])

/**
 * Verifies an Open Badges 3.0 VC-JWT as any verifier would, with the issuer's published keys only:
 * the signature and the signing key's window, the VC 2.0 / Open Badges structure, its dates, the JWT
 * claims that mirror it, and — given `fetchStatusList` — its revocation bit in the signed status list.
 */
export async function verifyCredential(jwt: string, options: VerifyOptions): Promise<Verification> {
  const problems: string[] = []
  const signed = await verifySigned(jwt.trim(), options.keys, problems)
  if (!signed) return { valid: false, revoked: null, problems, credential: undefined, key: undefined }
  const { payload, key } = signed
  const context = payload['@context']
  if (!Array.isArray(context) || context[0] !== VC_CONTEXT || !context.includes(OB_CONTEXT))
    problems.push('@context is not VC 2.0 followed by Open Badges 3.0')
  const types = typesOf(payload.type)
  if (
    !types.includes('VerifiableCredential') ||
    !types.some((t) => t === 'OpenBadgeCredential' || t === 'AchievementCredential')
  )
    problems.push('type is not an OpenBadgeCredential')
  const issuer = issuerOf(payload)
  if (!issuer) problems.push('issuer is missing')
  if (payload.iss !== issuer) problems.push('iss does not match issuer.id')
  if (payload.jti !== undefined && payload.jti !== payload.id) problems.push('jti does not match id')
  const subject = payload.credentialSubject as { achievement?: unknown } | undefined
  if (!subject || typeof subject !== 'object' || !subject.achievement)
    problems.push('credentialSubject.achievement is missing')
  const now = options.now.getTime()
  if (typeof payload.validFrom === 'string' && Date.parse(payload.validFrom) > now + 60_000)
    problems.push('not valid yet')
  if (typeof payload.validUntil === 'string' && Date.parse(payload.validUntil) <= now)
    problems.push('expired')

  let revoked: boolean | null = null
  const status = payload.credentialStatus as
    | { type?: string; statusPurpose?: string; statusListIndex?: string; statusListCredential?: string }
    | undefined
  if (options.fetchStatusList && status?.type === 'BitstringStatusListEntry') {
    revoked = await revocationOf(status, issuer, options, problems)
  }
  return { valid: problems.length === 0 && revoked !== true, revoked, problems, credential: payload, key }
}

async function revocationOf(
  status: { statusPurpose?: string; statusListIndex?: string; statusListCredential?: string },
  issuer: string | undefined,
  options: VerifyOptions,
  problems: string[],
): Promise<boolean | null> {
  const index = Number(status.statusListIndex)
  if (!status.statusListCredential || !Number.isInteger(index)) {
    problems.push('credentialStatus is incomplete')
    return null
  }
  let listJwt: string
  try {
    listJwt = await (options.fetchStatusList as (url: string) => Promise<string>)(status.statusListCredential)
  } catch (error) {
    problems.push(`the status list could not be read (${(error as Error).message})`)
    return null
  }
  const listProblems: string[] = []
  const list = await verifySigned(listJwt.trim(), options.keys, listProblems)
  const subject = list?.payload.credentialSubject as
    | { statusPurpose?: string; encodedList?: string }
    | undefined
  if (!list || !typesOf(list.payload.type).includes('BitstringStatusListCredential') || !subject?.encodedList)
    listProblems.push('the status list is not a signed BitstringStatusListCredential')
  else if (issuerOf(list.payload) !== issuer) listProblems.push('the status list has another issuer')
  else if (subject.statusPurpose !== status.statusPurpose)
    listProblems.push('the status list has another purpose')
  if (listProblems.length > 0 || !subject?.encodedList) {
    problems.push(...listProblems.map((problem) => `status: ${problem}`))
    return null
  }
  try {
    return statusBit(subject.encodedList, index)
  } catch (error) {
    problems.push(`status: ${(error as Error).message}`)
    return null
  }
}
