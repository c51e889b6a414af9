/**
 * A consumer killed in the middle of its work: the cohort offers of a committed plan (one chunk per
 * invocation) and a session reminder to two people. One attempt throws after writing part of its
 * work; another hangs after a partial write and never releases its claim, as a Lambda that timed out
 * or ran out of memory. Redelivery completes the work exactly once.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { withContext } from '@pendamping/core/actor'
import { ClaimHeldError } from '@pendamping/core/consumer'
import { get, keys } from '@pendamping/core/dynamo'
import { CohortPlan, CohortPlanChunk, FollowUp } from '@pendamping/core/entities'
import { createEvent, type EventEnvelope } from '@pendamping/core/event'
import { FollowUpEvents } from '@pendamping/core/followup'
import { planProgramCohort } from '@pendamping/core/matching'
import type { Notification, Notifier } from '@pendamping/core/notification'
import { PRIVACY_NOTICE_VERSION } from '@pendamping/core/privacy'
import { getRequest } from '@pendamping/core/request'
import type { Store } from '@pendamping/core/store'
import { handler as cohortOffers } from '@pendamping/functions/consumers/cohort'
import { handler as followUpRunner } from '@pendamping/functions/consumers/due'
import { provideRuntime } from '@pendamping/functions/runtime'
import { outboxEvents } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  approvedMentor,
  call,
  createWorld,
  offerTo,
  staff,
  submitted,
  type World,
} from '../mentors.fixture.ts'
import { busEvent, lambdaContext, waitFor } from './support.ts'

const table = useTestTable()
let world: World

/** How the table behaves for the consumer: normally, or dying after `after` more transactions. */
type Fault = { kind: 'none' } | { kind: 'crash' | 'hang'; after: number }
let fault: Fault = { kind: 'none' }

/** The test table behind a switch: a transaction past the limit throws (a crash) or never returns (a timeout). */
function faultyStore(): Store {
  return {
    tableName: table.tableName,
    doc: new Proxy(table.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver)
        return (command: unknown) => {
          if (command instanceof TransactWriteCommand && fault.kind !== 'none') {
            if (fault.after <= 0) {
              if (fault.kind === 'hang') return new Promise(() => {})
              return Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
            }
            fault.after--
          }
          return target.send(command as never)
        }
      },
    }),
  }
}

/** The notifier behind a switch: refuses one recipient while `refusing` names them. */
const sent: Notification[] = []
let refusing: string | undefined
const notifier: Notifier = {
  async send(notification) {
    if (notification.to.ref === refusing)
      throw Object.assign(new Error('Throttling'), { name: 'ThrottlingException' })
    sent.push(notification)
  },
}

const processed = (consumer: string, eventId: string) =>
  table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.processed(consumer, eventId) }))

let programId: string
let chunkEvents: EventEnvelope[] = []
const requestIds: string[] = []

