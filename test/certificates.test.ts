/**
 * E-certificates on DynamoDB Local: issued once from `ParticipantCompleted`, `ClassFinished` and
 * `EngagementEnded` (delivered to the consumer as EventBridge events), then verified, downloaded,
 * listed and revoked through the HTTP API, and checked with nothing but what the API publishes.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { withContext } from '@pendamping/core/actor'
import { toBusDetail } from '@pendamping/core/bus'
import {
  CertificateKeys,
  generateKeyring,
  type PublishedKey,
  unbakeBadge,
  verifyCredential,
} from '@pendamping/core/certificate'
import {
  ClassEvents,
  type ClassItem,
  type ParticipantItem,
  type RegistrationItem,
} from '@pendamping/core/class'
import { get, newId, transact } from '@pendamping/core/dynamo'
import type { EngagementItem } from '@pendamping/core/engagement'
import { Class, Engagement, Participant, Registration, Request } from '@pendamping/core/entities'
import { createEvent, EVENT_SOURCE, type EventEnvelope } from '@pendamping/core/event'
import { OfferEvents } from '@pendamping/core/offer'
import { newTrackingToken } from '@pendamping/core/request'
import type { Clock } from '@pendamping/core/store'
import { handler } from '@pendamping/functions/consumers/certificates'
import { handler as countReports } from '@pendamping/functions/consumers/report'
import { provideRuntime } from '@pendamping/functions/runtime'
import { verifyCertificateFile } from '@pendamping/scripts/certificate-verify'
import { LocalNotifier } from '@pendamping/scripts/local/notifier'
import { seed } from '@pendamping/scripts/seed'
import { seedMentors } from '@pendamping/scripts/seed-mentors'
import { testApp } from '@pendamping/scripts/testing/app'
import { outboxEvents } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import type { EventBridgeEvent } from 'aws-lambda'
import { beforeAll, describe, expect, it } from 'vitest'

const table = useTestTable()
const store = () => ({ doc: table.doc, tableName: table.tableName })
let now = new Date('2026-05-06T03:00:00Z')
const clock: Clock = { now: () => now }
const BASE = 'https://pendamping.test'
const work = mkdtempSync(join(tmpdir(), 'certificates-'))

let app: Awaited<ReturnType<typeof testApp>>['app']
let keys: Awaited<ReturnType<typeof testApp>>['keys']
let programId = ''
let requests: Array<{ id: string; trackingToken: string }> = []
const participantToken = newTrackingToken()

/** The EventBridge event the bus would deliver for an envelope. */
function busEvent(envelope: EventEnvelope): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': envelope.type,
    source: EVENT_SOURCE,
    account: '000000000000',
    time: envelope.occurredAt,
    region: 'ap-southeast-3',
    resources: [],
    detail: toBusDetail(envelope),
  }
}

const klass: ClassItem = {
  entity: 'class',
  version: 1,
  id: 'class-tiktok',
  programId: '',
  region: '35.73',
  title: 'Sinau TikTok & YouTube',
  topics: ['content', 'social_media'],
  description: 'Konten video yang menjual.',
  trainers: [{ mentorId: 'demo-mentor-01', sub: 'demo-mentor-01', name: 'Dimas' }],
  mode: 'hybrid',
  meetingUrl: 'https://meet.example.id/abc',
  place: 'Balai Kota Malang',
  timeZone: 'Asia/Jakarta',
  meetings: [
    { id: 'm1', startsAt: '2026-05-04T02:00:00.000Z', endsAt: '2026-05-04T05:00:00.000Z' },
    { id: 'm2', startsAt: '2026-05-05T02:00:00.000Z', endsAt: '2026-05-05T05:30:00.000Z' },
  ],
  firstMeetingAt: '2026-05-04T02:00:00.000Z',
  lastMeetingEndsAt: '2026-05-05T05:30:00.000Z',
  seats: { umum: 70, asn: 70 },
  registrationOpensAt: '2026-04-01T00:00:00.000Z',
  registrationClosesAt: '2026-05-03T00:00:00.000Z',
  completion: { rule: 'all', minimumPercent: 100 },
  admission: 'first_come',
  status: 'finished',
  seedHash: null,
  seed: null,
  drawnAt: null,
  followOnOf: null,
  createdAt: '2026-03-20T00:00:00.000Z',
  updatedAt: '2026-05-06T00:00:00.000Z',
  createdBy: 'staff-malang',
  publishedAt: '2026-04-01T00:00:00.000Z',
  filledAt: null,
  finishedAt: '2026-05-06T00:00:00.000Z',
  cancelledAt: null,
}

