/**
 * The seed scenarios of docs/contract/classes-and-certificates.md end with certificates, each through the HTTP API on DynamoDB Local with
 * every consumer of `wiring.ts` run from the outbox by the local bus (the certificate issuer included):
 * (a) eight open classes; a participant takes two, attends, and gets two certificates that
 *     `npm run certificate:verify` accepts, while one who missed a meeting gets none;
 * (d) a village producers' class held online and offline at once: attendance by the trainer and by
 *     check-in code, certificates for the participants who completed and for the trainer, and the
 *     program report's counts.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CertificateKeys, generateKeyring } from '@pendamping/core/certificate'
import { provideRuntime } from '@pendamping/functions/runtime'
import { verifyCertificateFile } from '@pendamping/scripts/certificate-verify'
import { LocalBus } from '@pendamping/scripts/local/bus'
import { LocalNotifier } from '@pendamping/scripts/local/notifier'
import { testApp } from '@pendamping/scripts/testing/app'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type ClassWorld,
  classInput,
  deliverEvents,
  newProgram,
  openClass,
  register,
} from './classes.fixture.ts'
import { approvedMentor, call, staff, testClock } from './mentors.fixture.ts'

const table = useTestTable()
const BASE = 'https://pendamping.test'
const work = mkdtempSync(join(tmpdir(), 'certificate-scenarios-'))
let world: ClassWorld

beforeAll(async () => {
  const clock = testClock('2026-03-02T01:00:00.000Z')
  const certificates = {
    baseUrl: BASE,
    keys: await CertificateKeys.from(await generateKeyring(new Date('2026-01-01T00:00:00Z'))),
  }
  const { app, keys, session } = await testApp(table, { clock, certificates })
  const store = { doc: table.doc, tableName: table.tableName }
  const notifier = new LocalNotifier()
  provideRuntime({ store, clock, notifier, publicUrl: BASE, certificates })
  const quiet = { info: () => {}, warn: () => {}, error: console.error }
  const bus = new LocalBus({ logger: quiet, maxAttempts: 1 })
  world = { app, store, clock, keys, session, table, bus, notifier, delivered: new Set() }
})

/** The app standing in for the network: what a verifier fetches from `BASE`, the app answers. */
const viaApp = (async (input: string | URL | Request) =>
  world.app.request(new URL(String(input)).pathname)) as typeof fetch

const certificatesOf = async (participant: { participantId: string; participantToken: string }) => {
  const answer = await call(world, 'GET', `/v1/participants/${participant.participantId}/certificates`, {
    headers: { 'x-tracking-token': participant.participantToken },
  })
  expect(answer.status).toBe(200)
  return answer.body.items as Array<{ id: string; title: string; name: string; links: { pdf: string } }>
}

/** Marks one meeting's attendance as its trainer, during the meeting. */
async function mark(
  klass: { id: string },
  meetingId: string,
  at: string,
  token: string,
  marks: Array<[string, 'present' | 'absent']>,
) {
  world.clock.set(at)
  const answer = await call(world, 'POST', `/v1/classes/${klass.id}/meetings/${meetingId}/attendance`, {
    token,
    body: { marks: marks.map(([registrationId, status]) => ({ registrationId, mark: status })) },
  })
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
}

