/**
 * Fault (a): DynamoDB stops answering in the middle of a burst. A DynamoDB Local of this test's own is
 * frozen (SIGSTOP on its Java process) while ~200 owners submit requests and mentors accept offers
 * over HTTP on the real local stack, then thawed (SIGCONT). Every request is answered within 10 s,
 * each a 2xx or a 503 problem with `Retry-After`; every 2xx is there afterwards; and retrying each
 * call with its own Idempotency-Key creates nothing twice.
 */
import { DYNAMODB_TIMEOUTS, get, transact } from '@pendamping/core/dynamo'
import { MentorLoad } from '@pendamping/core/entities'
import { getAcceptance, getOffer, offerItems } from '@pendamping/core/offer'
import { getRequest, submitRequest } from '@pendamping/core/request'
import { systemClock } from '@pendamping/core/store'
import { type DynamoDBLocal, startDynamoDBLocal } from '@pendamping/scripts/local/dynamodb-local'
import { type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import { forEachInParallel } from '@pendamping/scripts/testing/parallel'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestBody, waitFor } from './support.ts'

const MENTORS = 12
const CAPACITY = 5
const OFFERS = MENTORS * CAPACITY
const SUBMITS = 140
/** How long DynamoDB stays frozen. */
const PAUSE_MS = 15_000

let db: DynamoDBLocal
let stack: LocalStack
let paused = false
const offers: Array<{ offerId: string; mentorId: string }> = []

interface Call {
  kind: 'submit' | 'accept'
  key: string
  path: string
  body: unknown
  token?: string
  /** Every answer this call got, in order. */
  answers: Array<{
    status: number
    ms: number
    retryAfter: string | null
    type?: string
    body: { id?: string; type?: string } | undefined
  }>
}