const participant = (id: string, name: string): ParticipantItem => ({
  entity: 'participant',
  version: 1,
  id,
  name,
  phone: '+6281234567890',
  email: null,
  region: '35.73.02',
  business: null,
  consent: {
    purposes: {
      matching_contact: true,
      reminders: true,
      program_reports: true,
      follow_on_invitations: false,
    },
    purposeVersion: '2026-11',
    recordedAt: '2026-04-02T00:00:00.000Z',
  },
  locale: 'id',
  tokenHash: participantToken.hash,
  createdAt: '2026-04-02T00:00:00.000Z',
  updatedAt: '2026-04-02T00:00:00.000Z',
})

const registration = (
  id: string,
  participantId: string,
  status: RegistrationItem['status'],
): RegistrationItem => ({
  entity: 'registration',
  version: 1,
  id,
  classId: klass.id,
  programId: klass.programId,
  classRegion: klass.region,
  participantId,
  name: 'x',
  region: '35.73.02',
  segment: 'umum',
  status,
  queue: `2026-04-02T00:00:0${id.length % 10}.000Z`,
  phoneHash: `hash-${id}`,
  interest: null,
  registeredAt: '2026-04-02T00:00:00.000Z',
  updatedAt: '2026-05-06T00:00:00.000Z',
  confirmedAt: '2026-04-02T00:00:00.000Z',
  drawRank: null,
  attendance: status === 'attended' ? { m1: 'present', m2: 'present' } : { m1: 'present', m2: 'absent' },
  completedAt: status === 'attended' ? '2026-05-06T00:00:00.000Z' : null,
})

const completed = (registrationId: string, participantId: string) =>
  createEvent(
    ClassEvents.ParticipantCompleted,
    {
      classId: klass.id,
      programId: klass.programId,
      classRegion: klass.region,
      registrationId,
      participantId,
      region: '35.73.02',
      segment: 'umum',
      attendedMeetings: 2,
      meetings: 2,
      minutes: 390,
      completedAt: '2026-05-06T00:00:00.000Z',
    },
    now,
  )

const staff = (region: string) => keys.sign({ sub: `staff-${region}`, role: 'staff', region })

async function call(
  path: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  return app.request(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
}

/** Every outbox event of a type written so far. */
const outboxOf = (type: string) => outboxEvents(table, type)

/** The certificates listed under a holder partition, straight from the index. */
async function certificatesOf(partition: string) {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: 'byOwner',
      KeyConditionExpression: 'byOwnerPk = :p AND begins_with(byOwnerSk, :k)',
      ExpressionAttributeValues: { ':p': partition, ':k': 'CERTIFICATE#' },
    }),
  )
  return Items
}

let published: PublishedKey[] = []

beforeAll(async () => {
  const certificates = {
    baseUrl: BASE,
    keys: await CertificateKeys.from(await generateKeyring(new Date('2026-01-01T00:00:00Z'))),
  }
  published = certificates.keys.published(BASE)
  ;({ app, keys } = await testApp(table, { clock, certificates }))
  provideRuntime({ store: store(), clock, notifier: new LocalNotifier(), publicUrl: BASE, certificates })
  await seedMentors(store(), clock)
  const seeded = await seed(store(), clock)
  programId = seeded.programId ?? ''
  requests = seeded.requests
  klass.programId = programId
  await transact(store(), [
    ['class', Class.put(klass)],
    ['siti', Participant.put(participant('p-siti', 'Siti Rahayu'))],
    ['ayu', Participant.put(participant('p-ayu', 'Ni Luh Ayu Saraswatī'))],
    ['siti-reg', Registration.put(registration('r-siti', 'p-siti', 'attended'))],
    ['ayu-reg', Registration.put(registration('r-ayu', 'p-ayu', 'absent'))],
  ])
})

