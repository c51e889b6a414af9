import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  approvedMentor,
  type Call,
  call,
  createWorld,
  offerTo,
  staff,
  type World,
} from './mentors.fixture.ts'

/**
 * The DynamoDB call budget per route (docs/contract/budgets.md, "Calls per route"), counted with a
 * counting client: every command the app sends for one HTTP call, rate limits off (they add their own
 * counter, listed apart in the budget).
 */
const table = useTestTable()
let world: World
let counting = false
let commands: string[] = []

beforeAll(async () => {
  world = await createWorld(table)
  table.doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) commands.push(String(context.commandName).replace(/Command$/, ''))
      return next(args)
    },
    { step: 'initialize', name: 'call-budget' },
  )
})

/** One HTTP call, and the DynamoDB commands it sent. */
async function counted(method: string, path: string, options: Call = {}) {
  commands = []
  counting = true
  try {
    const answer = await call(world, method, path, options)
    return { ...answer, calls: [...commands] }
  } finally {
    counting = false
  }
}

const key = () => ({ 'idempotency-key': crypto.randomUUID() })
const READ = 2
const WRITE = 3

const online = (startsAt: string, endsAt: string) => ({
  startsAt,
  endsAt,
  mode: 'online',
  meetingUrl: 'https://meet.google.com/abc-defg-hij',
  topics: ['social_media'],
})

describe('DynamoDB calls per route, counted (docs/contract/budgets.md)', () => {
  it('keeps accept, decline, feedback and close within 3 calls with an Idempotency-Key, and replays their retries', async () => {
    const mentor = await approvedMentor(world, { capacity: 5 })
    // The mentor's account standing is read once per process and remembered; not part of a route.
    await call(world, 'GET', '/v1/me/offers', { token: mentor.token })

    const declined = await offerTo(world, mentor.id)
    const declineHeaders = key()
    const decline = await counted('POST', `/v1/offers/${declined.offerId}/decline`, {
      token: mentor.token,
      headers: declineHeaders,
      body: { reason: 'no_time' },
    })
    expect(decline.status).toBe(200)
    expect(decline.calls).toEqual(['GetItem', 'GetItem', 'TransactWriteItems'])
    const declineRetry = await counted('POST', `/v1/offers/${declined.offerId}/decline`, {
      token: mentor.token,
      headers: declineHeaders,
      body: { reason: 'no_time' },
    })
    expect(declineRetry.status).toBe(200)
    expect(declineRetry.headers.get('idempotency-replayed')).toBe('true')
    expect(declineRetry.body).toEqual(decline.body)
    // The same key for a different request: 422, and nothing written.
    const reused = await counted('POST', `/v1/offers/${declined.offerId}/decline`, {
      token: mentor.token,
      headers: declineHeaders,
      body: { reason: 'other', note: 'Berbeda' },
    })
    expect(reused.status).toBe(422)
    expect(reused.body.type).toBe('urn:pendamping:problem:idempotency-key-reused')
    expect(reused.calls).not.toContain('TransactWriteItems')

    const { offerId, trackingToken } = await offerTo(world, mentor.id)
    const acceptHeaders = key()
    const accept = await counted('POST', `/v1/offers/${offerId}/accept`, {
      token: mentor.token,
      headers: acceptHeaders,
    })
    expect(accept.status).toBe(201)
    expect(accept.calls).toEqual(['GetItem', 'GetItem', 'TransactWriteItems'])
    const acceptRetry = await counted('POST', `/v1/offers/${offerId}/accept`, {
      token: mentor.token,
      headers: acceptHeaders,
    })
    expect([acceptRetry.status, acceptRetry.body]).toEqual([201, accept.body])
    expect(acceptRetry.headers.get('idempotency-replayed')).toBe('true')
    const engagementId: string = accept.body.id

    const schedule = await counted('POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      headers: key(),
      body: online('2026-03-03T02:00:00Z', '2026-03-03T03:00:00Z'),
    })
    expect(schedule.status).toBe(201)
    // The engagement, the stored answer (read first: this route still does), the transaction.
    expect(schedule.calls).toEqual(['GetItem', 'GetItem', 'TransactWriteItems'])
    const sessionId: string = schedule.body.id

    world.clock.set('2026-03-03T03:00:00.000Z')
    try {
      const complete = await counted('POST', `/v1/sessions/${sessionId}/complete`, {
        token: mentor.token,
        body: { attendance: 'attended' },
      })
      expect(complete.status).toBe(200)
      expect(complete.calls.length).toBeLessThanOrEqual(WRITE)

      const feedbackHeaders = { ...key(), 'x-tracking-token': trackingToken }
      const feedback = await counted('POST', `/v1/sessions/${sessionId}/feedback`, {
        headers: feedbackHeaders,
        body: { rating: 5 },
      })
      expect(feedback.status).toBe(201)
      expect(feedback.calls).toEqual(['GetItem', 'GetItem', 'TransactWriteItems'])
      const feedbackRetry = await counted('POST', `/v1/sessions/${sessionId}/feedback`, {
        headers: feedbackHeaders,
        body: { rating: 5 },
      })
      expect([feedbackRetry.status, feedbackRetry.body]).toEqual([201, feedback.body])

      const closeHeaders = key()
      const close = await counted('POST', `/v1/engagements/${engagementId}/close`, {
        token: mentor.token,
        headers: closeHeaders,
        body: { outcome: 'completed' },
      })
      expect(close.status).toBe(200)
      expect(close.calls).toEqual(['GetItem', 'GetItem', 'TransactWriteItems'])
      const closeRetry = await counted('POST', `/v1/engagements/${engagementId}/close`, {
        token: mentor.token,
        headers: closeHeaders,
        body: { outcome: 'completed' },
      })
      expect([closeRetry.status, closeRetry.body]).toEqual([200, close.body])
      expect(closeRetry.headers.get('idempotency-replayed')).toBe('true')

      // Reads: within 2 each.
      const staffToken = await staff(world, '35')
      for (const [path, options] of [
        [`/v1/offers/${offerId}`, { token: mentor.token }],
        [`/v1/engagements/${engagementId}`, { token: mentor.token }],
        [`/v1/sessions/${sessionId}`, { token: staffToken }],
        [`/v1/requests/${accept.body.requestId}`, { headers: { 'x-tracking-token': trackingToken } }],
      ] as const) {
        const read = await counted('GET', path, options)
        expect(read.status, path).toBe(200)
        expect(read.calls.length, path).toBeLessThanOrEqual(READ)
      }
    } finally {
      world.clock.set('2026-03-02T01:00:00.000Z')
    }
  })
})
