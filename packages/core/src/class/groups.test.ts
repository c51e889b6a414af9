import { describe, expect, it } from 'vitest'
import { meetsCompletion, newCheckInCode, splitIntoGroups } from './groups.ts'

const attendees = (n: number, interest?: (index: number) => string | null) =>
  Array.from({ length: n }, (_, index) => ({
    registrationId: `r${index}`,
    interest: interest?.(index) ?? null,
  }))

describe('Groups', () => {
  it('splits 30 attendees into six groups of five, topics in turn', () => {
    const groups = splitIntoGroups(attendees(30), {
      by: 'count',
      value: 6,
      topics: ['foto', 'caption'],
      byInterest: false,
    })
    expect(groups.map((group) => group.registrationIds.length)).toEqual([5, 5, 5, 5, 5, 5])
    expect(groups.map((group) => group.topic)).toEqual([
      'foto',
      'caption',
      'foto',
      'caption',
      'foto',
      'caption',
    ])
    expect(new Set(groups.flatMap((group) => group.registrationIds)).size).toBe(30)
  })

  it('splits by size into groups that differ by at most one person', () => {
    const groups = splitIntoGroups(attendees(23), { by: 'size', value: 5, topics: ['x'], byInterest: false })
    expect(groups.length).toBe(5)
    const sizes = groups.map((group) => group.registrationIds.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
  })

  it('keeps people of the same stated interest together, the group named after it', () => {
    const interests = ['tiktok', 'youtube', 'packaging']
    const groups = splitIntoGroups(
      attendees(12, (index) => interests[index % 3] ?? null),
      { by: 'count', value: 3, topics: ['umum'], byInterest: true },
    )
    expect(groups.map((group) => group.topic).sort()).toEqual(['packaging', 'tiktok', 'youtube'])
    for (const group of groups) expect(group.registrationIds.length).toBe(4)
  })

  it('never makes more groups than people', () => {
    expect(
      splitIntoGroups(attendees(3), { by: 'count', value: 10, topics: ['x'], byInterest: false }).length,
    ).toBe(3)
    expect(splitIntoGroups([], { by: 'count', value: 10, topics: ['x'], byInterest: false })).toEqual([])
  })
})

describe('Completion', () => {
  const meetings = ['m1', 'm2', 'm3', 'm4'].map((id, index) => ({
    id,
    startsAt: `2026-05-0${index + 1}T02:00:00.000Z`,
    endsAt: `2026-05-0${index + 1}T04:00:00.000Z`,
  }))
  it('needs every meeting under the rule "all"', () => {
    const rule = { rule: 'all' as const, minimumPercent: 100 }
    expect(
      meetsCompletion(rule, { m1: 'present', m2: 'present', m3: 'present', m4: 'present' }, meetings),
    ).toBe(true)
    expect(
      meetsCompletion(rule, { m1: 'present', m2: 'present', m3: 'present', m4: 'absent' }, meetings),
    ).toBe(false)
  })
  it('needs at least the minimum share under a percent rule (3 of 4 is 75 %)', () => {
    const rule = { rule: 'percent' as const, minimumPercent: 75 }
    expect(meetsCompletion(rule, { m1: 'present', m2: 'present', m3: 'present' }, meetings)).toBe(true)
    expect(meetsCompletion(rule, { m1: 'present', m2: 'present', m4: 'absent' }, meetings)).toBe(false)
  })
})

describe('Check-in codes', () => {
  it('are six characters people cannot misread', () => {
    for (let i = 0; i < 100; i++) expect(newCheckInCode()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
  })
})
