import { describe, expect, it } from 'vitest'
import { clockMinutes, isWeeklySlot } from './profile.ts'
import { mentor, request } from './profiles.fixture.ts'
import { eligible, MATCH_WEIGHTS, scoreMatch } from './score.ts'

describe('Matching filters', () => {
  it('accepts a mentor who fits', () => {
    expect(eligible(request(), mentor())).toBe(true)
  })

  it.each([
    ['is not active', mentor({ status: 'paused' })],
    ['is only an applicant', mentor({ status: 'applied' })],
    ['has no seat free', mentor({ capacity: 2, active: 2 })],
    ['shares no language', mentor({ languages: ['en'] })],
    ['covers none of the needs', mentor({ skills: [{ topic: 'ads', level: 3 }] })],
    ['offers no mode the owner can use', mentor({ modes: ['offline'], regions: ['35.07'] })],
  ])('refuses a mentor who %s', (_, candidate) => {
    expect(eligible(request(), candidate)).toBe(false)
  })

  it('refuses a mentor who declined or let this request expire', () => {
    expect(eligible(request({ excludedMentorIds: ['m-9', 'm-1'] }), mentor())).toBe(false)
  })

  it('needs the same city or regency for offline mentoring', () => {
    const offline = request({ mode: 'offline' })
    expect(eligible(offline, mentor({ modes: ['offline'] }))).toBe(true)
    expect(eligible(offline, mentor({ modes: ['offline'], regions: ['35.07'] }))).toBe(false) // Kab. Malang
    expect(eligible(offline, mentor({ modes: ['offline'], regions: ['35.07', '35.73.04'] }))).toBe(true)
    expect(eligible(offline, mentor({ modes: ['offline'], regions: ['35'] }))).toBe(false)
    expect(eligible(offline, mentor({ modes: ['online'] }))).toBe(false)
  })

  it('lets `either` be met online anywhere or offline in the same city', () => {
    expect(eligible(request(), mentor({ modes: ['online'], regions: ['94.01'] }))).toBe(true)
    expect(eligible(request(), mentor({ modes: ['offline'] }))).toBe(true)
    expect(eligible(request({ mode: 'online' }), mentor({ modes: ['offline'] }))).toBe(false)
  })
})

