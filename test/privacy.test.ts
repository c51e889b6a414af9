import { sweepDue } from '@pendamping/core/followup'
import { PRIVACY_NOTICE_VERSION } from '@pendamping/core/privacy'
import { seedMentors } from '@pendamping/scripts/seed-mentors'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testClock } from './mentors.fixture.ts'
import {
  capturePrintedLogs,
  createPrivacyWorld,
  detailsOf,
  type PrivacyWorld,
  settle,
} from './privacy.fixture.ts'

/**
 * UU PDP end to end (docs/contract/data-protection.md): a full mentoring journey through the HTTP app
 * with every event handed to the consumers `wiring.ts` declares, its export, its erasure through
 * `PersonErased`, and then every item of the table, every message the notifier recorded and every log
 * line printed — errors included — searched for each personal value. In process (the app and the
 * local bus on the file's own table), as the local stack runs them, without starting one.
 */
const table = useTestTable()
const clock = testClock('2026-05-04T01:00:00Z')
let world: PrivacyWorld
let restoreLogs: () => void

beforeAll(async () => {
  world = await createPrivacyWorld(table, clock)
  await seedMentors({ doc: table.doc, tableName: table.tableName }, clock)
  restoreLogs = capturePrintedLogs(world)
})

afterAll(() => restoreLogs?.())

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; owner?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.owner) headers['x-tracking-token'] = options.owner
  const response = await world.app.request(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  return { status: response.status, body, text }
}

const published = (type: string) => detailsOf(world, type)
const mentorToken = (mentorId: string) => world.keys.sign({ sub: mentorId, role: 'mentor', region: '35.73' })

const person = {
  business: 'Keripik Tempe Bu Sulastri',
  owner: 'Sulastri Wulandari',
  phone: '0813-2468-1357',
  email: 'sulastri.w@example.id',
  description: 'Keripik tempe rumahan, ingin masuk Shopee.',
  place: 'Jl. Kenanga No. 17, Lowokwaru',
  sessionNotes: 'Foto produk ulang di dapur Bu Sulastri',
  progress: 'Toko Shopee Bu Sulastri sudah buka',
  comment: 'Mas mentornya sabar sekali',
  declineNote: 'Rumah Bu Sulastri terlalu jauh',
}
const phoneForms = ['081324681357', '+6281324681357', '6281324681357', '0813-2468-1357']

