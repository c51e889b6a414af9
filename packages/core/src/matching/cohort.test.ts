import { syntheticMentors, syntheticRequests } from '@pendamping/scripts/testing/synthetic-matching'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random/index.ts'
import { planCohort, SCORE_SCALE } from './cohort.ts'
import type { MentorProfile, RequestProfile } from './profile.ts'
import { mentor, request } from './profiles.fixture.ts'
import { eligible, loadCredit, MATCH_WEIGHTS, type MatchBreakdown, scoreMatch } from './score.ts'

const W = MATCH_WEIGHTS
/** The pair's score without load, in 1/10 000 — the objective's unit. */
const pairUnits = (b: MatchBreakdown) =>
  Math.round(
    (W.needCoverage * b.needCoverage +
      W.proximity * b.proximity +
      W.availability * b.availability +
      W.rating * b.rating) *
      SCORE_SCALE,
  )
const seatUnits = (active: number, capacity: number) =>
  Math.round(W.load * loadCredit(active, capacity) * SCORE_SCALE)

/** The lexicographic optimum (matched, score units) over every feasible plan. */
function bruteForce(
  requests: RequestProfile[],
  mentors: MentorProfile[],
): { matched: number; units: number } {
  const used = mentors.map(() => 0)
  let best = { matched: -1, units: -1 }
  const visit = (r: number, matched: number, units: number) => {
    if (r === requests.length) {
      let total = units
      mentors.forEach((m, c) => {
        for (let k = 0; k < (used[c] as number); k++) total += seatUnits(m.active + k, m.capacity)
      })
      if (matched > best.matched || (matched === best.matched && total > best.units))
        best = { matched, units: total }
      return
    }
    visit(r + 1, matched, units)
    const owner = requests[r] as RequestProfile
    mentors.forEach((m, c) => {
      if ((used[c] as number) >= m.capacity - m.active || !eligible(owner, m)) return
      used[c] = (used[c] as number) + 1
      visit(r + 1, matched + 1, units + pairUnits(scoreMatch(owner, m).breakdown))
      used[c] = (used[c] as number) - 1
    })
  }
  visit(0, 0, 0)
  return best
}

function randomPeople(random: () => number): { requests: RequestProfile[]; mentors: MentorProfile[] } {
  const cities = ['35.73', '35.07', '33.74']
  const topics = ['branding', 'seo', 'packaging', 'ads']
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T
  const someOf = <T>(list: readonly T[]) => list.filter(() => random() < 0.5)
  const requests = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) =>
    request({
      id: `r-${i}`,
      region: `${pick(cities)}.0${1 + Math.floor(random() * 3)}`,
      needs: [pick(topics), ...someOf(topics)],
      mode: pick(['online', 'offline', 'either'] as const),
      languages: random() < 0.8 ? ['id'] : ['jv'],
      availability: [
        { day: Math.floor(random() * 3), from: pick(['08:00', '10:00']), to: pick(['11:00', '14:00']) },
      ],
      excludedMentorIds: random() < 0.15 ? ['m-0'] : [],
    }),
  )
  const mentors = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => {
    const capacity = 1 + Math.floor(random() * 3)
    return mentor({
      id: `m-${i}`,
      status: random() < 0.9 ? 'active' : 'paused',
      regions: [pick(cities)],
      modes: pick([['online'], ['offline'], ['online', 'offline']] as const),
      languages: random() < 0.7 ? ['id'] : ['id', 'jv'],
      skills: someOf(topics).map((topic) => ({ topic, level: (1 + Math.floor(random() * 3)) as 1 | 2 | 3 })),
      availability: [
        { day: Math.floor(random() * 3), from: pick(['09:00', '13:00']), to: pick(['15:00', '18:00']) },
      ],
      capacity,
      active: Math.floor(random() * capacity),
      ...(random() < 0.5 ? { rating: { sum: Math.floor(random() * 40), count: 8 } } : {}),
    })
  })
  return { requests, mentors }
}

function checkFeasible(
  plan: ReturnType<typeof planCohort>,
  requests: RequestProfile[],
  mentors: MentorProfile[],
) {
  const byId = new Map(mentors.map((m) => [m.id, m]))
  const seats = new Map<string, number>()
  for (const a of plan.assignments) {
    const m = byId.get(a.mentorId) as MentorProfile
    const owner = requests.find((r) => r.id === a.requestId) as RequestProfile
    expect(eligible(owner, m)).toBe(true)
    seats.set(m.id, (seats.get(m.id) ?? 0) + 1)
  }
  for (const [id, taken] of seats) {
    const m = byId.get(id) as MentorProfile
    expect(m.active + taken).toBeLessThanOrEqual(m.capacity)
  }
  const ids = [...plan.assignments.map((a) => a.requestId), ...plan.unassigned].sort()
  expect(ids).toEqual(requests.map((r) => r.id).sort())
}