describe('Scenario a: eight open classes, a participant takes two', () => {
  it('gives her two certificates the verify command accepts, and none to the one who missed a meeting', async () => {
    world.clock.set('2026-03-02T01:00:00.000Z')
    const program = await newProgram(world, { name: 'Kelas Terbuka Digital Kota Malang' })
    const trainer = await approvedMentor(world)
    const titles = [
      'Foto Produk dengan Ponsel',
      'Jualan di Marketplace',
      'Instagram untuk UMKM',
      'Video Pendek TikTok',
      'Menulis Caption yang Menjual',
      'Merek dan Logo',
      'Kemasan yang Menarik',
      'Pembukuan Sederhana',
    ]
    const classes = []
    for (const [i, title] of titles.entries()) {
      const day = String(10 + i).padStart(2, '0')
      classes.push(
        await openClass(
          world,
          classInput(program.id, [trainer.id], {
            title,
            seats: { umum: 10, asn: 10 },
            completion: { rule: 'all' },
            meetings: [
              { startsAt: `2026-03-${day}T02:00:00Z`, endsAt: `2026-03-${day}T04:00:00Z` },
              { startsAt: `2026-03-${day}T05:00:00Z`, endsAt: `2026-03-${day}T06:30:00Z` },
            ],
          }),
        ),
      )
    }
    expect(classes).toHaveLength(8)
    const [first, second] = classes
    if (!first || !second) throw new Error('two classes expected')

    // Rina registers for the first class, then for the second with her private link's token.
    const rina = (
      await register(world, first.id, 1, {
        person: { name: 'Rina Kartika', phone: '0812-1111-0001', region: '35.73' },
      })
    ).body
    const rinaSecond = await call(world, 'POST', `/v1/classes/${second.id}/registrations`, {
      body: { participantId: rina.participantId, segment: 'umum' },
      headers: { 'x-tracking-token': rina.participantToken },
    })
    expect(rinaSecond.status, JSON.stringify(rinaSecond.body)).toBe(201)
    const budi = (
      await register(world, first.id, 2, {
        person: { name: 'Budi Santoso', phone: '0812-1111-0002', region: '35.73' },
      })
    ).body
    const budiSecond = await call(world, 'POST', `/v1/classes/${second.id}/registrations`, {
      body: { participantId: budi.participantId, segment: 'umum' },
      headers: { 'x-tracking-token': budi.participantToken },
    })
    expect(budiSecond.status).toBe(201)

    // Rina attends every meeting; Budi misses the second meeting of the first class and the first of the second.
    await mark(first, 'm1', '2026-03-10T02:20:00Z', trainer.token, [
      [rina.id, 'present'],
      [budi.id, 'present'],
    ])
    await mark(first, 'm2', '2026-03-10T05:20:00Z', trainer.token, [
      [rina.id, 'present'],
      [budi.id, 'absent'],
    ])
    await mark(second, 'm1', '2026-03-11T02:20:00Z', trainer.token, [
      [rinaSecond.body.id, 'present'],
      [budiSecond.body.id, 'absent'],
    ])
    await mark(second, 'm2', '2026-03-11T05:20:00Z', trainer.token, [
      [rinaSecond.body.id, 'present'],
      [budiSecond.body.id, 'present'],
    ])
    await deliverEvents(world)

    const hers = await certificatesOf(rina)
    expect(hers.map((certificate) => certificate.title).sort()).toEqual([
      'Foto Produk dengan Ponsel',
      'Jualan di Marketplace',
    ])
    expect(hers.every((certificate) => certificate.name === 'Rina Kartika')).toBe(true)
    expect(await certificatesOf(budi)).toEqual([])
    // Her private page lists them for download.
    const page = await world.app.request(`/peserta/${rina.participantId}`, {
      headers: { cookie: `__Host-participant-${rina.participantId}=${rina.participantToken}` },
    })
    const html = await page.text()
    expect(page.status).toBe(200)
    for (const certificate of hers) expect(html).toContain(`/v1/certificates/${certificate.id}/pdf`)
    // The trainer has one for each class taught.
    const taught = await call(world, 'GET', '/v1/me/certificates', { token: trainer.token })
    expect(taught.body.items).toHaveLength(2)

    // Her PDFs verify with nothing but what the API publishes.
    for (const [index, certificate] of hers.entries()) {
      const pdf = await world.app.request(new URL(certificate.links.pdf).pathname)
      expect(pdf.headers.get('content-type')).toBe('application/pdf')
      const file = join(work, `rina-${index}.pdf`)
      writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()))
      expect(await verifyCertificateFile(file, { fetch: viaApp, now: world.clock.now() })).toMatchObject({
        valid: true,
        revoked: false,
      })
    }
    // And the command itself, offline, with the key set and status list saved to files.
    const keysFile = join(work, 'keys.json')
    writeFileSync(keysFile, await (await world.app.request('/.well-known/openbadges-keys.json')).text())
    const credential = await (await world.app.request(`/v1/certificates/${hers[0]?.id}/credential`)).text()
    const statusList = (
      JSON.parse(Buffer.from(credential.split('.')[1] ?? '', 'base64url').toString()) as {
        credentialStatus: { statusListCredential: string }
      }
    ).credentialStatus.statusListCredential
    const listFile = join(work, 'status-list.jwt')
    writeFileSync(listFile, await (await world.app.request(new URL(statusList).pathname)).text())
    const { stdout } = await promisify(execFile)(
      'npm',
      [
        'run',
        '-s',
        'certificate:verify',
        '--',
        join(work, 'rina-0.pdf'),
        '--keys',
        keysFile,
        '--status-list',
        listFile,
      ],
      { cwd: join(import.meta.dirname, '..') },
    )
    expect(stdout).toMatch(/^VALID\n/)
    expect(stdout).toContain('Rina Kartika')
  }, 120_000)
})

