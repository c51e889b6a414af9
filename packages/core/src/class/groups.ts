/** Splitting a meeting's attendees into groups, and deciding who completed a class: pure, no I/O. */
import { randomInt } from 'node:crypto'
import type { CompletionRule, Group, Meeting } from './item.ts'

export interface Attendee {
  registrationId: string
  interest: string | null
}

export interface GroupPlan {
  by: 'count' | 'size'
  value: number
  topics: readonly string[]
  byInterest: boolean
}

/**
 * Groups of balanced size (they differ by at most one person): `count` groups, or as many as groups
 * of at most `size` need. In roster order, dealt round the groups; with `byInterest`, people who
 * stated the same interest sit together (attendees sorted by interest, then cut into consecutive
 * groups) and a group's topic is its most common interest. Otherwise topics go round the groups.
 *
 * @example
 * splitIntoGroups(thirty, { by: 'count', value: 6, topics: ['foto produk'], byInterest: false }) // 6 × 5
 */
export function splitIntoGroups(attendees: readonly Attendee[], plan: GroupPlan): Group[] {
  const n = attendees.length
  if (n === 0) return []
  const count = Math.max(1, Math.min(n, plan.by === 'count' ? plan.value : Math.ceil(n / plan.value)))
  const groups: Group[] = Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    topic: plan.topics[index % plan.topics.length] ?? '',
    registrationIds: [],
  }))
  if (!plan.byInterest) {
    attendees.forEach((attendee, index) => {
      groups[index % count]?.registrationIds.push(attendee.registrationId)
    })
    return groups
  }
  const sorted = [...attendees].sort((a, b) => (a.interest ?? '~').localeCompare(b.interest ?? '~'))
  const base = Math.floor(n / count)
  const extra = n % count
  let at = 0
  groups.forEach((group, index) => {
    const size = base + (index < extra ? 1 : 0)
    const members = sorted.slice(at, at + size)
    at += size
    group.registrationIds = members.map((member) => member.registrationId)
    const tally = new Map<string, number>()
    for (const member of members)
      if (member.interest) tally.set(member.interest, (tally.get(member.interest) ?? 0) + 1)
    const top = [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
    if (top) group.topic = top[0]
  })
  return groups
}

/**
 * Whether a registration's attendance meets the class's completion rule: every meeting, or at least
 * `minimumPercent` of them, attended.
 */
export function meetsCompletion(
  rule: CompletionRule,
  attendance: Readonly<Record<string, string>>,
  meetings: readonly Meeting[],
): boolean {
  if (meetings.length === 0) return false
  const attended = meetings.filter((meeting) => attendance[meeting.id] === 'present').length
  const minimum = rule.rule === 'all' ? 100 : rule.minimumPercent
  return attended * 100 >= minimum * meetings.length
}

/** Minutes of the meetings a registration attended. */
export function attendedMinutes(
  attendance: Readonly<Record<string, string>>,
  meetings: readonly Meeting[],
): number {
  return meetings
    .filter((meeting) => attendance[meeting.id] === 'present')
    .reduce((sum, meeting) => sum + (Date.parse(meeting.endsAt) - Date.parse(meeting.startsAt)) / 60_000, 0)
}

/** Letters and digits people cannot confuse when read off a screen (no 0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A fresh six-character check-in code. */
export function newCheckInCode(): string {
  let code = ''
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}
