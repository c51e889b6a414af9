import { describe, expect, it } from 'vitest'
import { assignSeats, drawOrder, newSeed, seedHashOf } from './draw.ts'

/** `drawOrder('pendamping', ['a' … 'e'])` as an independent implementation of the published algorithm gives it. */
const PINNED = ['c', 'a', 'd', 'b', 'e']

const ids = Array.from({ length: 1000 }, (_, index) => `reg-${String(index).padStart(4, '0')}`)

describe('The lottery draw', () => {
  it('is reproducible: the same seed and ids give the same order, whatever order the ids come in', () => {
    const { seed } = newSeed()
    const first = drawOrder(seed, ids)
    const shuffled = [...ids].reverse()
    expect(drawOrder(seed, shuffled)).toEqual(first)
    expect(new Set(first).size).toBe(ids.length)
    expect([...first].sort()).toEqual([...ids].sort())
  })

  it('gives a different order for a different seed', () => {
    expect(drawOrder('a', ids)).not.toEqual(drawOrder('b', ids))
  })

  it('is pinned: this seed gives this order on every machine (the published algorithm)', () => {
    expect(drawOrder('pendamping', ['a', 'b', 'c', 'd', 'e'])).toEqual(PINNED)
  })

  it('puts every position about equally often (no modulo bias, no fixed points)', () => {
    const firsts = new Map<string, number>()
    const small = ['a', 'b', 'c', 'd']
    for (let run = 0; run < 4000; run++) {
      const [head = ''] = drawOrder(`seed-${run}`, small)
      firsts.set(head, (firsts.get(head) ?? 0) + 1)
    }
    for (const id of small) expect(firsts.get(id)).toBeGreaterThan(850)
  })

  it('publishes a 64-hex SHA-256 of a 256-bit seed', () => {
    const { seed, seedHash } = newSeed()
    expect(seed).toMatch(/^[0-9a-f]{64}$/)
    expect(seedHash).toBe(seedHashOf(seed))
    expect(seedHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('seats in drawn order per segment and queues the rest in that order', () => {
    const registrations = new Map(
      ['a', 'b', 'c', 'd', 'e'].map((id, index) => [id, { id, segment: index % 2 === 0 ? 'umum' : 'asn' }]),
    )
    const { confirmed, waitlisted } = assignSeats(['e', 'd', 'c', 'b', 'a'], registrations, {
      umum: 2,
      asn: 1,
    })
    expect(confirmed.map((r) => r.id)).toEqual(['e', 'd', 'c'])
    expect(waitlisted.map((r) => r.id)).toEqual(['b', 'a'])
  })
})
