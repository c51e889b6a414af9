/**
 * A request's whole life, over the HTTP API on DynamoDB Local, with the events of every change handed
 * to the consumers `wiring.ts` declares (the local bus, fed from the table's outbox) and the follow-up
 * sweeper run by hand as the clock moves: re-matching when supply changes, the program's own matching
 * window, seats given back and waitlists let go, program dates, program topics as mentor skills,
 * national programs, the public program list and the mentor an owner sees.
 */
import type { EventEnvelope } from '@pendamping/core/event'
import { sweepDue } from '@pendamping/core/followup'
import type { NewRequest } from '@pendamping/core/request'
import { provideRuntime } from '@pendamping/functions/runtime'
import { rules } from '@pendamping/functions/wiring'
import { LocalBus } from '@pendamping/scripts/local/bus'
import { LocalNotifier } from '@pendamping/scripts/local/notifier'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  admin,
  application,
  approvedMentor,
  call,
  createWorld,
  requestInput,
  staff,
  testClock,
  type World,
} from './mentors.fixture.ts'

const table = useTestTable()
const clock = testClock('2026-03-02T01:00:00.000Z')
const HOUR = 3_600_000
const DAY = 24 * HOUR
let world: World
let bus: LocalBus
let notifier: LocalNotifier
const delivered = new Set<string>()

beforeAll(async () => {
  world = await createWorld(table, clock)
  notifier = new LocalNotifier()
  provideRuntime({ store: world.store, clock, notifier, publicUrl: 'http://localhost:3000' })
  // Certificates need signing keys this world does not hold: their consumer is not run.
  bus = new LocalBus({
    logger: { info: () => {}, warn: () => {}, error: console.error },
    maxAttempts: 1,
    rules: rules.filter((rule) => !rule.name.startsWith('Certificate')),
  })
})

/** Every outbox event not handed to the bus yet, oldest first, until the consumers write no more. */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const fresh = (await scanTable(table, 'event'))
      .map((item) => item.event as EventEnvelope)
      .filter((event) => !delivered.has(event.id))
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    if (fresh.length === 0) return
    for (const event of fresh) delivered.add(event.id)
    const before = bus.deliveries.length
    await bus.publish(fresh)
    await bus.settled()
    const failed = bus.deliveries.slice(before).filter((delivery) => delivery.status === 'failed')
    if (failed.length > 0) throw new Error(failed.map((d) => `${d.rule}: ${d.error}`).join('; '))
  }
  throw new Error('events kept coming')
}

/** The clock at `iso`, then the sweeper fires what is due and everything it sets off settles. */
async function sweepAt(iso: string): Promise<void> {
  clock.set(iso)
  await sweepDue(world.store, clock)
  await settle()
}

const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString()