describe('Cohort matching', () => {
  it('finds the brute-force optimum on 600 small random programs', () => {
    const random = seededRandom(42)
    let unmatched = 0
    for (let i = 0; i < 600; i++) {
      const { requests, mentors } = randomPeople(random)
      const expected = bruteForce(requests, mentors)
      for (const candidatesPerRequest of [1, 24]) {
        const plan = planCohort(requests, mentors, { candidatesPerRequest })
        checkFeasible(plan, requests, mentors)
        const units = plan.assignments.reduce((sum, a) => sum + Math.round(a.score * SCORE_SCALE), 0)
        expect({ matched: plan.assignments.length, units }, `program ${i}`).toEqual(expected)
        expect(plan.totalScore).toBeCloseTo(units / SCORE_SCALE, 9)
      }
      unmatched += requests.length - expected.matched
    }
    expect(unmatched).toBeGreaterThan(100) // scarcity and ineligibility were both exercised
  })

  it('helps one more owner rather than giving a better mentor to one', () => {
    const star = mentor({ id: 'm-star', capacity: 1, rating: { sum: 100, count: 20 } })
    const distant = mentor({ id: 'm-distant', capacity: 1, regions: ['31.71'], modes: ['online'] })
    const flexible = request({ id: 'r-flexible' })
    const local = request({ id: 'r-local', mode: 'offline' })
    const plan = planCohort([flexible, local], [star, distant])
    expect(plan.assignments.map((a) => [a.requestId, a.mentorId])).toEqual([
      ['r-flexible', 'm-distant'],
      ['r-local', 'm-star'],
    ])
    expect(plan.unassigned).toEqual([])
  })

  it('spreads equally good requests across mentors instead of filling one', () => {
    const mentors = [mentor({ id: 'm-a' }), mentor({ id: 'm-b' })]
    const plan = planCohort([request({ id: 'r-1' }), request({ id: 'r-2' })], mentors)
    expect(new Set(plan.assignments.map((a) => a.mentorId))).toEqual(new Set(['m-a', 'm-b']))
  })

  it('shows the load of the seat each request takes', () => {
    const plan = planCohort(
      [request({ id: 'r-1' }), request({ id: 'r-2' })],
      [mentor({ capacity: 4, active: 1 })],
    )
    expect(plan.assignments.map((a) => a.breakdown.load)).toEqual([0.75, 0.5])
    const first = plan.assignments[0] as (typeof plan.assignments)[number]
    expect(first.score).toBeCloseTo(scoreMatch(request(), mentor({ capacity: 4, active: 1 })).total, 4)
  })

  it('leaves requests nobody can take unassigned', () => {
    const plan = planCohort(
      [request({ id: 'r-1' }), request({ id: 'r-2', languages: ['en'] }), request({ id: 'r-3' })],
      [mentor({ capacity: 1 }), mentor({ id: 'm-paused', status: 'paused' })],
    )
    expect(plan.assignments.map((a) => a.requestId)).toEqual(['r-1'])
    expect(plan.unassigned).toEqual(['r-2', 'r-3'])
    expect(planCohort([request()], []).unassigned).toEqual(['r-1'])
    expect(planCohort([], [mentor()])).toEqual({ assignments: [], unassigned: [], totalScore: 0 })
  })

  it('gives the same plan whatever order the inputs come in', () => {
    const mentors = syntheticMentors(60, { seed: 5 })
    const requests = syntheticRequests(150, { seed: 5 })
    const plan = planCohort(requests, mentors)
    expect(planCohort([...requests].reverse(), [...mentors].reverse())).toEqual(plan)
  })

  it('loses nothing by pruning candidates on a realistic program', () => {
    const mentors = syntheticMentors(120, { seed: 9 })
    const requests = syntheticRequests(400, { seed: 9 })
    const exhaustive = planCohort(requests, mentors, { candidatesPerRequest: 10_000 })
    for (const candidatesPerRequest of [2, 24]) {
      const pruned = planCohort(requests, mentors, { candidatesPerRequest })
      expect(pruned.assignments.length).toBe(exhaustive.assignments.length)
      expect(pruned.totalScore).toBeCloseTo(exhaustive.totalScore, 9)
    }
  })
})
