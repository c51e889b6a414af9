import { createDocumentClient } from '@pendamping/core/dynamo'
import { getFeedback } from '@pendamping/core/feedback'
import type { Clock } from '@pendamping/core/store'
import { type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import { seedMentors } from '@pendamping/scripts/seed-mentors'
import { dynamoEndpoint } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** A clock the test moves: the API, the consumers and the sweeper all read it. */
let now = new Date('2026-05-04T01:00:00Z')
const clock: Clock = { now: () => now }
const advanceTo = (iso: string) => {
  now = new Date(iso)
}

let stack: LocalStack

beforeAll(async () => {
  const tableName = `journey-${crypto.randomUUID()}`
  stack = await startLocalStack({ dynamoEndpoint: dynamoEndpoint(), tableName, port: 0, clock })
  const doc = createDocumentClient({ endpoint: stack.dynamoEndpoint })
  await seedMentors({ doc, tableName }, clock)
  doc.destroy()
  // Count every DynamoDB call the API and the consumers make, by command, from here on.
  stack.store.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName)
      calls.set(name, (calls.get(name) ?? 0) + 1)
      return next(args)
    },
    { step: 'initialize', name: 'countCalls' },
  )
})

const calls = new Map<string, number>()
const totalCalls = () => [...calls.values()].reduce((sum, n) => sum + n, 0)