async function send(call: Call) {
  const started = Date.now()
  const response = await fetch(`${stack.url}${call.path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': call.key,
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
    },
    body: JSON.stringify(call.body),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await response.text()
  const body = text ? (JSON.parse(text) as { id?: string; type?: string }) : undefined
  call.answers.push({
    status: response.status,
    ms: Date.now() - started,
    retryAfter: response.headers.get('retry-after'),
    type: response.headers.get('content-type') ?? undefined,
    body,
  })
}

beforeAll(async () => {
  db = await startDynamoDBLocal()
  // The timeouts the API has on AWS, not DynamoDB Local's lenient ones: this is an outage, not a busy laptop.
  stack = await startLocalStack({
    dynamoEndpoint: db.endpoint,
    events: false,
    rateLimits: false,
    dynamoTimeouts: DYNAMODB_TIMEOUTS,
  })
  const staff = await stack.keys.sign({ sub: 'staff-35.73', role: 'staff', region: '35.73' })
  const mentorIds: string[] = []
  for (let i = 0; i < MENTORS; i++) {
    const applied = await fetch(`${stack.url}/v1/mentor-applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `Mentor Fault ${i}`,
        email: `mentor.fault.${i}@example.id`,
        phone: `0812 7000 ${String(i).padStart(4, '0')}`,
        region: '35.73',
        regionsServed: [],
        skills: [{ topic: 'social_media', level: 3 }],
        modes: ['online', 'offline'],
        languages: ['id'],
        availability: [{ day: 'mon', from: '09:00', to: '17:00' }],
        capacity: CAPACITY,
        bio: 'Membantu UMKM berjualan lewat media sosial.',
        consent: { accepted: true, purposeVersion: '2026-11' },
      }),
    })
    const { id } = (await applied.json()) as { id: string }
    const approved = await fetch(`${stack.url}/v1/mentors/${id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff}` },
    })
    if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${await approved.text()}`)
    mentorIds.push(id)
  }
  // Each mentor gets exactly as many offers as seats, so every accept can succeed.
  await forEachInParallel(
    Array.from({ length: OFFERS }, (_, i) => i),
    6,
    async (i) => {
      const submitted = await submitRequest(stack.store, systemClock, requestBody(900_000 + i) as never)
      const request = await getRequest(stack.store, submitted.id)
      if (!request) throw new Error('request vanished')
      const mentorId = mentorIds[i % MENTORS] as string
      const { offer, items } = offerItems(
        stack.tableName,
        request,
        { mentorId, mentorSub: mentorId },
        { total: 0.8, breakdown: { needCoverage: 1 } },
        systemClock.now(),
      )
      await transact(stack.store, [
        ['offer', items.offer],
        ['request', items.request],
        ['event', items.event],
        ['expiry', items.expiry],
      ])
      offers.push({ offerId: offer.id, mentorId })
    },
  )
}, 120_000)

afterAll(async () => {
  if (paused) process.kill(db.javaPid, 'SIGCONT')
  await stack?.stop()
  await db?.stop()
})

describe('The local stack’s HTTP server', () => {
  it('answers an address nobody serves with a 404 problem, or a page for a browser', async () => {
    for (const path of ['/v1/nope', '/v1/requests/a/b/c/d', '/nope']) {
      const response = await fetch(`${stack.url}${path}`)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type'), path).toContain('application/problem+json')
    }
    const page = await fetch(`${stack.url}/v1/nope`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(404)
    expect(page.headers.get('content-type')).toContain('text/html')
  })
})

describe('DynamoDB frozen in the middle of a burst', () => {
  const calls: Call[] = []

  it('answers every request within 10 s: a 2xx, or a 503 problem with Retry-After', async () => {
    for (let i = 0; i < SUBMITS; i++)
      calls.push({
        kind: 'submit',
        key: `submit-${i}`,
        path: '/v1/requests',
        body: requestBody(i),
        answers: [],
      })
    for (const { offerId, mentorId } of offers)
      calls.push({
        kind: 'accept',
        key: `accept-${offerId}`,
        path: `/v1/offers/${offerId}/accept`,
        body: {},
        token: await stack.keys.sign({ sub: mentorId, role: 'mentor', region: '35.73' }),
        answers: [],
      })
    // Interleave submits and accepts, then send the first 40 at once and the rest while DynamoDB is frozen.
    const order = new Map(calls.map((call, index) => [call, (index * 7919) % calls.length]))
    calls.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    const inFlight: Promise<void>[] = calls.slice(0, 40).map(send)
    // Some answered, some in flight when it freezes.
    await waitFor(() => calls.slice(0, 40).filter((call) => call.answers.length > 0).length >= 10, {
      timeout: 20_000,
      interval: 20,
      message: 'a few of the first calls answered before the freeze',
    })
    process.kill(db.javaPid, 'SIGSTOP')
    paused = true
    const frozenAt = Date.now()
    for (const call of calls.slice(40)) {
      inFlight.push(send(call))
      await new Promise((resolve) => setTimeout(resolve, 40))
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PAUSE_MS - (Date.now() - frozenAt))))
    process.kill(db.javaPid, 'SIGCONT')
    paused = false
    await Promise.all(inFlight)

    const answers = calls.flatMap((call) => call.answers)
    expect(answers).toHaveLength(calls.length)
    const slow = answers.filter((answer) => answer.ms >= 10_000)
    expect(slow, 'answered in 10 s or more').toEqual([])
    for (const answer of answers) {
      if (answer.status >= 200 && answer.status < 300) continue
      expect(answer.status, JSON.stringify(answer.body)).toBe(503)
      expect(answer.type).toContain('application/problem+json')
      expect(answer.body?.type).toBe('urn:pendamping:problem:service-unavailable')
      expect(Number(answer.retryAfter)).toBeGreaterThan(0)
    }
    // The freeze was felt: most calls sent during it were refused, not left hanging.
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThan(100)
  }, 90_000)

  it('creates nothing twice when every refused call is retried with its Idempotency-Key', async () => {
    await waitFor(
      async () => {
        const refused = calls.filter((call) => (call.answers.at(-1)?.status ?? 0) >= 300)
        await forEachInParallel(refused, 20, send)
        return calls.every((call) => (call.answers.at(-1)?.status ?? 0) < 300)
      },
      { timeout: 30_000, interval: 500, message: 'every retried call succeeds once DynamoDB is back' },
    )
    for (const call of calls) {
      const successes = call.answers.filter((answer) => answer.status < 300)
      // A retry of a call that had succeeded replays the first answer: same request, same engagement.
      expect(new Set(successes.map((answer) => answer.body?.id)).size, call.key).toBe(1)
    }
  }, 60_000)

  it('keeps every acknowledged write, and applied each once: nothing acknowledged was lost, nothing applied twice', async () => {
    const submitted = calls.filter((call) => call.kind === 'submit')
    const ids = submitted.map((call) =>
      String(call.answers.find((answer) => answer.status === 201)?.body?.id),
    )
    expect(new Set(ids).size).toBe(SUBMITS)
    for (const id of ids) expect(await getRequest(stack.store, id), id).toBeDefined()
    const table = { endpoint: db.endpoint, tableName: stack.tableName, doc: stack.store.doc }
    // The requests offered before the burst plus one per submit key, never two.
    expect(await scanTable(table, 'request')).toHaveLength(OFFERS + SUBMITS)

    for (const { offerId } of offers) {
      const offer = await getOffer(stack.store, offerId)
      expect(offer?.status, offerId).toBe('accepted')
      expect((await getAcceptance(stack.store, offer?.requestId ?? ''))?.offerId).toBe(offerId)
    }
    expect(await scanTable(table, 'engagement')).toHaveLength(OFFERS)
    // Each mentor's seat counter moved once per accepted offer.
    for (const mentorId of new Set(offers.map((offer) => offer.mentorId)))
      expect((await get(stack.store, MentorLoad, { mentorId }))?.active, mentorId).toBe(CAPACITY)
  }, 60_000)
})
