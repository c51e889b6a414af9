import { makeCohortOffers } from '@pendamping/core/matching'
import { getOffer, offerIdFor } from '@pendamping/core/offer'
import { getRequest } from '@pendamping/core/request'
import { outboxEvents } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  approvedMentor,
  call,
  createWorld,
  mentorToken,
  requestInput,
  staff,
  submitted,
  type World,
} from './mentors.fixture.ts'

const table = useTestTable()
let world: World
let programId: string
const requestIds: string[] = []
const mentors: Array<{ id: string; capacity: number }> = []

beforeAll(async () => {
  world = await createWorld(table)
  const created = await call(world, 'POST', '/v1/programs', {
    token: await staff(world),
    body: {
      region: '35.73',
      name: 'Kohort Digital UMKM Kota Malang',
      topics: ['social_media', 'content', 'marketplace'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-02-01T00:00:00+07:00',
      endsAt: '2026-07-31T23:59:59+07:00',
      segments: { umum: 20 },
    },
  })
  if (created.status !== 201) throw new Error(`program: ${JSON.stringify(created.body)}`)
  programId = created.body.id
  const opened = await call(world, 'PATCH', `/v1/programs/${programId}`, {
    token: await staff(world),
    body: { status: 'open' },
  })
  if (opened.status !== 200) throw new Error(`open: ${JSON.stringify(opened.body)}`)
  // Six owners ask before any mentor is approved: no event consumer runs here, so they wait in `matching`.
  for (let i = 0; i < 6; i++) {
    const request = await submitted(world, {
      programId,
      segment: 'umum',
      needs: i % 2 === 0 ? ['social_media'] : ['marketplace', 'content'],
      business: { ...requestInput().business, name: `Usaha ${i}` },
    })
    requestIds.push(request.id)
  }
  // Then staff approve three mentors with four free seats between them.
  for (const capacity of [2, 1, 1]) {
    const mentor = await approvedMentor(world, {
      capacity,
      skills: [
        { topic: 'social_media', level: 3 },
        { topic: 'marketplace', level: 2 },
        { topic: 'content', level: 2 },
      ],
    })
    mentors.push({ id: mentor.id, capacity })
  }
})

describe('Cohort matching', () => {
  let planId: string

  it('plans the most matches the seats allow, each with its score breakdown, without offering yet', async () => {
    const response = await call(world, 'POST', `/v1/programs/${programId}/cohort-match`, {
      token: await staff(world),
    })
    expect(response.status).toBe(201)
    const plan = response.body
    planId = plan.planId
    expect(plan).toMatchObject({ programId, status: 'planned', requestsConsidered: 6, mentorsConsidered: 3 })
    expect(plan.assignments).toHaveLength(4)
    expect(plan.unassigned).toHaveLength(2)
    for (const mentor of mentors) {
      const load = plan.assignments.filter((a: { mentorId: string }) => a.mentorId === mentor.id).length
      expect(load).toBeLessThanOrEqual(mentor.capacity)
    }
    expect(new Set(plan.assignments.map((a: { requestId: string }) => a.requestId)).size).toBe(4)
    expect(plan.assignments[0].breakdown).toEqual(
      expect.objectContaining({
        needCoverage: expect.any(Number),
        proximity: expect.any(Number),
        load: expect.any(Number),
      }),
    )
    const total = plan.assignments.reduce((sum: number, a: { score: number }) => sum + a.score, 0)
    expect(plan.totalScore).toBeCloseTo(total, 3)
    expect(await outboxEvents(table, 'OfferMade')).toHaveLength(0)
    expect((await getRequest(world.store, requestIds[0] ?? ''))?.status).toBe('matching')
  })

  it('refuses the plan to staff of another region, and to mentors', async () => {
    const other = await call(world, 'POST', `/v1/programs/${programId}/cohort-match`, {
      token: await staff(world, '35.07'),
    })
    expect(other.status).toBe(404)
    const mentor = await call(world, 'POST', `/v1/programs/${programId}/cohort-match`, {
      token: await mentorToken(world, mentors[0]?.id ?? ''),
    })
    expect(mentor.status).toBe(403)
    const anonymous = await call(world, 'POST', `/v1/programs/${programId}/cohort-match`)
    expect(anonymous.status).toBe(401)
  })

  it('commits a plan once, through its event', async () => {
    const token = await staff(world)
    const committed = await call(world, 'POST', `/v1/programs/${programId}/cohort-match/commit`, {
      token,
      body: { planId },
    })
    expect(committed.status).toBe(202)
    expect(committed.body).toEqual({ planId, status: 'committed', offers: 4 })
    const again = await call(world, 'POST', `/v1/programs/${programId}/cohort-match/commit`, {
      token,
      body: { planId },
    })
    expect(again.status).toBe(409)
    const events = await outboxEvents(table, 'CohortPlanCommitted')
    expect(events).toHaveLength(1)
    expect(events[0]?.detail).toEqual({ programId, planId, assignments: 4 })
  })

  it('refuses a commit of a plan that does not exist, or with a bad body, writing nothing', async () => {
    const token = await staff(world)
    const missing = await call(world, 'POST', `/v1/programs/${programId}/cohort-match/commit`, {
      token,
      body: { planId: 'nope' },
    })
    expect(missing.status).toBe(404)
    const bad = await call(world, 'POST', `/v1/programs/${programId}/cohort-match/commit`, {
      token,
      body: { planId: '../x', extra: 1 },
    })
    expect(bad.status).toBe(400)
    expect(await outboxEvents(table, 'CohortPlanCommitted')).toHaveLength(1)
  })

  it('makes exactly the planned offers, and none twice', async () => {
    const plan = (
      await call(world, 'POST', `/v1/programs/${programId}/cohort-match`, { token: await staff(world) })
    ).body
    expect(plan.assignments).toHaveLength(4)
    const first = await makeCohortOffers(world.store, world.clock, programId, planId)
    expect(first).toEqual({ offered: 4, skipped: 0 })
    const again = await makeCohortOffers(world.store, world.clock, programId, planId)
    expect(again).toEqual({ offered: 0, skipped: 4 })
    const made = await outboxEvents(table, 'OfferMade')
    expect(made).toHaveLength(4)
    for (const event of made) {
      const { requestId, mentorId, offerId } = event.detail as {
        requestId: string
        mentorId: string
        offerId: string
      }
      expect(offerId).toBe(offerIdFor(requestId, 0))
      expect((await getOffer(world.store, offerId))?.status).toBe('open')
      expect((await getRequest(world.store, requestId))?.status).toBe('offered')
      expect(mentors.map((m) => m.id)).toContain(mentorId)
    }
  })
})