afterAll(async () => {
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
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

const mentorToken = (mentorId: string) => stack.keys.sign({ sub: mentorId, role: 'mentor', region: '35.73' })

const published = (type: string, requestId?: string) =>
  stack.bus.published.filter(
    (event) =>
      event.type === type && (!requestId || (event.detail as { requestId?: string }).requestId === requestId),
  )

const sentOf = (kind: string) => stack.notifier.sent.filter((message) => message.kind === kind)

/** Runs the sweeper, then waits until everything it set off has been published and delivered. */
async function sweep() {
  const before = stack.bus.published.length
  await stack.runSchedules()
  await expect.poll(() => stack.bus.published.length >= before).toBe(true)
  await stack.bus.settled()
}

describe('A mentoring journey, on the local stack', () => {
  it('runs from request to check-in on events alone, each follow-up once', async () => {
    // An owner in Kota Malang asks for help with social media and content.
    const submitted = await call('POST', '/v1/requests', {
      body: {
        business: {
          name: 'Kopi Lereng Arjuno',
          ownerName: 'Wahyu Hidayat',
          phone: '0812-3456-7890',
          email: 'wahyu@example.id',
          region: '35.73',
          sector: 'kuliner',
          sizeClass: 'mikro',
          currentChannels: ['whatsapp', 'instagram'],
        },
        needs: ['social_media', 'content'],
        description: 'Ingin menjual kopi bubuk lewat Instagram dan TikTok.',
        mode: 'online',
        languages: ['id'],
        availability: [{ day: 'sat', from: '09:00', to: '12:00' }],
        consent: { accepted: true, purposeVersion: '2026-11', purposes: { reminders: true } },
      },
    })
    expect(submitted.status).toBe(201)
    const { id: requestId, trackingToken } = submitted.body as { id: string; trackingToken: string }

    // The RequestSubmitted event, not the submitting call, produces the first offer.
    await expect.poll(() => published('OfferMade', requestId).length, { timeout: 15_000 }).toBe(1)
    const first = published('OfferMade', requestId)[0]?.detail as { offerId: string; mentorId: string }
    await expect.poll(() => sentOf('offer-made').length).toBe(1)
    expect(sentOf('offer-made')[0]).toMatchObject({
      channel: 'email',
      // Where the request is, never the business a person typed (UU PDP: nothing personal in a subject).
      subject: 'Tawaran pendampingan baru di Kota Malang',
    })
    expect(JSON.stringify(sentOf('offer-made')[0])).not.toContain('Kopi Lereng Arjuno')

    // The first mentor declines; the next best mentor is offered.
    const declined = await call('POST', `/v1/offers/${first.offerId}/decline`, {
      token: await mentorToken(first.mentorId),
      body: { reason: 'no_time' },
    })
    expect(declined.status).toBe(200)
    await expect.poll(() => published('OfferMade', requestId).length, { timeout: 15_000 }).toBe(2)
    const second = published('OfferMade', requestId)[1]?.detail as { offerId: string; mentorId: string }
    expect(second.mentorId).not.toBe(first.mentorId)

    // The second mentor accepts and schedules a session two days ahead.
    const mentor = await mentorToken(second.mentorId)
    const accepted = await call('POST', `/v1/offers/${second.offerId}/accept`, { token: mentor })
    expect(accepted.status).toBe(201)
    const engagementId = (accepted.body as { id: string }).id
    const scheduled = await call('POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor,
      body: {
        startsAt: '2026-05-06T03:00:00Z',
        endsAt: '2026-05-06T04:00:00Z',
        mode: 'online',
        meetingUrl: 'https://meet.google.com/abc-defg-hij',
        topics: ['social_media'],
      },
    })
    expect(scheduled.status).toBe(201)
    const sessionId = (scheduled.body as { id: string }).id
    await expect.poll(() => published('SessionScheduled').length).toBe(1)
    await stack.bus.settled()

    // 24 hours before: one reminder to the mentor and one to the owner, however often the sweeper runs.
    advanceTo('2026-05-05T03:00:30Z')
    await sweep()
    await expect.poll(() => sentOf('session-reminder').length).toBe(2)
    await sweep()
    await sweep()
    expect(sentOf('session-reminder')).toHaveLength(2)
    expect(
      sentOf('session-reminder')
        .map((m) => m.body)
        .join(),
    ).toContain('10.00 WIB')

    // 1 hour before: the second reminder, once each.
    advanceTo('2026-05-06T02:00:30Z')
    await sweep()
    await expect.poll(() => sentOf('session-reminder').length).toBe(4)
    await sweep()
    expect(sentOf('session-reminder')).toHaveLength(4)

    // After the session the mentor completes it; seven days later the owner is asked how it went, once.
    advanceTo('2026-05-06T04:10:00Z')
    const completed = await call('POST', `/v1/sessions/${sessionId}/complete`, {
      token: mentor,
      body: {
        notes: 'Akun Instagram bisnis dibuat, rencana konten 4 minggu.',
        outcomes: ['instagram_business_account'],
        attendance: 'attended',
      },
    })
    expect(completed.status).toBe(200)
    await expect.poll(() => published('SessionCompleted').length).toBe(1)
    await stack.bus.settled()
    advanceTo('2026-05-13T04:11:00Z')
    await sweep()
    await expect.poll(() => sentOf('check-in').length).toBe(1)
    await sweep()
    expect(sentOf('check-in')).toHaveLength(1)
    // By the owner's channel (WhatsApp: they gave a phone and chose nothing else), with a link that
    // opens their tracking page (docs/contract/channels.md#links-in-messages).
    expect(sentOf('check-in')[0]).toMatchObject({ to: '+6281234567890', channel: 'whatsapp' })
    const link = new URL(/https?:\/\/\S+/.exec(sentOf('check-in')[0]?.body ?? '')?.[0] ?? 'http://none')
    expect(link.pathname).toBe(`/lacak/${requestId}`)
    const opened = await fetch(`${stack.url}${link.pathname}${link.search}`, { redirect: 'manual' })
    expect([opened.status, opened.headers.get('location')]).toEqual([303, `/lacak/${requestId}`])

    // The owner rates the session with their tracking token.
    const rated = await call('POST', `/v1/sessions/${sessionId}/feedback`, {
      owner: trackingToken,
      body: { rating: 5, comment: 'Sangat membantu!' },
    })
    expect(rated.status).toBe(201)
    await expect.poll(() => published('FeedbackReceived').length).toBe(1)
    await stack.bus.settled()

    // Every DynamoDB call of the journey, API and consumers together: bounded, and reported.
    if (process.env.JOURNEY_CALLS)
      console.log(JSON.stringify({ total: totalCalls(), byCommand: Object.fromEntries(calls) }))
    // Measured: 285–301. About 140 for the API and the consumer deliveries (the rate-limit counters,
    // consent history, recovery lookups and the retention duty added about 25 since the first wave);
    // the rest are the sweeps, which read every hour bucket the clock skipped once — nine days here —
    // to catch up from their watermark (a duty due while no sweep ran is never missed), at most 48
    // buckets a run, and how many sweeps run while the journey waits varies by a dozen calls.
    expect(totalCalls()).toBeGreaterThan(100)
    expect(totalCalls()).toBeLessThanOrEqual(340)
    // The whole journey, request to feedback, is these eleven events.
    expect(
      stack.bus.published.map((event) => event.type).filter((type) => !type.startsWith('Mentor')),
    ).toEqual([
      'RequestSubmitted',
      'OfferMade',
      'OfferDeclined',
      'OfferMade',
      'OfferAccepted',
      'SessionScheduled',
      'FollowUpDue',
      'FollowUpDue',
      'SessionCompleted',
      'FollowUpDue',
      'FeedbackReceived',
    ])
    // Nothing was lost on the way, and no follow-up fired twice.
    expect(stack.streamWorker.deadLetters).toHaveLength(0)
    expect(stack.bus.deliveries.filter((delivery) => delivery.status === 'failed')).toEqual([])
    const fired = published('FollowUpDue').map((event) => (event.detail as { followUpId: string }).followUpId)
    expect(new Set(fired).size).toBe(fired.length)
    expect(fired).toEqual(
      expect.arrayContaining([
        `session-reminder-24h:${sessionId}`,
        `session-reminder-1h:${sessionId}`,
        `post-session-check-in:${sessionId}`,
      ]),
    )

    // The owner erases their data (UU PDP): the request at once, what they wrote about the session
    // through the RequestDeleted event; the rating stays with the mentor's record.
    expect((await getFeedback(stack.store, sessionId))?.comment).toBe('Sangat membantu!')
    const erased = await call('DELETE', `/v1/requests/${requestId}`, { owner: trackingToken })
    expect(erased.status).toBe(204)
    await expect
      .poll(async () => (await getFeedback(stack.store, sessionId))?.comment, { timeout: 15_000 })
      .toBeNull()
    expect((await getFeedback(stack.store, sessionId))?.rating).toBe(5)
    expect((await call('GET', `/v1/requests/${requestId}`, { owner: trackingToken })).status).toBe(404)
  })
})