/** An open program of Kota Malang (staff of 35.73), running from yesterday for ten months. */
async function openProgram(body: Record<string, unknown> = {}, token?: string) {
  const response = await call(world, 'POST', '/v1/programs', {
    token: token ?? (await staff(world)),
    body: {
      region: '35.73',
      name: 'Pendampingan UMKM Kota Malang',
      topics: ['social_media'],
      timeZone: 'Asia/Jakarta',
      startsAt: later(-DAY),
      endsAt: later(300 * DAY),
      segments: { umum: 10 },
      status: 'open',
      ...body,
    },
  })
  if (response.status !== 201) throw new Error(`program: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body as { id: string; name: string; region: string }
}

let phones = 0
/** A request through the API, each from its own phone; answers its id, token and status. */
async function ask(overrides: Partial<NewRequest> = {}, headers: Record<string, string> = {}) {
  phones++
  const input = requestInput(overrides)
  const response = await call(world, 'POST', '/v1/requests', {
    headers,
    body: {
      ...input,
      business: { ...input.business, phone: `0812 7000 ${String(phones).padStart(4, '0')}` },
    },
  })
  return response
}

async function asked(overrides: Partial<NewRequest> = {}) {
  const response = await ask(overrides)
  if (response.status !== 201) throw new Error(`ask: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body as { id: string; trackingToken: string; status: string }
}

/** The request as its owner reads it through the API. */
async function read(request: { id: string; trackingToken: string }) {
  const response = await call(world, 'GET', `/v1/requests/${request.id}`, {
    headers: { 'x-tracking-token': request.trackingToken },
  })
  expect(response.status).toBe(200)
  return response.body
}

const statusOf = async (request: { id: string; trackingToken: string }) => (await read(request)).status

/** The offers made for a request, from its `OfferMade` events. */
async function offersOf(requestId: string): Promise<Array<{ offerId: string; mentorId: string }>> {
  return (await scanTable(table, 'event'))
    .map((item) => item.event as EventEnvelope<{ requestId?: string; offerId: string; mentorId: string }>)
    .filter((event) => event.type === 'OfferMade' && event.detail.requestId === requestId)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    .map((event) => event.detail)
}

const skill = (topic: string, level = 3) => ({ topic, level })

describe('Supply re-matching', () => {
  it('offers waiting requests at once when a mentor is approved, oldest first, within their seats', async () => {
    const first = await asked({ needs: ['seo'] })
    clock.advance(60_000)
    const second = await asked({ needs: ['seo'] })
    clock.advance(60_000)
    const third = await asked({ needs: ['seo'] })
    await settle()
    // Nobody knows SEO yet: all three wait.
    for (const request of [first, second, third]) expect(await statusOf(request)).toBe('matching')

    const mentor = await approvedMentor(world, { skills: [skill('seo')], capacity: 2 })
    await settle()
    expect(await statusOf(first)).toBe('offered')
    expect(await statusOf(second)).toBe('offered')
    expect(await statusOf(third)).toBe('matching')
    expect((await offersOf(first.id))[0]?.mentorId).toBe(mentor.id)
    expect((await offersOf(second.id))[0]?.mentorId).toBe(mentor.id)
  })

  it('offers a waiting request when a paused mentor resumes, and when a full mentor raises capacity', async () => {
    const mentor = await approvedMentor(world, { skills: [skill('ads')], capacity: 1 })
    expect(
      (await call(world, 'PATCH', '/v1/me', { token: mentor.token, body: { status: 'paused' } })).status,
    ).toBe(200)
    await settle()
    const waiting = await asked({ needs: ['ads'] })
    await settle()
    expect(await statusOf(waiting)).toBe('matching')

    expect(
      (await call(world, 'PATCH', '/v1/me', { token: mentor.token, body: { status: 'active' } })).status,
    ).toBe(200)
    await settle()
    expect(await statusOf(waiting)).toBe('offered')
    const [offer] = await offersOf(waiting.id)
    expect(offer?.mentorId).toBe(mentor.id)

    // The mentor takes it: their one seat is full, so the next request waits…
    expect(
      (await call(world, 'POST', `/v1/offers/${offer?.offerId}/accept`, { token: mentor.token })).status,
    ).toBe(201)
    await settle()
    const next = await asked({ needs: ['ads'] })
    await settle()
    expect(await statusOf(next)).toBe('matching')
    // …until they make room for a second business.
    expect(
      (await call(world, 'PATCH', '/v1/me', { token: mentor.token, body: { capacity: 2 } })).status,
    ).toBe(200)
    await settle()
    expect(await statusOf(next)).toBe('offered')
    expect((await offersOf(next.id))[0]?.mentorId).toBe(mentor.id)
  })

  it('offers a waiting request when an engagement closes and frees the mentor’s seat', async () => {
    const mentor = await approvedMentor(world, { skills: [skill('website')], capacity: 1 })
    const taken = await asked({ needs: ['website'] })
    await settle()
    const [offer] = await offersOf(taken.id)
    const accepted = await call(world, 'POST', `/v1/offers/${offer?.offerId}/accept`, { token: mentor.token })
    expect(accepted.status).toBe(201)
    await settle()
    const waiting = await asked({ needs: ['website'] })
    await settle()
    expect(await statusOf(waiting)).toBe('matching')

    const closed = await call(world, 'POST', `/v1/engagements/${accepted.body.id}/close`, {
      token: mentor.token,
      body: { outcome: 'completed' },
    })
    expect(closed.status).toBe(200)
    await settle()
    expect(await statusOf(waiting)).toBe('offered')
    expect((await offersOf(waiting.id))[0]?.mentorId).toBe(mentor.id)
  })
})

describe('The matching window', () => {
  it('is the program’s, not five days: a request in a 7-day program waits 7 days', async () => {
    const program = await openProgram({ topics: ['branding'], matchingWindowDays: 7 })
    const start = clock.now().getTime()
    const request = await asked({ programId: program.id, segment: 'umum', needs: ['branding'] })
    await settle()
    await sweepAt(new Date(start + 5 * DAY + 60_000).toISOString())
    expect(await statusOf(request)).toBe('matching')
    await sweepAt(new Date(start + 7 * DAY + 60_000).toISOString())
    expect(await statusOf(request)).toBe('unmatched')
    expect(notifier.sent.filter((message) => message.kind === 'request-unmatched')).not.toHaveLength(0)
  })

  it('counts from the promotion of a waitlisted request, and ends then in a 3-day program', async () => {
    const program = await openProgram({
      topics: ['copywriting'],
      matchingWindowDays: 3,
      segments: { umum: 1 },
    })
    const start = clock.now().getTime()
    const seated = await asked({ programId: program.id, segment: 'umum', needs: ['copywriting'] })
    const queued = await asked({ programId: program.id, segment: 'umum', needs: ['copywriting'] })
    await settle()
    expect(await statusOf(queued)).toBe('waitlisted')

    clock.set(new Date(start + 2 * DAY).toISOString())
    const cancelled = await call(world, 'POST', `/v1/requests/${seated.id}/cancel`, {
      headers: { 'x-tracking-token': seated.trackingToken },
    })
    expect(cancelled.status).toBe(200)
    await settle()
    expect(await statusOf(queued)).toBe('matching')

    // Three days after submitting it has waited one day for a mentor: not over yet.
    await sweepAt(new Date(start + 3 * DAY + 60_000).toISOString())
    expect(await statusOf(queued)).toBe('matching')
    // Three days after its promotion it is.
    await sweepAt(new Date(start + 5 * DAY + 60_000).toISOString())
    expect(await statusOf(queued)).toBe('unmatched')
  })
})

describe('Seats given back', () => {
  it('gives an unmatched request’s seat to the next in the queue', async () => {
    const program = await openProgram({
      topics: ['finance_literacy'],
      matchingWindowDays: 1,
      segments: { umum: 1 },
    })
    const start = clock.now().getTime()
    const seated = await asked({ programId: program.id, segment: 'umum', needs: ['finance_literacy'] })
    const queued = await asked({ programId: program.id, segment: 'umum', needs: ['finance_literacy'] })
    await settle()
    expect(await statusOf(queued)).toBe('waitlisted')

    await sweepAt(new Date(start + DAY + 60_000).toISOString())
    expect(await statusOf(seated)).toBe('unmatched')
    expect(await statusOf(queued)).toBe('matching')
    const seats = await call(world, 'GET', `/v1/programs/${program.id}`, { token: await staff(world) })
    expect(seats.body.seats.umum).toEqual({ quota: 1, admitted: 1, waitlisted: 0 })
  })

  it('lets a closed program’s waitlist go, telling each owner, while seated requests go on', async () => {
    const program = await openProgram({ topics: ['packaging'], segments: { umum: 1 } })
    const seated = await asked({ programId: program.id, segment: 'umum', needs: ['packaging'] })
    const queued = [
      await asked({ programId: program.id, segment: 'umum', needs: ['packaging'] }),
      await asked({ programId: program.id, segment: 'umum', needs: ['packaging'] }),
    ]
    await settle()
    const closed = await call(world, 'PATCH', `/v1/programs/${program.id}`, {
      token: await staff(world),
      body: { status: 'closed' },
    })
    expect(closed.status).toBe(200)
    await settle()

    for (const request of queued) expect(await statusOf(request)).toBe('cancelled')
    expect(await statusOf(seated)).toBe('matching')
    const told = notifier.sent.filter((message) => message.kind === 'program-closed')
    expect(told).toHaveLength(2)
    expect(told[0]?.body).toContain(program.name)
    const events = (await scanTable(table, 'event'))
      .map((item) => item.event as EventEnvelope<{ programId: string; reason?: string }>)
      .filter((event) => event.type === 'RequestCancelled' && event.detail.programId === program.id)
    expect(events.map((event) => event.detail.reason)).toEqual(['program-closed', 'program-closed'])
    const seats = await call(world, 'GET', `/v1/programs/${program.id}`, { token: await staff(world) })
    expect(seats.body.seats.umum).toEqual({ quota: 1, admitted: 1, waitlisted: 0 })
  })
})

describe('Program dates', () => {
  it('refuses requests before a program starts and after it ends, in both languages, taking no seat', async () => {
    const future = await openProgram({ startsAt: later(10 * DAY), endsAt: later(40 * DAY) })
    const past = await openProgram({ startsAt: later(-40 * DAY), endsAt: later(-DAY) })
    for (const program of [future, past]) {
      const refused = await ask({ programId: program.id, segment: 'umum' })
      expect(refused.status).toBe(409)
      expect(refused.body.type).toBe('urn:pendamping:problem:program-not-running')
      expect(refused.body.title).toBe('Program tidak sedang berjalan')
      const english = await ask({ programId: program.id, segment: 'umum' }, { 'accept-language': 'en' })
      expect(english.status).toBe(409)
      expect(english.body.title).toBe('The program is not running')
      expect(english.body.detail).toMatch(/takes requests from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/)
      const seats = await call(world, 'GET', `/v1/programs/${program.id}`, { token: await staff(world) })
      expect(seats.body.seats.umum).toEqual({ quota: 10, admitted: 0, waitlisted: 0 })
    }
  })
})

let exportProgram: { id: string; name: string }

describe('Program topics', () => {
  it('lets mentors list a program’s own topic as a skill, and matching covers it', async () => {
    exportProgram = await openProgram({ name: 'Ekspor UMKM Malang Raya', topics: ['ekspor', 'marketplace'] })
    const unknown = await call(world, 'POST', '/v1/mentor-applications', {
      body: application({ skills: [skill('tidak_dikenal')] }),
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'skills.0.topic', code: 'topic' })])

    const mentor = await approvedMentor(world, { skills: [skill('ekspor')] })
    await settle()
    const request = await asked({ programId: exportProgram.id, segment: 'umum', needs: ['ekspor'] })
    await settle()
    expect(await statusOf(request)).toBe('offered')
    expect((await offersOf(request.id))[0]?.mentorId).toBe(mentor.id)
  })
})

