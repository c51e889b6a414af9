import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { keys as tableKeys } from '@pendamping/core/dynamo'
import { getRequest, promoteNextWaitlisted } from '@pendamping/core/request'
import { systemClock } from '@pendamping/core/store'
import type { createApp } from '@pendamping/functions/api/app'
import type { LocalKeySet } from '@pendamping/scripts/local/keys'
import { testApp } from '@pendamping/scripts/testing/app'
import { outboxEvents, scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'

const table = useTestTable()
const store = { doc: table.doc, tableName: table.tableName }
let signer: LocalKeySet
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  ;({ app, keys: signer } = await testApp(table))
})

const staff = async () => ({
  authorization: `Bearer ${await signer.sign({ sub: 'staff-malang', role: 'staff', region: '35.73' })}`,
})

function newRequest(index: number, extra: Record<string, unknown> = {}) {
  return {
    business: {
      name: `Warung ${index}`,
      ownerName: `Pemilik ${index}`,
      phone: `0812-3456-${String(index).padStart(4, '0')}`,
      region: '35.73.01',
      sector: 'kuliner',
      annualSales: 250_000_000,
      currentChannels: ['whatsapp'],
    },
    needs: ['social_media', 'marketplace'],
    description: 'Ingin mulai jualan online.',
    mode: 'either',
    languages: ['id', 'jv'],
    availability: [{ day: 'sat', from: '09:00', to: '12:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
    ...extra,
  }
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

async function openProgram(quota: number): Promise<string> {
  const response = await post(
    '/v1/programs',
    {
      region: '35.73',
      name: 'Pendampingan Digital UMKM Kota Malang 2026',
      topics: ['social_media', 'marketplace', 'content'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-02-01T00:00:00+07:00',
      endsAt: '2030-12-31T23:59:59+07:00',
      segments: { umum: quota, asn: quota },
      status: 'open',
    },
    await staff(),
  )
  expect(response.status).toBe(201)
  return (await response.json()).id
}

/** Counts DynamoDB calls by operation, and transactions cancelled by reason, while a test runs. */
function countCalls() {
  const counts: Record<string, number> = {}
  const name = `count-${crypto.randomUUID()}`
  table.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '')
      counts[operation] = (counts[operation] ?? 0) + 1
      try {
        return await next(args)
      } catch (error) {
        const reasons =
          (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []
        for (const code of new Set(
          reasons.map((reason) => reason.Code).filter((code) => code && code !== 'None'),
        ))
          counts[`cancelled:${code}`] = (counts[`cancelled:${code}`] ?? 0) + 1
        throw error
      }
    },
    { step: 'initialize', name },
  )
  return {
    stop() {
      table.doc.middlewareStack.remove(name)
      return counts
    },
  }
}

async function segmentCounter(programId: string, segment: string) {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: tableKeys.programSegment(programId, segment),
      ConsistentRead: true,
    }),
  )
  return { quota: Item?.quota, admitted: Item?.admitted, waitlisted: Item?.waitlisted }
}