describe('Match score', () => {
  it('weighs its five components to a total in [0, 1]', () => {
    const sum = Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0)
    expect(sum).toBeCloseTo(1, 12)
    const { total, breakdown } = scoreMatch(request(), mentor())
    expect(breakdown).toEqual({ needCoverage: 0.875, proximity: 1, availability: 1, load: 1, rating: 0.75 })
    expect(total).toBeCloseTo(0.4 * 0.875 + 0.2 + 0.15 + 0.15 + 0.1 * 0.75, 12)
  })

  it('credits each need by skill level', () => {
    const needs = ['branding', 'seo', 'packaging', 'ads']
    const skills = [
      { topic: 'branding', level: 3 as const },
      { topic: 'seo', level: 2 as const },
      { topic: 'packaging', level: 1 as const },
      { topic: 'packaging', level: 1 as const },
      { topic: 'content', level: 3 as const },
    ]
    expect(scoreMatch(request({ needs }), mentor({ skills })).breakdown.needCoverage).toBeCloseTo(
      (1 + 0.75 + 0.5 + 0) / 4,
      12,
    )
  })

  it('ranks the same city above the same province above elsewhere', () => {
    const proximity = (regions: string[]) => scoreMatch(request(), mentor({ regions })).breakdown.proximity
    expect(proximity(['35.73'])).toBe(1)
    expect(proximity(['35.07', '35.73.02'])).toBe(1)
    expect(proximity(['35.07'])).toBe(0.5)
    expect(proximity(['35'])).toBe(0.5)
    expect(proximity(['31.71'])).toBe(0)
  })

  it('compares availability across time zones', () => {
    // Monday 10–11 WIT in Kota Jayapura is 08–09 WIB in Malang.
    const owner = request({ region: '91.71', availability: [{ day: 1, from: '10:00', to: '11:00' }] })
    const at = (from: string, to: string) =>
      scoreMatch(owner, mentor({ availability: [{ day: 1, from, to }] })).breakdown.availability
    expect(at('08:00', '09:00')).toBe(1)
    expect(at('08:30', '12:00')).toBe(0.5)
    expect(at('09:00', '12:00')).toBe(0)
  })

  it('handles windows that cross the UTC week boundary', () => {
    // Sunday 05:00–08:00 WIB is Saturday 22:00 – Sunday 01:00 UTC; Sunday 07:00–08:00 WIT is Saturday 22:00–23:00 UTC.
    const owner = request({ availability: [{ day: 0, from: '05:00', to: '08:00' }] })
    const wit = (from: string, to: string) =>
      scoreMatch(owner, mentor({ regions: ['94.01'], availability: [{ day: 0, from, to }] })).breakdown
        .availability
    expect(wit('07:00', '08:00')).toBe(0.5)
    expect(wit('06:00', '07:00')).toBe(0)
    expect(wit('07:00', '10:00')).toBe(1)
  })

  it('counts overlapping slots of a mentor once and caps at two hours', () => {
    const owner = request({ availability: [{ day: 2, from: '08:00', to: '18:00' }] })
    const slots = [
      { day: 2, from: '09:00', to: '10:00' },
      { day: 2, from: '09:30', to: '09:50' },
    ]
    expect(scoreMatch(owner, mentor({ availability: slots })).breakdown.availability).toBe(0.5)
    expect(
      scoreMatch(owner, mentor({ availability: [{ day: 2, from: '08:00', to: '18:00' }] })).breakdown
        .availability,
    ).toBe(1)
  })

  it('treats an owner without a schedule as free any time, and a mentor without one as never', () => {
    expect(
      scoreMatch(request({ availability: [] }), mentor({ availability: [] })).breakdown.availability,
    ).toBe(1)
    expect(scoreMatch(request(), mentor({ availability: [] })).breakdown.availability).toBe(0)
  })

  it('prefers mentors with room', () => {
    expect(scoreMatch(request(), mentor({ capacity: 3, active: 2 })).breakdown.load).toBeCloseTo(1 / 3, 12)
    expect(scoreMatch(request(), mentor({ capacity: 4, active: 0 })).breakdown.load).toBe(1)
  })

  it('rates new mentors at the prior and moves with evidence', () => {
    const rating = (r?: { sum: number; count: number }) =>
      scoreMatch(request(), mentor(r ? { rating: r } : {})).breakdown.rating
    expect(rating()).toBe(0.75)
    expect(rating({ sum: 0, count: 0 })).toBe(0.75)
    expect(rating({ sum: 5, count: 1 })).toBeCloseTo((25 / 6 - 1) / 4, 12) // one 5-star barely moves it
    expect(rating({ sum: 50, count: 10 })).toBeCloseTo((70 / 15 - 1) / 4, 12)
    expect(rating({ sum: 10, count: 10 })).toBeCloseTo(0.25, 12)
  })
})

describe('Weekly slots', () => {
  it('reads clocks and refuses malformed slots', () => {
    expect(clockMinutes('09:30')).toBe(570)
    expect(clockMinutes('24:00')).toBe(1440)
    expect(clockMinutes('24:01')).toBe(-1)
    expect(clockMinutes('9:30')).toBe(-1)
    expect(clockMinutes('09:60')).toBe(-1)
    expect(isWeeklySlot({ day: 6, from: '22:00', to: '24:00' })).toBe(true)
    expect(isWeeklySlot({ day: 7, from: '09:00', to: '10:00' })).toBe(false)
    expect(isWeeklySlot({ day: 1, from: '10:00', to: '10:00' })).toBe(false)
    expect(isWeeklySlot({ day: 1.5, from: '09:00', to: '10:00' })).toBe(false)
  })
})