let nationalProgram: { id: string; name: string; region: string }

describe('National programs', () => {
  it('are run by admins and read, not edited, by every staff member', async () => {
    // No region, or the national code `*` (below): both are national.
    nationalProgram = await openProgram(
      { region: undefined, name: 'Gerakan Nasional UMKM Go Digital', topics: ['content'] },
      await admin(world),
    )
    expect(nationalProgram.region).toBe('*')

    for (const region of ['35.73', '11']) {
      const token = await staff(world, region)
      const one = await call(world, 'GET', `/v1/programs/${nationalProgram.id}`, { token })
      expect(one.status, region).toBe(200)
      const list = await call(world, 'GET', '/v1/programs', { token })
      expect(list.status).toBe(200)
      expect(list.body.items.map((item: { id: string }) => item.id)).toContain(nationalProgram.id)
      const edit = await call(world, 'PATCH', `/v1/programs/${nationalProgram.id}`, {
        token,
        body: { name: 'Diubah staf daerah' },
      })
      expect(edit.status, region).toBe(403)
    }
    // Staff page on from the national programs into their own region's, one program a page.
    const regions: string[] = []
    let cursor: string | null = null
    for (let page = 0; page < 20 && !regions.includes('35.73'); page++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      const listed = await call(world, 'GET', `/v1/programs?limit=1${query}`, { token: await staff(world) })
      expect(listed.status).toBe(200)
      regions.push(...listed.body.items.map((item: { region: string }) => item.region))
      cursor = listed.body.nextCursor
    }
    expect(regions[0]).toBe('*')
    expect(regions).toContain('35.73')
    const coded = await openProgram({ region: '*', name: 'Kelas Nasional Ekspor' }, await admin(world))
    expect(coded.region).toBe('*')
    // Only admins run one.
    const bystaff = await call(world, 'POST', '/v1/programs', {
      token: await staff(world),
      body: {
        region: '*',
        name: 'Bukan wewenang kota',
        topics: ['content'],
        timeZone: 'Asia/Jakarta',
        startsAt: later(-DAY),
        endsAt: later(DAY),
        segments: { umum: 1 },
      },
    })
    expect(bystaff.status).toBe(403)
  })
})