describe('Issuing certificates', () => {
  it('issues a participant’s certificate exactly once, however often and however concurrently the event comes', async () => {
    const event = completed('r-siti', 'p-siti')
    await Promise.all(Array.from({ length: 5 }, () => handler(busEvent(event))))
    await handler(busEvent(event))
    // Another event for the same completion (a replayed decision) puts nothing either.
    await handler(busEvent(completed('r-siti', 'p-siti')))
    const listed = await certificatesOf('PARTICIPANT#p-siti')
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({
      kind: 'class_participant',
      name: 'Siti Rahayu',
      title: 'Sinau TikTok & YouTube',
      minutes: 390,
      region: '35.73',
      office: 'Pemerintah Kota Malang',
      programName: 'Pendampingan Digital UMKM Kota Malang 2026',
      status: 'valid',
      number: '00001/PDP/35.73/2026',
    })
    const issued = await outboxOf('CertificateIssued')
    expect(issued).toHaveLength(1)
    expect(issued[0]?.detail).toEqual({
      certificateId: listed[0]?.id,
      kind: 'class_participant',
      programId,
      region: '35.73',
      classId: klass.id,
      engagementId: null,
      minutes: 390,
      issuedAt: now.toISOString(),
    })
  })

  it('never issues one to someone who did not complete', async () => {
    await handler(busEvent(completed('r-ayu', 'p-ayu')))
    expect(await certificatesOf('PARTICIPANT#p-ayu')).toEqual([])
  })

  it('gives each trainer of a finished class a certificate for the hours of its meetings', async () => {
    const finished = createEvent(
      ClassEvents.Finished,
      {
        classId: klass.id,
        programId,
        classRegion: klass.region,
        participants: 2,
        completed: 1,
        presentMarks: 3,
        possibleMarks: 4,
        finishedAt: '2026-05-06T00:00:00.000Z',
      },
      now,
    )
    await handler(busEvent(finished))
    await handler(busEvent(finished))
    const listed = await certificatesOf('MENTOR#demo-mentor-01')
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ kind: 'class_trainer', minutes: 390, classId: klass.id })
  })

  it('gives the owner and the mentor of a completed engagement their certificates, and nothing for one ended early', async () => {
    const [done, stopped] = requests
    const engagement = (id: string, requestId: string, status: EngagementItem['status']): EngagementItem => ({
      entity: 'engagement',
      version: 1,
      id,
      status,
      requestId,
      offerId: newId(),
      mentorId: 'demo-mentor-02',
      mentorSub: 'demo-mentor-02',
      programId,
      region: '35.73.01',
      needs: ['social_media', 'branding'],
      timeZone: 'Asia/Jakarta',
      startedAt: '2026-04-01T00:00:00.000Z',
      endedAt: '2026-05-05T00:00:00.000Z',
      updatedAt: '2026-05-05T00:00:00.000Z',
      scheduledSessions: 0,
      completedSessions: status === 'completed' ? 3 : 0,
      minutes: status === 'completed' ? 180 : 0,
      progress: [],
    })
    await transact(store(), [
      ['done', Engagement.put(engagement('eng-done', done?.id ?? '', 'completed'))],
      ['stopped', Engagement.put(engagement('eng-stopped', stopped?.id ?? '', 'ended'))],
    ])
    const ended = (engagementId: string, requestId: string, outcome: 'completed' | 'ended') =>
      createEvent(
        OfferEvents.EngagementEnded,
        { engagementId, requestId, mentorId: 'demo-mentor-02', programId, outcome },
        now,
      )
    await handler(busEvent(ended('eng-done', done?.id ?? '', 'completed')))
    await handler(busEvent(ended('eng-stopped', stopped?.id ?? '', 'ended')))
    const owner = await certificatesOf(`REQUEST#${done?.id}`)
    expect(owner).toHaveLength(1)
    expect(owner[0]).toMatchObject({
      kind: 'mentoring_owner',
      name: 'Sri Wahyuni',
      business: 'Warung Pecel Bu Sri',
      minutes: 180,
    })
    expect(await certificatesOf(`REQUEST#${stopped?.id}`)).toEqual([])
    const mentor = await certificatesOf('MENTOR#demo-mentor-02')
    expect(mentor.map((item) => item.kind)).toEqual(['mentoring_mentor'])
  })
})