beforeAll(async () => {
  world = await createWorld(table)
  provideRuntime({ store: faultyStore(), clock: world.clock, notifier, publicUrl: 'http://localhost' })
  const token = await staff(world)
  const created = await call(world, 'POST', '/v1/programs', {
    token,
    body: {
      region: '35.73',
      name: 'Kohort Tahan Gangguan',
      topics: ['social_media'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-02-01T00:00:00+07:00',
      endsAt: '2026-07-31T23:59:59+07:00',
      segments: { umum: 20 },
    },
  })
  if (created.status !== 201) throw new Error(`program: ${JSON.stringify(created.body)}`)
  programId = created.body.id
  await call(world, 'PATCH', `/v1/programs/${programId}`, { token, body: { status: 'open' } })
  for (let i = 0; i < 8; i++)
    requestIds.push((await submitted(world, { programId, segment: 'umum', needs: ['social_media'] })).id)
  for (let i = 0; i < 3; i++)
    await approvedMentor(world, { capacity: 3, skills: [{ topic: 'social_media', level: 3 }] })
  // Chunks of 3 assignments, so 8 make three chunks (the default is 200: a 2 000-request plan makes ten).
  const plan = await withContext(
    {
      actor: { kind: 'account', sub: 'staff-35.73', role: 'staff', region: '35.73' },
      requestId: 'test',
      locale: 'id',
    },
    () => planProgramCohort(world.store, world.clock, programId, { chunkSize: 3 }),
  )
  expect(plan.assignments).toHaveLength(8)
  const committed = await call(world, 'POST', `/v1/programs/${programId}/cohort-match/commit`, {
    token,
    body: { planId: plan.planId },
  })
  expect(committed.status).toBe(202)
  chunkEvents = (await outboxEvents(table, 'CohortChunkCommitted'))
    .map((event) => event as unknown as EventEnvelope)
    .sort((a, b) => (a.detail as { chunk: number }).chunk - (b.detail as { chunk: number }).chunk)
}, 60_000)

const offersOfPlan = async () =>
  (await outboxEvents(table, 'OfferMade')).filter((event) =>
    requestIds.includes(String(event.detail.requestId)),
  )

describe('A cohort commit', () => {
  it('keeps the plan in chunk items and emits one event per chunk', async () => {
    expect(chunkEvents.map((event) => event.detail)).toEqual([
      expect.objectContaining({ chunk: 0, assignments: 3 }),
      expect.objectContaining({ chunk: 1, assignments: 3 }),
      expect.objectContaining({ chunk: 2, assignments: 2 }),
    ])
    const planId = String((chunkEvents[0]?.detail as { planId?: string } | undefined)?.planId)
    const header = await get(world.store, CohortPlan, { planId })
    expect(header).toMatchObject({ assignmentCount: 8, chunks: 3, status: 'committed' })
    expect(header).not.toHaveProperty('assignments')
    expect((await get(world.store, CohortPlanChunk, { planId, chunk: 2 }))?.assignments).toHaveLength(2)
  })
})

describe('A consumer killed mid-action', () => {
  it('completes a chunk once when the first attempt crashed after a partial write', async () => {
    const [chunk] = chunkEvents as [EventEnvelope]
    fault = { kind: 'crash', after: 1 }
    await expect(cohortOffers(busEvent(chunk), lambdaContext(30_000))).rejects.toThrow('ECONNRESET')
    expect(await offersOfPlan()).toHaveLength(1)
    // The failed attempt released its claim: the retry acts at once.
    expect((await processed('CohortOffers', chunk.id)).Item).toBeUndefined()
    fault = { kind: 'none' }
    await cohortOffers(busEvent(chunk), lambdaContext(30_000))
    expect(await offersOfPlan()).toHaveLength(3)
  })

  it('completes a chunk once when the first attempt timed out holding its claim', async () => {
    const chunk = chunkEvents[1] as EventEnvelope
    fault = { kind: 'hang', after: 1 }
    // Lambda stops it at its timeout; here it just never returns, its claim never released.
    void cohortOffers(busEvent(chunk), lambdaContext(5_000))
    await waitFor(async () => (await offersOfPlan()).length === 4, {
      message: 'the hung attempt made one offer',
    })
    await waitFor(async () => (await processed('CohortOffers', chunk.id)).Item?.status === 'in-progress', {
      message: 'the hung attempt holds its claim',
    })
    fault = { kind: 'none' }
    // A delivery while the claim is leased is refused, not acknowledged: the work is not done.
    await expect(cohortOffers(busEvent(chunk), lambdaContext(30_000))).rejects.toBeInstanceOf(ClaimHeldError)
    // Lambda's retry comes a minute later; the lease (the 5 s it had left) is long gone.
    world.clock.advance(60_000)
    await cohortOffers(busEvent(chunk), lambdaContext(30_000))
    expect(await offersOfPlan()).toHaveLength(6)
    expect((await processed('CohortOffers', chunk.id)).Item?.status).toBe('done')
  })

  it('makes the last chunk, and a delivery of any chunk again changes nothing', async () => {
    await cohortOffers(busEvent(chunkEvents[2] as EventEnvelope), lambdaContext(30_000))
    expect(await offersOfPlan()).toHaveLength(8)
    for (const chunk of chunkEvents) await cohortOffers(busEvent(chunk), lambdaContext(30_000))
    expect(await offersOfPlan()).toHaveLength(8)
  })

  it('offered every planned request exactly once, each with its expiry: nothing acknowledged was lost, nothing applied twice', async () => {
    const offers = await offersOfPlan()
    expect(new Set(offers.map((event) => event.detail.requestId)).size).toBe(8)
    for (const requestId of requestIds) {
      const request = await getRequest(world.store, requestId)
      expect(request?.status).toBe('offered')
      expect(request?.offerCount).toBe(1)
    }
    for (const event of offers) {
      // Scheduled in the offer's own transaction, so a crash cannot separate them.
      const expiry = await get(world.store, FollowUp, { id: `offer-expiry:${event.detail.offerId}` })
      expect(expiry).toMatchObject({ status: 'pending', dueAt: event.detail.expiresAt })
    }
  })
})

describe('A reminder whose second recipient failed', () => {
  it('is retried without reminding the first recipient again', async () => {
    const mentor = await approvedMentor(world, { capacity: 2 })
    const { offerId, requestId } = await offerTo(world, mentor.id, {
      consent: {
        accepted: true,
        purposeVersion: PRIVACY_NOTICE_VERSION,
        purposes: { reminders: true, program_reports: false, follow_on_invitations: false },
      },
    })
    const accepted = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })
    const session = await call(world, 'POST', `/v1/engagements/${accepted.body.id}/sessions`, {
      token: mentor.token,
      body: {
        startsAt: '2026-03-05T03:00:00Z',
        endsAt: '2026-03-05T04:00:00Z',
        mode: 'online',
        meetingUrl: 'https://meet.google.com/abc-defg-hij',
        topics: ['social_media'],
      },
    })
    expect(session.status).toBe(201)
    const due = createEvent(
      FollowUpEvents.Due,
      {
        followUpId: `session-reminder-24h:${session.body.id}`,
        kind: 'session-reminder-24h',
        subjectId: session.body.id,
        dueAt: '2026-03-04T03:00:00.000Z',
      },
      world.clock.now(),
    )
    const owner = `owner:${requestId}`
    refusing = owner
    await expect(followUpRunner(busEvent(due), lambdaContext(30_000))).rejects.toThrow('Throttling')
    refusing = undefined
    await followUpRunner(busEvent(due), lambdaContext(30_000))
    await followUpRunner(busEvent(due), lambdaContext(30_000))
    const reminders = sent.filter((notification) => notification.kind === 'session-reminder')
    expect(reminders.map((notification) => notification.to.ref).sort()).toEqual(
      [`mentor:${mentor.id}`, owner].sort(),
    )
  })
})
