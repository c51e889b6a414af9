import { syntheticMentors, syntheticRequests } from '@pendamping/scripts/testing/synthetic-matching'
import { describe, expect, it } from 'vitest'
import { bestMentor, rankMentors } from './instant.ts'
import { mentor, request } from './profiles.fixture.ts'
import { eligible, scoreMatch } from './score.ts'

describe('Instant matching', () => {
  it('offers the best eligible mentor first', () => {
    const candidates = [
      mentor({ id: 'm-far', regions: ['31.71'] }),
      mentor({ id: 'm-full', capacity: 1, active: 1 }),
      mentor({ id: 'm-near' }),
      mentor({ id: 'm-busy', active: 2 }),
    ]
    const ranked = rankMentors(request(), candidates)
    expect(ranked.map((r) => r.mentorId)).toEqual(['m-near', 'm-busy', 'm-far'])
    expect(ranked[0]?.score).toEqual(scoreMatch(request(), mentor({ id: 'm-near' })))
    expect(bestMentor(request(), candidates)?.mentorId).toBe('m-near')
  })

  it('breaks ties by mentor id, whatever the order of candidates', () => {
    const candidates = [mentor({ id: 'm-c' }), mentor({ id: 'm-a' }), mentor({ id: 'm-b' })]
    expect(rankMentors(request(), candidates, 2).map((r) => r.mentorId)).toEqual(['m-a', 'm-b'])
    expect(rankMentors(request(), candidates.reverse(), 2).map((r) => r.mentorId)).toEqual(['m-a', 'm-b'])
  })

  it('finds nobody when no mentor fits', () => {
    expect(bestMentor(request(), [mentor({ status: 'suspended' })])).toBeUndefined()
    expect(bestMentor(request(), [])).toBeUndefined()
    expect(rankMentors(request(), [mentor()], 0)).toEqual([])
  })

  it('agrees with scoring every candidate and sorting', () => {
    const candidates = syntheticMentors(600, { seed: 3, provinces: ['35', '33'] })
    for (const owner of syntheticRequests(40, { seed: 3, provinces: ['35', '33'] })) {
      const expected = candidates
        .filter((m) => eligible(owner, m))
        .map((m) => ({ mentorId: m.id, score: scoreMatch(owner, m) }))
        .sort((a, b) => b.score.total - a.score.total || (a.mentorId < b.mentorId ? -1 : 1))
        .slice(0, 5)
      expect(rankMentors(owner, candidates, 5)).toEqual(expected)
    }
  })
})
