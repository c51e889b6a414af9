/**
 * From counter items to the report's numbers: pure, so the route, the recount test and the benchmark
 * agree on how sums, rates and quantiles come out.
 */
import * as z from 'zod/mini'
import { REQUEST_STATUSES } from '../request/item.ts'
import { TIME_TO_MATCH_BOUNDS_HOURS } from './counters.ts'

const Counts = z.record(z.string(), z.number())

export const MonthPoint = z.object({
  month: z.string(),
  requestsSubmitted: z.number(),
  requestsMatched: z.number(),
  sessionsScheduled: z.number(),
  sessionsCompleted: z.number(),
  mentoringHours: z.number(),
})
export type MonthPoint = z.infer<typeof MonthPoint>

export const MentorLoad = z.object({
  mentorId: z.string(),
  /** Only for staff of the report's region (and admins), read at report time; never stored in counters. */
  name: z.optional(z.string()),
  engagements: z.number(),
  sessions: z.number(),
  hours: z.number(),
})
export type MentorLoad = z.infer<typeof MentorLoad>

export const RegionCount = z.object({ code: z.string(), name: z.optional(z.string()), count: z.number() })

/** The numbers of a report, before scope and seats are added. */
export const Summary = z.object({
  requests: z.object({
    submitted: z.number(),
    matched: z.number(),
    promoted: z.number(),
    erased: z.number(),
    byStatus: Counts,
    byTopic: Counts,
    bySector: Counts,
    bySizeClass: Counts,
    bySegment: Counts,
    byRegion: z.array(RegionCount),
  }),
  /** Requests matched ÷ requests submitted in the range; `null` when none were submitted. */
  matchRate: z.nullable(z.number()),
  timeToMatch: z.object({
    count: z.number(),
    /** Upper bound of the bucket holding the median (hours); `null` when nothing matched. */
    medianHours: z.nullable(z.number()),
    p90Hours: z.nullable(z.number()),
    /** `upToHours: null` is the overflow bucket (longer than the last bound). */
    buckets: z.array(z.object({ upToHours: z.nullable(z.number()), count: z.number() })),
  }),
  offers: z.object({ made: z.number(), accepted: z.number(), declined: z.number(), expired: z.number() }),
  sessions: z.object({
    scheduled: z.number(),
    completed: z.number(),
    cancelled: z.number(),
    noShow: z.number(),
  }),
  engagements: z.object({ completed: z.number(), ended: z.number() }),
  mentoringHours: z.number(),
  outcomes: Counts,
  rating: z.object({ count: z.number(), average: z.nullable(z.number()) }),
  mentors: z.array(MentorLoad),
  monthly: z.array(MonthPoint),
  /** Classes (kelas): registrations, fill, attendance and completion. */
  classes: z.object({
    registrations: z.number(),
    waitlisted: z.number(),
    lotteryEntries: z.number(),
    promoted: z.number(),
    cancelled: z.number(),
    bySegment: Counts,
    byRegion: z.array(RegionCount),
    /** Classes whose last seat was taken, and how long that took from publication. */
    filled: z.number(),
    timeToFill: z.object({ medianHours: z.nullable(z.number()), p90Hours: z.nullable(z.number()) }),
    /** Over finished classes: meetings attended ÷ meetings held × participants; `null` when none finished. */
    attendanceRate: z.nullable(z.number()),
    /** Participants who met their class's completion rule ÷ participants of finished classes. */
    completion: z.object({ finishers: z.number(), completed: z.number(), rate: z.nullable(z.number()) }),
  }),
  /** E-certificates issued (by kind) and revoked in the range. */
  certificates: z.object({ issued: z.number(), revoked: z.number(), byKind: Counts }),
})
export type Summary = z.infer<typeof Summary>

/** One stored counter item, reduced to its month and numbers. */
export interface MonthCounters {
  month: string
  numbers: Record<string, number>
}

