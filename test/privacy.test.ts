import { createDocumentClient } from '@pendamping/core/dynamo'
import { PRIVACY_NOTICE_VERSION } from '@pendamping/core/privacy'
import type { Clock } from '@pendamping/core/store'
import { type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import { seedMentors } from '@pendamping/scripts/seed-mentors'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { dynamoEndpoint } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

/**
 * UU PDP end to end (docs/contract/data-protection.md): a full mentoring journey on the local stack,
 * its export, its erasure through `PersonErased`, and then every item of the table, every message the
 * notifier recorded and every log line printed — errors included — searched for each personal value.
 */
let now = new Date('2026-05-04T01:00:00Z')
const clock: Clock = { now: () => now }
let stack: LocalStack
const printed: string[] = []

beforeAll(async () => {
  const tableName = `privacy-${crypto.randomUUID()}`
  stack = await startLocalStack({ dynamoEndpoint: dynamoEndpoint(), tableName, port: 0, clock })
  const doc = createDocumentClient({ endpoint: stack.dynamoEndpoint })
  await seedMentors({ doc, tableName }, clock)
  doc.destroy()
  // Every log line as Lambda prints it (JSON on stdout/stderr), for the whole journey.
  const collect = (chunk: string | Uint8Array) => {
    printed.push(String(chunk))
    return true
  }
  vi.spyOn(process.stdout, 'write').mockImplementation(collect)
  vi.spyOn(process.stderr, 'write').mockImplementation(collect)
})

afterAll(async () => {
  vi.restoreAllMocks()
  await stack?.stop()
})

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; owner?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.owner) headers['x-tracking-token'] = options.owner
  const response = await fetch(`${stack.url}${path}`, {
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

const published = (type: string) => stack.bus.published.filter((event) => event.type === type)
const mentorToken = (mentorId: string) => stack.keys.sign({ sub: mentorId, role: 'mentor', region: '35.73' })

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

describe('Data protection, on the local stack', () => {
  it('refuses a consent given against another notice, and writes nothing', async () => {
    const before = (await scanTable(tableOf(), 'request')).length
    const refused = await call('POST', '/v1/requests', { body: submission('2026-01') })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain('consent.purposeVersion')
    expect((await scanTable(tableOf(), 'request')).length).toBe(before)
  })

  it('exports a whole journey, erases it everywhere, and leaves no personal value in table, messages or logs', async () => {
    const submitted = await call('POST', '/v1/requests', { body: submission(PRIVACY_NOTICE_VERSION) })
    expect(submitted.status).toBe(201)
    const { id: requestId, trackingToken } = submitted.body as { id: string; trackingToken: string }

    // The first mentor declines with a note about the business; the next one accepts.
    await expect.poll(() => published('OfferMade').length, { timeout: 15_000 }).toBe(1)
    const first = published('OfferMade')[0]?.detail as { offerId: string; mentorId: string }
    const declined = await call('POST', `/v1/offers/${first.offerId}/decline`, {
      token: await mentorToken(first.mentorId),
      body: { reason: 'too_far', note: person.declineNote },
    })
    expect(declined.status).toBe(200)
    await expect.poll(() => published('OfferMade').length, { timeout: 15_000 }).toBe(2)
    const second = published('OfferMade')[1]?.detail as { offerId: string; mentorId: string }
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
    now = new Date('2026-05-06T04:10:00Z')
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
    await stack.bus.settled()

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
    stack.store.doc.middlewareStack.add(fault as never, { step: 'initialize', name: 'privacyFault' })
    expect((await call('GET', `/v1/requests/${requestId}`, { owner: trackingToken })).status).toBe(500)
    faulty = false
    stack.store.doc.middlewareStack.remove('privacyFault')

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
    await expect.poll(() => published('EngagementEnded').length, { timeout: 15_000 }).toBe(1)
    await stack.bus.settled()
    await expect.poll(() => stack.notifier.sent.filter((m) => m.kind === 'engagement-ended').length).toBe(1)
    await stack.bus.settled()

    const items = await scanTable(tableOf())
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
    const table = JSON.stringify(items)
    const messages = JSON.stringify(stack.notifier.sent)
    const logs = printed.join('')
    expect(logs).toContain('unhandled error')
    for (const value of personal) {
      expect(table, `table holds ${value}`).not.toContain(value)
      expect(messages, `messages hold ${value}`).not.toContain(value)
      expect(logs, `logs hold ${value}`).not.toContain(value)
    }
    // Only anonymous counts remain: the report still counts the request.
    expect(items.some((item) => item.entity === 'reportMonth')).toBe(true)
  })

  it('erases an owner whose retention period passed, through the same path', async () => {
    now = new Date('2026-06-01T00:00:00Z')
    const submitted = await call('POST', '/v1/requests', {
      body: submission(PRIVACY_NOTICE_VERSION, '0857-1111-2222'),
    })
    expect(submitted.status).toBe(201)
    const { id } = submitted.body as { id: string }
    // Matching acts on it first (an offer), so its last activity is the submission's day.
    const about = (event: { detail: unknown }) => (event.detail as { requestId?: string }).requestId === id
    await expect
      .poll(() => [...published('OfferMade'), ...published('RequestUnmatched')].some(about), {
        timeout: 15_000,
      })
      .toBe(true)
    await stack.bus.settled()
    // DynamoDB Local ignores TTL; retention is a due duty, so the sweeper is what erases.
    now = new Date('2027-06-01T00:30:00Z')
    await stack.runSchedules()
    await expect
      .poll(
        async () => (await scanTable(tableOf(), 'request')).find((item) => item.id === id)?.erasedAt ?? null,
        { timeout: 15_000 },
      )
      .not.toBeNull()
    await expect
      .poll(() =>
        published('PersonErased').some((event) => (event.detail as { personId: string }).personId === id),
      )
      .toBe(true)
  })
})

function tableOf() {
  return { doc: stack.store.doc, tableName: stack.store.tableName, endpoint: stack.dynamoEndpoint }
}

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