describe('Verifying a certificate', () => {
  const siti = async () =>
    (await certificatesOf('PARTICIPANT#p-siti'))[0] as { id: string; number: string; credential: string }

  it('has a public page that says valid and shows what the certificate shows, in both languages; unknown ids are 404', async () => {
    const certificate = await siti()
    const page = await call(`/sertifikat/${certificate.id}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('x-robots-tag')).toBe('noindex')
    const html = await page.text()
    for (const shown of [
      'Sertifikat sah',
      'Siti Rahayu',
      'Sinau TikTok &amp; YouTube',
      '6,5 jam',
      certificate.number,
      'Pemerintah Kota Malang',
    ])
      expect(html).toContain(shown)
    expect(html).not.toContain('+6281234567890')
    const english = await (await call(`/en/certificate/${certificate.id}`)).text()
    expect(english).toContain('Valid certificate')
    expect(english).toContain('6.5 hours')
    const unknown = await call(`/sertifikat/${newId()}`)
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain('Sertifikat tidak ditemukan')
    expect((await call(`/v1/certificates/${newId()}`)).status).toBe(404)
    const json = await (await call(`/v1/certificates/${certificate.id}`)).json()
    expect(json).toMatchObject({ id: certificate.id, status: 'valid', name: 'Siti Rahayu', hours: 6.5 })
    expect(Object.keys(json)).not.toContain('credential')
  })

  it('downloads as a PDF with the name and number, as a credential, and as a baked badge, all verifiable with the published keys', async () => {
    const certificate = await siti()
    const pdf = await call(`/v1/certificates/${certificate.id}/pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const pdfFile = join(work, 'siti.pdf')
    writeFileSync(pdfFile, new Uint8Array(await pdf.arrayBuffer()))
    const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' })
    expect(text).toContain('Siti Rahayu')
    expect(text).toContain(certificate.number)

    const credential = await call(`/v1/certificates/${certificate.id}/credential`)
    expect(credential.headers.get('content-type')).toBe('application/vc+jwt')
    expect(await credential.text()).toBe(certificate.credential)
    const badge = await call(`/v1/certificates/${certificate.id}/badge.png`)
    expect(badge.headers.get('content-type')).toBe('image/png')
    const png = new Uint8Array(await badge.arrayBuffer())
    expect(await unbakeBadge(png)).toBe(certificate.credential)
    writeFileSync(join(work, 'siti.png'), png)

    const jwks = await (await call('/.well-known/openbadges-keys.json')).json()
    expect(jwks).toEqual({ keys: published })
    const kid = published[0]?.kid ?? ''
    expect(await (await call(new URL(kid).pathname)).json()).toEqual(published[0])
    expect(await (await call('/openbadges/issuers/35.73')).json()).toMatchObject({
      type: ['Profile'],
      name: 'Pemerintah Kota Malang',
    })
    // The verify command, with the app standing in for the network.
    const viaApp = (async (input: string | URL | Request) =>
      app.request(new URL(String(input)).pathname)) as typeof fetch
    for (const file of ['siti.pdf', 'siti.png'])
      expect(await verifyCertificateFile(join(work, file), { fetch: viaApp, now })).toMatchObject({
        valid: true,
        revoked: false,
        keySource: `${BASE}/.well-known/openbadges-keys.json`,
      })
  })
})

describe('Revoking a certificate', () => {
  it('takes staff of the issuing region, says revoked everywhere, refuses a second revocation, and publishes it', async () => {
    const [certificate] = (await certificatesOf('PARTICIPANT#p-siti')) as Array<{
      id: string
      credential: string
      statusList: string
    }>
    const id = certificate?.id ?? ''
    const revoke = (token: string, body: unknown = { reason: 'requirements_not_met' }) =>
      call(`/v1/certificates/${id}/revoke`, { method: 'POST', token, body })
    expect((await revoke(await staff('35.78'))).status).toBe(403)
    expect(
      (await revoke(await keys.sign({ sub: 'demo-mentor-01', role: 'mentor', region: '35.73' }))).status,
    ).toBe(403)
    expect(
      (await call(`/v1/certificates/${id}/revoke`, { method: 'POST', body: { reason: 'other' } })).status,
    ).toBe(401)
    expect((await revoke(await staff('35.73'), { reason: 'because' })).status).toBe(400)
    now = new Date('2026-05-20T01:00:00Z')
    const revoked = await revoke(await staff('35'))
    expect(revoked.status).toBe(200)
    expect(await revoked.json()).toMatchObject({
      status: 'revoked',
      revocationReason: 'requirements_not_met',
      revokedAt: now.toISOString(),
    })
    const again = await revoke(await staff('35.73'))
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ type: 'urn:pendamping:problem:certificate-revoked' })

    const html = await (await call(`/sertifikat/${id}`)).text()
    expect(html).toContain('Sertifikat dicabut')
    expect(html).toContain('20 Mei 2026')
    expect(html).toContain('Syarat kelulusan tidak terpenuhi')
    expect(await outboxOf('CertificateRevoked')).toHaveLength(1)

    const list = await call(`/v1/status-lists/${certificate?.statusList}`)
    expect(list.headers.get('content-type')).toBe('application/vc+jwt')
    const fetchStatusList = async (url: string) => (await call(new URL(url).pathname)).text()
    expect(
      await verifyCredential(certificate?.credential ?? '', { keys: published, now, fetchStatusList }),
    ).toMatchObject({
      valid: false,
      revoked: true,
    })
    expect((await call('/v1/status-lists/99.99-2026')).status).toBe(404)
  })
})