describe('Data protection, in process', () => {
  it('refuses a consent given against another notice, and writes nothing', async () => {
    const before = (await scanTable(table, 'request')).length
    const refused = await call('POST', '/v1/requests', { body: submission('2026-01') })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain('consent.purposeVersion')
    expect((await scanTable(table, 'request')).length).toBe(before)
  })

  it('exports a whole journey, erases it everywhere, and leaves no personal value in table, messages or logs', async () => {
    const submitted = await call('POST', '/v1/requests', { body: submission(PRIVACY_NOTICE_VERSION) })
    expect(submitted.status).toBe(201)
    const { id: requestId, trackingToken } = submitted.body as { id: string; trackingToken: string }

    // The first mentor declines with a note about the business; the next one accepts.
    await settle(world)
    expect(await published('OfferMade')).toHaveLength(1)
    const first = (await published('OfferMade'))[0] as { offerId: string; mentorId: string }
    const declined = await call('POST', `/v1/offers/${first.offerId}/decline`, {
      token: await mentorToken(first.mentorId),
      body: { reason: 'too_far', note: person.declineNote },
    })
    expect(declined.status).toBe(200)
    await settle(world)
    const offers = (await published('OfferMade')) as Array<{ offerId: string; mentorId: string }>
    expect(offers).toHaveLength(2)
    const second = offers.find((offer) => offer.offerId !== first.offerId) as (typeof offers)[number]
    const mentor = await mentorToken(second.mentorId)
    const accepted = await call('POST', `/v1/offers/${second.offerId}/accept`, { token: mentor })
    expect(accepted.status).toBe(201)
    const engagementId = (accepted.body as { id: string }).id

    // One session held at the owner's home, completed with notes; one more scheduled; a progress note; a rating.
    const held = await call('POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor,
      body: {
        startsAt: '2026-05-06T03:00:00Z',
        endsAt: '2026-05-06T04:00:00Z',
        mode: 'offline',
        place: person.place,
        topics: ['marketplace'],
      },
    })
    expect(held.status).toBe(201)
    const heldId = (held.body as { id: string }).id
    const later = await call('POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor,
      body: {
        startsAt: '2026-05-20T03:00:00Z',
        endsAt: '2026-05-20T04:00:00Z',
        mode: 'offline',
        place: person.place,
        topics: ['marketplace'],
      },
    })
    expect(later.status).toBe(201)
    clock.set('2026-05-06T04:10:00Z')
    const completed = await call('POST', `/v1/sessions/${heldId}/complete`, {
      token: mentor,
      body: { notes: person.sessionNotes, outcomes: [], attendance: 'attended' },
    })
    expect(completed.status).toBe(200)
    expect(
      (
        await call('POST', `/v1/engagements/${engagementId}/progress`, {
          token: mentor,
          body: { note: person.progress, outcomes: [] },
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await call('POST', `/v1/sessions/${heldId}/feedback`, {
          owner: trackingToken,
          body: { rating: 5, comment: person.comment },
        })
      ).status,
    ).toBe(201)
    await settle(world)

    // An unhandled error whose properties hold a whole item and whose message holds typed values.
    const fault = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const error = Object.assign(
        new Error(`Item {"phone":"${person.phone}","email":"${person.email}"} refused`),
        {
          Item: { ownerName: person.owner, phone: person.phone, trackingToken },
        },
      )
      if (faulty) throw error
      return next(args)
    }
    let faulty = true
    table.doc.middlewareStack.add(fault as never, { step: 'initialize', name: 'privacyFault' })
    expect((await call('GET', `/v1/requests/${requestId}`, { owner: trackingToken })).status).toBe(500)
    faulty = false
    table.doc.middlewareStack.remove('privacyFault')

    // The export holds everything: the request, sessions with places and notes, feedback, progress notes, consent history.
    const exported = await call('GET', `/v1/requests/${requestId}/export`, { owner: trackingToken })
    expect(exported.status).toBe(200)
    for (const value of [person.business, person.place, person.sessionNotes, person.progress, person.comment])
      expect(exported.text).toContain(value)
    expect(exported.body).toMatchObject({
      person: 'owner',
      consent: { purposes: { matching_contact: true, reminders: true } },
    })
    const page = await call('GET', `/v1/requests/${requestId}/export?format=html`, { owner: trackingToken })
    expect(page.text).toContain(person.place)

    // Erasure: the request at once; everything else through `PersonErased`, each consumer its part.
    expect((await call('DELETE', `/v1/requests/${requestId}`, { owner: trackingToken })).status).toBe(204)
    await settle(world)
    expect(await published('EngagementEnded')).toHaveLength(1)
    expect(world.notifier.sent.filter((m) => m.kind === 'engagement-ended')).toHaveLength(1)

    const items = await scanTable(table)
    const engagement = items.find((item) => item.entity === 'engagement') as { status: string }
    expect(engagement.status).toBe('ended')
    const load = items.find((item) => item.entity === 'mentorLoad' && item.mentorId === second.mentorId) as {
      active: number
    }
    expect(load.active).toBe(0)
    const sessions = items.filter((item) => item.entity === 'session') as { status: string }[]
    expect(sessions.map((session) => session.status).sort()).toEqual(['cancelled', 'completed'])

    const personal = [
      person.business,
      person.owner,
      person.email,
      person.description,
      person.place,
      person.sessionNotes,
      person.progress,
      person.comment,
      person.declineNote,
      trackingToken,
      ...phoneForms,
    ]
    const stored = JSON.stringify(items)
    const messages = JSON.stringify(world.notifier.sent)
    const logs = world.printed.join('')
    expect(logs).toContain('unhandled error')
    for (const value of personal) {
      expect(stored, `table holds ${value}`).not.toContain(value)
      expect(messages, `messages hold ${value}`).not.toContain(value)
      expect(logs, `logs hold ${value}`).not.toContain(value)
    }
    // Only anonymous counts remain: the report still counts the request.
    expect(items.some((item) => item.entity === 'reportMonth')).toBe(true)
  })

  it('erases an owner whose retention period passed, through the same path', async () => {
    clock.set('2026-06-01T00:00:00Z')
    const submitted = await call('POST', '/v1/requests', {
      body: submission(PRIVACY_NOTICE_VERSION, '0857-1111-2222'),
    })
    expect(submitted.status).toBe(201)
    const { id } = submitted.body as { id: string }
    // Matching acts on it first (an offer), so its last activity is the submission's day.
    const about = (detail: Record<string, unknown>) => detail.requestId === id
    await settle(world)
    expect([...(await published('OfferMade')), ...(await published('RequestUnmatched'))].some(about)).toBe(
      true,
    )
    // DynamoDB Local ignores TTL; retention is a due duty, so the sweeper is what erases.
    clock.set('2027-06-01T00:30:00Z')
    await sweepDue(world.store, clock)
    await settle(world)
    expect((await scanTable(table, 'request')).find((item) => item.id === id)?.erasedAt).toBeTruthy()
    expect((await published('PersonErased')).some((detail) => detail.personId === id)).toBe(true)
  })
})

function submission(version: string, phone = person.phone) {
  return {
    business: {
      name: person.business,
      ownerName: person.owner,
      phone,
      email: person.email,
      region: '35.73',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp'],
    },
    needs: ['marketplace'],
    description: person.description,
    mode: 'either',
    languages: ['id'],
    availability: [{ day: 'sat', from: '09:00', to: '12:00' }],
    consent: { accepted: true, purposeVersion: version, purposes: { reminders: true } },
  }
}