// 500 real transactions on DynamoDB Local take ~20 s alone and longer beside the browser tests.
describe('Seats under a registration burst (invariant 3)', { timeout: 180_000 }, () => {
  let programId: string
  let answers: Array<{ id: string; status: string; trackingToken: string }>

  it('admits exactly 70 of 500 parallel submissions and waitlists the other 430', async () => {
    programId = await openProgram(70)
    const calls = countCalls()
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        post('/v1/requests', newRequest(index, { programId, segment: 'umum' })),
      ),
    )
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status !== 201)).toEqual([])
    answers = await Promise.all(responses.map((response) => response.json()))
    const matching = answers.filter((answer) => answer.status === 'matching')
    const waitlisted = answers.filter((answer) => answer.status === 'waitlisted')
    expect(matching).toHaveLength(70)
    expect(waitlisted).toHaveLength(430)
    expect(await segmentCounter(programId, 'umum')).toEqual({ quota: 70, admitted: 70, waitlisted: 430 })
    expect(await segmentCounter(programId, 'asn')).toEqual({ quota: 70, admitted: 0, waitlisted: 0 })

    const stored = await scanTable(table, 'request')
    expect(stored).toHaveLength(500)
    expect(stored.filter((item) => item.status === 'matching')).toHaveLength(70)
    const submitted = await outboxEvents(table, 'RequestSubmitted')
    expect(submitted).toHaveLength(500)
    expect(submitted.filter((event) => event.detail.status === 'waitlisted')).toHaveLength(430)
    const observed = calls.stop()
    console.info('burst of 500:', JSON.stringify(observed))
    // One transaction each to try for a seat, one more for each of the 430 waitlisted, plus conflict retries.
    expect(observed.TransactWriteItems).toBeGreaterThanOrEqual(930)
  })

  it('lists the waitlist in arrival order (submittedAt, then id), page by page', async () => {
    const headers = await staff()
    const listed: Array<{ id: string; submittedAt: string }> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query = new URLSearchParams({
        status: 'waitlisted',
        program: programId,
        segment: 'umum',
        limit: '100',
      })
      if (cursor) query.set('cursor', cursor)
      const response = await app.request(`/v1/requests?${query}`, { headers })
      expect(response.status).toBe(200)
      const page = await response.json()
      listed.push(...page.items)
      cursor = page.nextCursor
      pages++
    } while (cursor && pages < 10)
    expect(listed).toHaveLength(430)
    const order = (a: { submittedAt: string; id: string }, b: { submittedAt: string; id: string }) =>
      a.submittedAt === b.submittedAt ? (a.id < b.id ? -1 : 1) : a.submittedAt < b.submittedAt ? -1 : 1
    expect(listed.map((item) => item.id)).toEqual([...listed].sort(order).map((item) => item.id))
    expect(new Set(listed.map((item) => item.id))).toEqual(
      new Set(answers.filter((answer) => answer.status === 'waitlisted').map((answer) => answer.id)),
    )
  })

  it('frees a seat on cancellation and promotes the oldest waitlisted request into it', async () => {
    const admitted = answers.find((answer) => answer.status === 'matching')
    if (!admitted) throw new Error('no admitted request')
    const cancel = await post(
      `/v1/requests/${admitted.id}/cancel`,
      {},
      { 'x-tracking-token': admitted.trackingToken },
    )
    expect(cancel.status).toBe(200)
    expect(await cancel.json()).toEqual({ id: admitted.id, status: 'cancelled' })
    expect(await segmentCounter(programId, 'umum')).toEqual({ quota: 70, admitted: 69, waitlisted: 430 })
    const [cancelled] = await outboxEvents(table, 'RequestCancelled')
    expect(cancelled?.detail).toMatchObject({
      requestId: admitted.id,
      freedSeat: true,
      previousStatus: 'matching',
    })

    // A newcomer does not overtake the queue, even while the seat is free.
    const late = await post('/v1/requests', newRequest(900, { programId, segment: 'umum' }))
    expect((await late.json()).status).toBe('waitlisted')

    const waitlisted = (await scanTable(table, 'request'))
      .filter((item) => item.status === 'waitlisted')
      .map((item) => ({ id: String(item.id), submittedAt: String(item.submittedAt) }))
      .sort((a, b) =>
        a.submittedAt === b.submittedAt ? (a.id < b.id ? -1 : 1) : a.submittedAt < b.submittedAt ? -1 : 1,
      )
    const oldest = waitlisted[0]
    const promoted = await promoteNextWaitlisted(store, systemClock, programId, 'umum')
    expect(promoted?.id).toBe(oldest?.id)
    expect((await getRequest(store, oldest?.id ?? ''))?.status).toBe('matching')
    expect(await segmentCounter(programId, 'umum')).toEqual({ quota: 70, admitted: 70, waitlisted: 430 })
    const [event] = await outboxEvents(table, 'RequestPromoted')
    expect(event?.detail).toMatchObject({ requestId: oldest?.id, programId, segment: 'umum' })

    // No seat is free now: a repeated delivery of the same event promotes no one.
    expect(await promoteNextWaitlisted(store, systemClock, programId, 'umum')).toBeUndefined()
    expect(await segmentCounter(programId, 'umum')).toEqual({ quota: 70, admitted: 70, waitlisted: 430 })
  })

  it('cancelling a waitlisted request shortens the queue without freeing a seat', async () => {
    const queued = answers.filter((answer) => answer.status === 'waitlisted').at(-1)
    if (!queued) throw new Error('no waitlisted request')
    const cancel = await post(
      `/v1/requests/${queued.id}/cancel`,
      {},
      { 'x-tracking-token': queued.trackingToken },
    )
    expect(cancel.status).toBe(200)
    expect(await segmentCounter(programId, 'umum')).toEqual({ quota: 70, admitted: 70, waitlisted: 429 })
    const events = await outboxEvents(table, 'RequestCancelled')
    expect(events.find((event) => event.detail.requestId === queued.id)?.detail.freedSeat).toBe(false)
  })
})

describe('Retried submissions (invariant 7)', () => {
  it('answers 20 parallel retries with the same Idempotency-Key with one request', async () => {
    const before = (await scanTable(table, 'request')).length
    const eventsBefore = (await outboxEvents(table, 'RequestSubmitted')).length
    const body = newRequest(7000)
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post('/v1/requests', body, { 'idempotency-key': 'retry-7000-abc' })),
    )
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201))
    const bodies = await Promise.all(responses.map((response) => response.json()))
    expect(new Set(bodies.map((answer) => JSON.stringify(answer))).size).toBe(1)
    expect(
      responses.filter((response) => response.headers.get('idempotency-replayed') === 'true'),
    ).toHaveLength(19)
    expect((await scanTable(table, 'request')).length).toBe(before + 1)
    expect((await outboxEvents(table, 'RequestSubmitted')).length).toBe(eventsBefore + 1)

    // A later retry replays too; the same key with another body is refused.
    const later = await post('/v1/requests', body, { 'idempotency-key': 'retry-7000-abc' })
    expect(later.status).toBe(201)
    expect(await later.json()).toEqual(bodies[0])
    const reused = await post('/v1/requests', newRequest(7001), { 'idempotency-key': 'retry-7000-abc' })
    expect(reused.status).toBe(422)
    expect((await reused.json()).type).toBe('urn:pendamping:problem:idempotency-key-reused')
    expect((await scanTable(table, 'request')).length).toBe(before + 1)
  })

  it('keeps the idempotency record free of the tracking token', async () => {
    const body = newRequest(7100)
    const response = await post('/v1/requests', body, { 'idempotency-key': 'secret-check-1' })
    const { trackingToken } = await response.json()
    const records = await scanTable(table, 'idempotency')
    expect(records.length).toBeGreaterThan(0)
    expect(JSON.stringify(records)).not.toContain(trackingToken)
    expect(JSON.stringify(records)).not.toContain('secret-check-1')
  })
})