describe('Lists of certificates', () => {
  it('shows a mentor theirs, an owner theirs by tracking token, a participant theirs by token, staff their region’s', async () => {
    const mine = await call('/v1/me/certificates', {
      token: await keys.sign({ sub: 'demo-mentor-02', role: 'mentor', region: '35.73' }),
    })
    expect(mine.status).toBe(200)
    expect((await mine.json()).items.map((item: { kind: string }) => item.kind)).toEqual(['mentoring_mentor'])

    const [done] = requests
    const owner = await call(`/v1/requests/${done?.id}/certificates`, {
      headers: { 'x-tracking-token': done?.trackingToken ?? '' },
    })
    expect(owner.status).toBe(200)
    expect((await owner.json()).items).toMatchObject([{ kind: 'mentoring_owner', name: 'Sri Wahyuni' }])
    expect(
      (await call(`/v1/requests/${done?.id}/certificates`, { headers: { 'x-tracking-token': 'wrong' } }))
        .status,
    ).toBe(404)

    const theirs = await call('/v1/participants/p-siti/certificates', {
      headers: { 'x-tracking-token': participantToken.token },
    })
    expect(theirs.status).toBe(200)
    expect((await theirs.json()).items).toMatchObject([{ kind: 'class_participant', status: 'revoked' }])
    const wrong = { headers: { 'x-tracking-token': 'nope' } }
    expect((await call('/v1/participants/p-siti/certificates', wrong)).status).toBe(404)

    const region = await call('/v1/certificates', { token: await staff('35.73') })
    // Two of the class (participant, trainer), two of the engagement in the Kota Malang program.
    expect((await region.json()).items.length).toBe(4)
    const national = await call('/v1/certificates?region=35', { token: await staff('35.73') })
    expect(national.status).toBe(403)
  })
})

describe('The owner’s tracking page', () => {
  it('lists the certificate of mentoring for download once the request is completed', async () => {
    const [done] = requests
    const request = await get(store(), Request, { id: done?.id ?? '' })
    if (!request) throw new Error('seeded request expected')
    await transact(store(), [
      ['request', Request.update(request, { set: { status: 'completed', updatedAt: now.toISOString() } })],
    ])
    const opened = await call(`/lacak/${done?.id}?token=${done?.trackingToken}`)
    expect(opened.status).toBe(303)
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const page = await call(`/lacak/${done?.id}`, { headers: { cookie } })
    expect(page.status).toBe(200)
    const html = await page.text()
    const [certificate] = await certificatesOf(`REQUEST#${done?.id}`)
    expect(html).toContain('Sertifikat Pendampingan')
    expect(html).toContain(`/v1/certificates/${certificate?.id}/pdf`)
  })
})

describe('Reports', () => {
  it('count the certificates issued, by kind, and revoked, once each', async () => {
    const events = [...(await outboxOf('CertificateIssued')), ...(await outboxOf('CertificateRevoked'))]
    for (const event of [...events, ...events]) await countReports(busEvent(event as EventEnvelope))
    const report = await call(`/v1/reports?program=${programId}&from=2026-05&to=2026-05`, {
      token: await staff('35.73'),
    })
    expect(report.status).toBe(200)
    expect((await report.json()).certificates).toEqual({
      issued: 4,
      revoked: 1,
      byKind: { class_participant: 1, class_trainer: 1, mentoring_owner: 1, mentoring_mentor: 1 },
    })
  })
})

describe('Without a completion', () => {
  it('a staff context changes nothing: certificates come only from events', () =>
    withContext({ actor: { kind: 'anonymous' }, requestId: 't', locale: 'id' }, async () => {
      expect(await certificatesOf('PARTICIPANT#p-ayu')).toEqual([])
    }))
})