describe('The public program list and the request form', () => {
  it('lists open programs by region and topic, in both languages, without JavaScript, under 30 KB', async () => {
    const page = await world.app.request('/program')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024)
    expect(html).not.toMatch(/<script\b/i)
    expect(html).toContain('Program pendampingan yang buka')
    expect(html).toContain(exportProgram.name)
    expect(html).toContain(nationalProgram.name)
    expect(html).toContain(`/minta-pendampingan?program=${exportProgram.id}`)

    const filtered = await (await world.app.request('/program?region=35&topic=ekspor')).text()
    expect(filtered).toContain(exportProgram.name)
    expect(filtered).not.toContain(nationalProgram.name)
    const aceh = await (await world.app.request('/program?region=11')).text()
    expect(aceh).toContain(nationalProgram.name)
    expect(aceh).not.toContain(exportProgram.name)

    const english = await world.app.request('/en/programs')
    expect(english.status).toBe(200)
    const englishHtml = await english.text()
    expect(englishHtml).toContain('Open mentoring programs')
    expect(englishHtml).toContain(`/en/request?program=${exportProgram.id}`)
  })

  it('joins the chosen program and segment from the owner’s form', async () => {
    const form = await world.app.request(`/minta-pendampingan?program=${exportProgram.id}`)
    expect(form.status).toBe(200)
    const html = await form.text()
    expect(html).toContain(exportProgram.name)
    expect(html).toMatch(new RegExp(`name="programId" value="${exportProgram.id}"`))
    expect(html).toContain('name="segment"')
    expect(html).toContain('value="ekspor"')
    const cookie = /pd_csrf=([\w-]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1] ?? ''
    const fields = new URLSearchParams({
      _csrf: cookie,
      programId: exportProgram.id,
      segment: 'umum',
      'business.name': 'Keripik Buah Batu',
      'business.ownerName': 'Rina Sari',
      'business.phone': '0812 7999 0001',
      province: '35',
      'business.region': '35.73',
      'business.sector': 'kuliner',
      'business.sizeClass': 'mikro',
      needs: 'ekspor',
      description: 'Ingin mengirim keripik buah ke luar negeri.',
      mode: 'online',
      languages: 'id',
      days: 'mon',
      windows: 'pagi',
      'consent.accepted': 'true',
      'consent.purposeVersion': '2026-11',
    })
    const posted = await world.app.request('/minta-pendampingan', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-pd_csrf=${cookie}` },
      body: fields.toString(),
    })
    expect(posted.status).toBe(200)
    const joined = (await scanTable(table, 'request')).filter(
      (item) => item.programId === exportProgram.id && item.segment === 'umum',
    )
    expect(joined.map((item) => (item.business as { name: string } | null)?.name)).toContain(
      'Keripik Buah Batu',
    )

    // A segment must be picked: the form says so on the same page.
    fields.delete('segment')
    fields.set('business.phone', '0812 7999 0002')
    const missing = await world.app.request('/minta-pendampingan', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-pd_csrf=${cookie}` },
      body: fields.toString(),
    })
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('Pilih segmen peserta program.')
  })
})

describe('The mentor an owner sees', () => {
  it('shows the mentor’s public profile once they accepted, never their phone or email', async () => {
    const applied = application({
      skills: [skill('copywriting', 2), skill('branding', 1)],
      regionsServed: ['35'],
    })
    const mentor = await approvedMentor(world, { ...applied, skills: [skill('content', 2)] })
    await settle()
    const request = await asked({ needs: ['content'] })
    await settle()
    expect((await read(request)).mentor).toBeNull()
    const [offer] = await offersOf(request.id)
    expect(offer?.mentorId).toBe(mentor.id)
    expect((await read(request)).mentor).toBeNull()
    expect(
      (await call(world, 'POST', `/v1/offers/${offer?.offerId}/accept`, { token: mentor.token })).status,
    ).toBe(201)
    const seen = await read(request)
    expect(seen.status).toBe('active')
    expect(seen.mentor).toEqual({
      name: applied.name,
      skills: [{ topic: 'content', level: 2 }],
      regions: ['35.73', '35'],
    })
    const text = JSON.stringify(seen)
    expect(text).not.toContain(applied.email)
    expect(text).not.toContain('+6281234567890')
  })
})
