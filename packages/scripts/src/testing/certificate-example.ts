/**
 * A certificate to render and sign in tests and examples: a participant of Kota Malang's "Sinau TikTok
 * & YouTube" class, with a name that needs Latin Extended letters.
 */
import {
  type CertificateAuthority,
  type CertificateItem,
  openBadgeCredential,
  signCredential,
} from '@pendamping/core/certificate'

export const EXAMPLE_BASE_URL = 'https://pendamping.example.id'

export function exampleFacts(overrides: Partial<CertificateItem> = {}): Omit<CertificateItem, 'credential'> {
  return {
    entity: 'certificate',
    version: 1,
    id: 'q2XqL0s9ZkRkS3v1bWc5Tg',
    number: '00042/PDP/35.73/2026',
    kind: 'class_participant',
    source: 'class:c1:registration:r1',
    holder: { kind: 'participant', id: 'p1' },
    name: 'Ni Luh Putu Ayu Ṣaraswatī',
    business: null,
    title: 'Sinau TikTok & YouTube untuk UMKM: konten video yang menjual',
    topics: ['content', 'social_media'],
    minutes: 390,
    startedAt: '2026-05-04T02:00:00.000Z',
    endedAt: '2026-05-05T06:00:00.000Z',
    timeZone: 'Asia/Jakarta',
    programId: 'prog1',
    programName: 'Malang Digital 2026',
    region: '35.73',
    office: 'Pemerintah Kota Malang',
    classId: 'c1',
    engagementId: null,
    requestId: null,
    issuedAt: '2026-05-06T03:00:00.000Z',
    statusList: '35.73-2026',
    statusIndex: 4242,
    status: 'valid',
    revokedAt: null,
    revocationReason: null,
    revokedBy: null,
    updatedAt: '2026-05-06T03:00:00.000Z',
    ...overrides,
  }
}

/** {@link exampleFacts} with its credential signed by `authority`. */
export async function exampleCertificate(
  authority: CertificateAuthority,
  overrides: Partial<CertificateItem> = {},
): Promise<CertificateItem> {
  const facts = exampleFacts(overrides)
  const key = authority.keys.signingKey(new Date(facts.issuedAt), authority.baseUrl)
  return { ...facts, credential: await signCredential(openBadgeCredential(facts, authority.baseUrl), key) }
}