describe('Scenario d: a village producers’ class, online and offline at once', () => {
  it('issues certificates to the producers who completed and to the trainer, and the report counts them', async () => {
    world.clock.set('2026-04-01T01:00:00.000Z')
    const staffToken = await staff(world, '35.73')
    const program = await newProgram(world, {
      name: 'Produsen Desa Go Digital',
      segments: { umkm: 30 },
      startsAt: '2026-04-01T00:00:00+07:00',
    })
    const trainer = await approvedMentor(world)
    const klass = await openClass(
      world,
      classInput(program.id, [trainer.id], {
        title: 'Kelas Produsen Desa: Foto Produk dan Marketplace',
        topics: ['content', 'marketplace'],
        mode: 'hybrid',
        meetingUrl: 'https://meet.google.com/abc-defg-hij',
        place: 'Balai Desa Tlekung, Kota Batu',
        seats: { umkm: 20 },
        completion: { rule: 'all' },
        meetings: [
          { startsAt: '2026-04-20T02:00:00Z', endsAt: '2026-04-20T05:00:00Z' },
          { startsAt: '2026-04-27T02:00:00Z', endsAt: '2026-04-27T05:00:00Z' },
        ],
        registrationClosesAt: '2026-04-19T10:00:00Z',
      }),
      { token: staffToken },
    )
    const producers = []
    for (const [i, name] of [
      'Sumarni',
      'Pak Darto',
      'Wayan Sukerti',
      'Siti Aminah',
      'Yohanes Lado',
    ].entries())
      producers.push(
        (
          await register(world, klass.id, 500 + i, {
            segment: 'umkm',
            person: {
              name,
              phone: `0813-5555-00${10 + i}`,
              region: '35.73',
              business: { name: `Usaha ${name}`, sector: 'pertanian' },
            },
          })
        ).body,
      )
    expect(producers.every((producer) => producer.status === 'confirmed')).toBe(true)

    // Meeting 1 in the village hall and online: the trainer marks everyone present from the roster.
    await mark(
      klass,
      'm1',
      '2026-04-20T02:30:00Z',
      trainer.token,
      producers.map((p) => [p.id, 'present']),
    )
    // Meeting 2: people check in with the code shown in the room (or read out online); the last one is not there.
    world.clock.set('2026-04-27T02:15:00Z')
    const code = await call(world, 'POST', `/v1/classes/${klass.id}/meetings/m2/check-in-code`, {
      token: trainer.token,
    })
    expect(code.status, JSON.stringify(code.body)).toBe(200)
    for (const producer of producers.slice(0, 4)) {
      const checkedIn = await call(world, 'POST', `/v1/registrations/${producer.id}/check-in`, {
        headers: { 'x-tracking-token': producer.participantToken },
        body: { code: code.body.code },
      })
      expect(checkedIn.status, JSON.stringify(checkedIn.body)).toBe(200)
    }
    await mark(klass, 'm2', '2026-04-27T04:50:00Z', trainer.token, [[producers[4]?.id, 'absent']])
    await deliverEvents(world)

    for (const producer of producers.slice(0, 4)) {
      const [certificate, ...more] = await certificatesOf(producer)
      expect(more).toEqual([])
      expect(certificate).toMatchObject({ kind: 'class_participant', hours: 6, status: 'valid' })
    }
    expect(await certificatesOf(producers[4])).toEqual([])
    const taught = await call(world, 'GET', '/v1/me/certificates', { token: trainer.token })
    expect(taught.body.items).toMatchObject([{ kind: 'class_trainer', hours: 6, title: klass.title }])

    const report = await call(world, 'GET', `/v1/reports?program=${program.id}&from=2026-04&to=2026-04`, {
      token: staffToken,
    })
    expect(report.status).toBe(200)
    expect(report.body.certificates).toEqual({
      issued: 5,
      revoked: 0,
      byKind: { class_participant: 4, class_trainer: 1 },
    })
    expect(report.body.classes.completion).toMatchObject({ finishers: 5, completed: 4 })
  }, 120_000)
})