/** Every `yyyy-mm` from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = []
  let [year, month] = from.split('-').map(Number) as [number, number]
  for (let guard = 0; guard < 1200; guard++) {
    const current = `${year}-${String(month).padStart(2, '0')}`
    if (current > to) break
    months.push(current)
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
  return months
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100

/** Sums the months' counters and derives rates and quantiles. Months without an item count zero. */
export function summarize(items: readonly MonthCounters[], from: string, to: string): Summary {
  const total: Record<string, number> = {}
  const byMonth = new Map<string, Record<string, number>>()
  for (const { month, numbers } of items) {
    if (month < from || month > to) continue
    byMonth.set(month, numbers)
    for (const [name, value] of Object.entries(numbers)) total[name] = (total[name] ?? 0) + value
  }
  const n = (name: string) => total[name] ?? 0
  const section = (prefix: string) => {
    const counts: Record<string, number> = {}
    for (const [name, value] of Object.entries(total)) {
      if (name.startsWith(prefix) && value !== 0) counts[name.slice(prefix.length)] = value
    }
    return counts
  }

  const byStatus: Record<string, number> = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0]))
  Object.assign(byStatus, section('requests.status.'))

  const buckets = [...TIME_TO_MATCH_BOUNDS_HOURS, null].map((upToHours, i) => ({
    upToHours,
    count: n(`timeToMatch.${i}`),
  }))
  const matchedCount = buckets.reduce((sum, bucket) => sum + bucket.count, 0)

  const mentors = new Map<string, MentorLoad>()
  for (const [name, value] of Object.entries(total)) {
    if (!name.startsWith('mentor.')) continue
    const dot = name.lastIndexOf('.')
    const mentorId = name.slice('mentor.'.length, dot)
    const field = name.slice(dot + 1)
    const load = mentors.get(mentorId) ?? { mentorId, engagements: 0, sessions: 0, hours: 0 }
    if (field === 'engagements') load.engagements += value
    else if (field === 'sessions') load.sessions += value
    else if (field === 'minutes') load.hours = hours(value)
    mentors.set(mentorId, load)
  }

  const ratio = (part: number, whole: number) =>
    whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null
  const fillBuckets = [...TIME_TO_MATCH_BOUNDS_HOURS, null].map((upToHours, i) => ({
    upToHours,
    count: n(`classFill.${i}`),
  }))
  const classes = {
    registrations: n('classes.registrations'),
    waitlisted: n('classes.waitlisted'),
    lotteryEntries: n('classes.lotteryEntries'),
    promoted: n('classes.promoted'),
    cancelled: n('classes.cancelled'),
    bySegment: section('classes.segment.'),
    byRegion: Object.entries(section('classes.region.'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, count]) => ({ code, count })),
    filled: n('classes.filled'),
    timeToFill: { medianHours: quantile(fillBuckets, 0.5), p90Hours: quantile(fillBuckets, 0.9) },
    attendanceRate: ratio(n('classes.presentMarks'), n('classes.possibleMarks')),
    completion: {
      finishers: n('classes.finishers'),
      completed: n('classes.completed'),
      rate: ratio(n('classes.completed'), n('classes.finishers')),
    },
  }

  const ratingCount = n('rating.count')
  const submitted = n('requests.submitted')
  return {
    requests: {
      submitted,
      matched: n('requests.matched'),
      promoted: n('requests.promoted'),
      erased: n('requests.erased'),
      byStatus,
      byTopic: section('requests.topic.'),
      bySector: section('requests.sector.'),
      bySizeClass: section('requests.sizeClass.'),
      bySegment: section('requests.segment.'),
      byRegion: Object.entries(section('requests.region.'))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, count]) => ({ code, count })),
    },
    matchRate: submitted > 0 ? Math.round((n('requests.matched') / submitted) * 10_000) / 10_000 : null,
    timeToMatch: {
      count: matchedCount,
      medianHours: quantile(buckets, 0.5),
      p90Hours: quantile(buckets, 0.9),
      buckets,
    },
    offers: {
      made: n('offers.made'),
      accepted: n('offers.accepted'),
      declined: n('offers.declined'),
      expired: n('offers.expired'),
    },
    sessions: {
      scheduled: n('sessions.scheduled'),
      completed: n('sessions.completed'),
      cancelled: n('sessions.cancelled'),
      noShow: n('sessions.noShow'),
    },
    engagements: { completed: n('engagements.completed'), ended: n('engagements.ended') },
    mentoringHours: hours(n('sessions.minutes')),
    outcomes: section('outcomes.'),
    rating: {
      count: ratingCount,
      average: ratingCount > 0 ? Math.round((n('rating.sum') / ratingCount) * 100) / 100 : null,
    },
    mentors: [...mentors.values()].sort(
      (a, b) => b.engagements - a.engagements || b.hours - a.hours || a.mentorId.localeCompare(b.mentorId),
    ),
    monthly: monthsBetween(from, to).map((month) => {
      const numbers = byMonth.get(month) ?? {}
      return {
        month,
        requestsSubmitted: numbers['requests.submitted'] ?? 0,
        requestsMatched: numbers['requests.matched'] ?? 0,
        sessionsScheduled: numbers['sessions.scheduled'] ?? 0,
        sessionsCompleted: numbers['sessions.completed'] ?? 0,
        mentoringHours: hours(numbers['sessions.minutes'] ?? 0),
      }
    }),
    classes,
    certificates: {
      issued: n('certificates.issued'),
      revoked: n('certificates.revoked'),
      byKind: section('certificates.kind.'),
    },
  }
}

/**
 * The upper bound of the bucket holding the `q`-quantile (nearest rank), in hours: a time to match
 * is at most this. The overflow bucket answers the last bound (the truth is longer); `null` when empty.
 */
export function quantile(
  buckets: ReadonlyArray<{ upToHours: number | null; count: number }>,
  q: number,
): number | null {
  const count = buckets.reduce((sum, bucket) => sum + bucket.count, 0)
  if (count === 0) return null
  const rank = Math.max(1, Math.ceil(q * count))
  let seen = 0
  for (const bucket of buckets) {
    seen += bucket.count
    if (seen >= rank) return roundHours(bucket.upToHours ?? TIME_TO_MATCH_BOUNDS_HOURS.at(-1) ?? 0)
  }
  return null
}

const roundHours = (value: number) => Math.round(value * 100) / 100
