/**
 * Suspending a mentor, end to end through the HTTP API on the local stack (DynamoDB Local, the
 * stream, the bus and every consumer): the mentor's tokens are refused at once, the account is
 * disabled at the provider, open offers are withdrawn and matched to another mentor, active
 * engagements wait for staff (who reassign or end them), future sessions are cancelled, the owners
 * are told — each once, however often the event arrives. Reinstating restores the account only.
 */

import { type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import { dynamoEndpoint } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let stack: LocalStack
let staff = ''
let otherStaff = ''
let suspendedId = ''
let suspendedToken = ''
let backupId = ''
/** Requests by name: two the mentor took (A, C), one still offered to them (B). */
const requests: Record<string, { id: string; trackingToken: string; engagementId?: string }> = {}
let sessionId = ''

async function api(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any }
}

async function ok(method: string, path: string, token?: string, body?: unknown) {
  const answer = await api(method, path, token, body)
  if (answer.status >= 300)
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

function application(name: string, email: string, phone: string) {
  return {
    name,
    email,
    phone,
    region: '35.73',
    skills: [
      { topic: 'packaging', level: 3 },
      { topic: 'branding', level: 2 },
    ],
    modes: ['online'],
    languages: ['id'],
    availability: [{ day: 'mon', from: '08:00', to: '17:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
  }
}

async function approved(name: string, email: string, phone: string) {
  const { id } = await ok('POST', '/v1/mentor-applications', undefined, application(name, email, phone))
  await ok('POST', `/v1/mentors/${id}/approve`, staff)
  return id as string
}

/** An owner's request; resolves once it has an offer, answering the offer's id and mentor. */
async function request(name: string, phone: string) {
  const submitted = await ok('POST', '/v1/requests', undefined, {
    business: {
      name,
      ownerName: `Pemilik ${name}`,
      phone,
      region: '35.73',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp'],
    },
    needs: ['packaging'],
    description: 'Butuh kemasan baru supaya produk bisa masuk toko oleh-oleh.',
    mode: 'online',
    languages: ['id'],
    availability: [{ day: 'mon', from: '08:00', to: '12:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
  })
  requests[name] = { id: submitted.id, trackingToken: submitted.trackingToken }
  return submitted.id as string
}

const statusOf = async (name: string) => {
  const entry = requests[name]
  const answer = await fetch(`${stack.url}/v1/requests/${entry?.id}`, {
    headers: { 'x-tracking-token': entry?.trackingToken ?? '' },
  })
  return (await answer.json()).status as string
}

const offersOf = async (token: string, status = 'open') =>
  (await ok('GET', `/v1/me/offers?status=${status}`, token)).items as Array<{
    id: string
    requestId: string
    status: string
  }>

const published = (type: string) => stack.bus.published.filter((event) => event.type === type)
const sent = (kind: string) => stack.notifier.sent.filter((message) => message.kind === kind)

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: dynamoEndpoint(),
    tableName: `suspension-${crypto.randomUUID()}`,
  })
  staff = await stack.keys.sign({ sub: 'staff-malang', role: 'staff', region: '35.73' })
  otherStaff = await stack.keys.sign({ sub: 'staff-bali', role: 'staff', region: '51' })

  // The mentor to be suspended takes two businesses (A, C) and is offered a third (B).
  suspendedId = await approved('Yoga Pratama', 'yoga.pratama@example.id', '0857 2000 1000')
  suspendedToken = await stack.keys.sign({ sub: suspendedId, role: 'mentor', region: '35.73' })
  for (const name of ['Sambal Bu A', 'Kopi Pak C']) {
    const id = await request(name, name.startsWith('S') ? '0812 1000 0001' : '0812 1000 0003')
    const offer = await until('an offer', async () =>
      (await offersOf(suspendedToken)).find((candidate) => candidate.requestId === id),
    )
    const engagement = await ok('POST', `/v1/offers/${offer.id}/accept`, suspendedToken)
    const entry = requests[name]
    if (entry) entry.engagementId = engagement.id
  }
  // A session next Monday-ish, well in the future: it will be cancelled.
  const startsAt = new Date(Math.ceil((Date.now() + 3 * 24 * 3600_000) / 900_000) * 900_000)
  const session = await ok(
    'POST',
    `/v1/engagements/${requests['Sambal Bu A']?.engagementId}/sessions`,
    suspendedToken,
    {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
      mode: 'online',
      meetingUrl: 'https://meet.google.com/abc-defg-hij',
      topics: ['packaging'],
    },
  )
  sessionId = session.id
  const b = await request('Keripik B', '0812 1000 0002')
  await until('the offer of B', async () =>
    (await offersOf(suspendedToken)).some((offer) => offer.requestId === b),
  )

  // Another mentor, for matching to turn to.
  backupId = await approved('Sinta Maharani', 'sinta.maharani@example.id', '0857 2000 2000')
  // Approval invited both by their channel.
  await until('the invitations', async () => sent('account-invitation').length >= 2)
}, 120_000)

afterAll(async () => {
  await stack?.stop()
})

describe('Suspending a mentor', () => {
  it('refuses the mentor’s tokens at once, and only staff of their region may suspend', async () => {
    expect((await api('GET', '/v1/me', suspendedToken)).status).toBe(200)
    const foreign = await api('PATCH', `/v1/mentors/${suspendedId}`, otherStaff, { status: 'suspended' })
    expect(foreign.status).toBe(404)

    const suspended = await api('PATCH', `/v1/mentors/${suspendedId}`, staff, { status: 'suspended' })
    expect(suspended.status).toBe(200)
    expect(suspended.body.status).toBe('suspended')
    // The very next request with the token the mentor still holds (valid for hours) is refused.
    const refused = await api('GET', '/v1/me/offers', suspendedToken)
    expect(refused.status).toBe(401)
    expect(refused.body.type).toBe('urn:pendamping:problem:unauthorized')
    expect(
      (
        await api(
          'POST',
          `/v1/engagements/${requests['Sambal Bu A']?.engagementId}/progress`,
          suspendedToken,
          { note: 'x' },
        )
      ).status,
    ).toBe(401)
    // Suspending twice is refused: the consequences happen once.
    expect((await api('PATCH', `/v1/mentors/${suspendedId}`, staff, { status: 'suspended' })).status).toBe(
      409,
    )
  })

  it('disables the account at the provider', async () => {
    await until('the account disabled', async () => stack.accounts.find(suspendedId)?.disabled)
    expect(stack.accounts.signIn('yoga.pratama@example.id', 'pendamping-lokal')).toBeUndefined()
  })

  it('withdraws the open offer and matches the request to another mentor', async () => {
    const backupToken = await stack.keys.sign({ sub: backupId, role: 'mentor', region: '35.73' })
    const b = requests['Keripik B']?.id
    const offer = await until('a new offer for B', async () =>
      (await offersOf(backupToken)).find((candidate) => candidate.requestId === b),
    )
    expect(offer.status).toBe('open')
    expect(await statusOf('Keripik B')).toBe('offered')
    const withdrawn = published('OfferWithdrawn').map(
      (event) => event.detail as { mentorId: string; reason: string },
    )
    expect(withdrawn).toEqual([
      expect.objectContaining({ mentorId: suspendedId, reason: 'mentor-suspended' }),
    ])
  })

  it('hands active engagements to staff, cancels future sessions, and tells each owner once', async () => {
    for (const name of ['Sambal Bu A', 'Kopi Pak C']) {
      const id = requests[name]?.engagementId
      await until(`${name} held for a decision`, async () =>
        (await ok('GET', `/v1/engagements/${id}`, staff)).status === 'needs_decision' ? true : undefined,
      )
    }
    const session = await ok('GET', `/v1/sessions/${sessionId}`, staff)
    expect(session.status).toBe('cancelled')
    await until('the owners told', async () => sent('mentor-withdrawn').length === 2)
    const notice = sent('mentor-withdrawn').find((message) =>
      message.body.includes('Sesi terjadwal yang dibatalkan: 1'),
    )
    expect(notice).toBeDefined()
    // The owner no longer sees the old mentor's sessions as upcoming.
    expect(await statusOf('Sambal Bu A')).toBe('active')
  })

  it('acts once when the event is delivered again', async () => {
    await stack.bus.settled()
    const suspendedEvents = published('MentorSuspended')
    expect(suspendedEvents).toHaveLength(1)
    const before = {
      held: published('EngagementNeedsDecision').length,
      withdrawn: published('OfferWithdrawn').length,
      cancelled: published('SessionCancelled').length,
      notices: sent('mentor-withdrawn').length,
    }
    expect(before).toEqual({ held: 2, withdrawn: 1, cancelled: 1, notices: 2 })
    await stack.bus.publish(suspendedEvents)
    await stack.bus.settled()
    await new Promise((resolve) => setTimeout(resolve, 500))
    await stack.bus.settled()
    expect({
      held: published('EngagementNeedsDecision').length,
      withdrawn: published('OfferWithdrawn').length,
      cancelled: published('SessionCancelled').length,
      notices: sent('mentor-withdrawn').length,
    }).toEqual(before)
  })

  it('lets staff of the region reassign one engagement (matching again) and end the other', async () => {
    const a = requests['Sambal Bu A']?.engagementId
    const c = requests['Kopi Pak C']?.engagementId
    expect((await api('POST', `/v1/engagements/${a}/decision`, otherStaff, { decision: 'end' })).status).toBe(
      404,
    )
    expect((await api('POST', `/v1/engagements/${a}/decision`, staff, { decision: 'later' })).status).toBe(
      400,
    )

    const reassigned = await api('POST', `/v1/engagements/${a}/decision`, staff, { decision: 'reassign' })
    expect(reassigned.status).toBe(200)
    expect(reassigned.body.status).toBe('reassigned')
    const backupToken = await stack.keys.sign({ sub: backupId, role: 'mentor', region: '35.73' })
    await until('a new offer for A', async () =>
      (await offersOf(backupToken)).some((offer) => offer.requestId === requests['Sambal Bu A']?.id),
    )
    expect(await statusOf('Sambal Bu A')).toBe('offered')

    const ended = await api('POST', `/v1/engagements/${c}/decision`, staff, { decision: 'end' })
    expect(ended.status).toBe(200)
    expect(ended.body.status).toBe('ended')
    expect(await statusOf('Kopi Pak C')).toBe('completed')
    const again = await api('POST', `/v1/engagements/${c}/decision`, staff, { decision: 'reassign' })
    expect(again.status).toBe(409)
    expect(again.body.type).toBe('urn:pendamping:problem:engagement-not-awaiting')
    // The seat the suspended mentor held is free again.
    expect((await ok('GET', `/v1/mentors/${suspendedId}`, staff)).load.active).toBe(0)
  })

  it('reinstating restores the account, not the withdrawn work', async () => {
    const back = await api('PATCH', `/v1/mentors/${suspendedId}`, staff, { status: 'active' })
    expect(back.status).toBe(200)
    expect((await api('GET', '/v1/me', suspendedToken)).status).toBe(200)
    await until('the account enabled', async () => stack.accounts.find(suspendedId)?.disabled === false)
    expect(await offersOf(suspendedToken)).toEqual([])
    const engagements = (await ok('GET', '/v1/me/engagements', suspendedToken)).items as Array<{
      status: string
    }>
    expect(engagements.map((engagement) => engagement.status).sort()).toEqual(['ended', 'reassigned'])
    expect(published('MentorReinstated')).toHaveLength(1)
  })
})
