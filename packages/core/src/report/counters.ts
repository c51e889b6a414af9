/**
 * What each event adds to the report counters: pure, no I/O, so the consumer, the recount test and
 * the benchmark share one definition of every number.
 *
 * Counters live on one item per scope and month (`keys.reportMonth`). Scopes: `all`, the program,
 * and every level of the request's region code (`35`, `35.73`, `35.73.01`). Numbers are flat
 * attributes named `section.key` (`requests.status.matching`, `mentor.<id>.minutes`) and only ever
 * move by `ADD`, which commutes: events may be applied in any order and the sums agree.
 *
 * Months are calendar months in Asia/Jakarta (WIB, UTC+7, no daylight saving), for every region:
 * one boundary for the national total and its parts, so a province's months add up to the country's.
 *
 * Two clocks decide the month an event counts in:
 * - request numbers (status, topic, sector, size class, segment, region, matched, time to match)
 *   count in the month the request was **submitted** (its cohort), so "requests by status" for a range
 *   is where the requests submitted in that range stand now, and match rate is matched ÷ submitted;
 * - activity (offers, sessions, hours, ratings, outcomes, per-mentor load) counts in the month it
 *   **happened** (`occurredAt`).
 */

import { reportScope } from '../adapters/dynamo/keys.ts'
import { CertificateEvents } from '../certificate/events.ts'
import { ClassEvents } from '../class/events.ts'
import type { DetailOf, EventDefinition, EventEnvelope } from '../event/index.ts'
import { FeedbackEvents } from '../feedback/events.ts'
import { OfferEvents } from '../offer/events.ts'
import { cityOf, districtOf, provinceOf } from '../region/index.ts'
import { RequestEvents } from '../request/events.ts'
import { SessionEvents } from '../session/events.ts'

/** The zone report months are cut in. */
export const REPORT_TIME_ZONE = 'Asia/Jakarta'
const JAKARTA_OFFSET_MS = 7 * 3_600_000

/** `yyyy-mm` of an instant in Asia/Jakarta. */
export function monthOf(iso: string): string {
  return new Date(Date.parse(iso) + JAKARTA_OFFSET_MS).toISOString().slice(0, 7)
}

/**
 * Upper bounds (hours) of the time-to-match buckets: log-spaced by √2 from 1 hour to 2 048 hours
 * (~85 days), so any quantile is known within a factor of √2 (±19 %) whatever the count. Bucket `i`
 * holds times in (bound[i-1], bound[i]]; one last bucket holds anything longer.
 */
export const TIME_TO_MATCH_BOUNDS_HOURS: readonly number[] = Array.from(
  { length: 23 },
  (_, i) => 2 ** (i / 2),
)

/** The bucket of a time to match, `0 … TIME_TO_MATCH_BOUNDS_HOURS.length` (the last is overflow). */
export function timeToMatchBucket(hours: number): number {
  const index = TIME_TO_MATCH_BOUNDS_HOURS.findIndex((bound) => hours <= bound + 1e-9)
  return index === -1 ? TIME_TO_MATCH_BOUNDS_HOURS.length : index
}

/** Counter attribute names, spelled once. */
export const counter = {
  submitted: 'requests.submitted',
  matched: 'requests.matched',
  promoted: 'requests.promoted',
  erased: 'requests.erased',
  status: (status: string) => `requests.status.${status}`,
  topic: (topic: string) => `requests.topic.${topic}`,
  sector: (sector: string) => `requests.sector.${sector}`,
  sizeClass: (sizeClass: string) => `requests.sizeClass.${sizeClass}`,
  segment: (segment: string) => `requests.segment.${segment}`,
  region: (code: string) => `requests.region.${code}`,
  timeToMatch: (bucket: number) => `timeToMatch.${bucket}`,
  offersMade: 'offers.made',
  offersAccepted: 'offers.accepted',
  offersDeclined: 'offers.declined',
  offersExpired: 'offers.expired',
  sessionsScheduled: 'sessions.scheduled',
  sessionsCompleted: 'sessions.completed',
  sessionsCancelled: 'sessions.cancelled',
  sessionsNoShow: 'sessions.noShow',
  sessionMinutes: 'sessions.minutes',
  engagementsCompleted: 'engagements.completed',
  engagementsEnded: 'engagements.ended',
  outcome: (outcome: string) => `outcomes.${outcome}`,
  ratingSum: 'rating.sum',
  ratingCount: 'rating.count',
  mentorEngagements: (mentorId: string) => `mentor.${mentorId}.engagements`,
  mentorSessions: (mentorId: string) => `mentor.${mentorId}.sessions`,
  mentorMinutes: (mentorId: string) => `mentor.${mentorId}.minutes`,
  classRegistrations: 'classes.registrations',
  classWaitlisted: 'classes.waitlisted',
  classLotteryEntries: 'classes.lotteryEntries',
  classSegment: (segment: string) => `classes.segment.${segment}`,
  classRegion: (code: string) => `classes.region.${code}`,
  classPromoted: 'classes.promoted',
  classCancelled: 'classes.cancelled',
  classFilled: 'classes.filled',
  classFill: (bucket: number) => `classFill.${bucket}`,
  classFinishers: 'classes.finishers',
  classCompleted: 'classes.completed',
  classPresentMarks: 'classes.presentMarks',
  classPossibleMarks: 'classes.possibleMarks',
  certificatesIssued: 'certificates.issued',
  certificatesRevoked: 'certificates.revoked',
  certificateKind: (kind: string) => `certificates.kind.${kind}`,
} as const

/** Event types the counters follow (the `ReportCounters` rule in `wiring.ts`). */
export const COUNTED_EVENTS: readonly string[] = [
  RequestEvents.Submitted,
  RequestEvents.Promoted,
  RequestEvents.Cancelled,
  RequestEvents.Unmatched,
  RequestEvents.Deleted,
  OfferEvents.Made,
  OfferEvents.Accepted,
  OfferEvents.Declined,
  OfferEvents.Expired,
  OfferEvents.EngagementEnded,
  OfferEvents.ProgressRecorded,
  SessionEvents.Scheduled,
  SessionEvents.Completed,
  SessionEvents.Cancelled,
  SessionEvents.NoShow,
  FeedbackEvents.Received,
  ClassEvents.ParticipantRegistered,
  ClassEvents.RegistrationPromoted,
  ClassEvents.RegistrationCancelled,
  ClassEvents.Filled,
  ClassEvents.Finished,
  ClassEvents.ParticipantCompleted,
  CertificateEvents.Issued,
  CertificateEvents.Revoked,
].map((definition) => definition.type)

/**
 * The facts of a class event: the class's program and region (a national class counts nationally
 * and in its program only), in the month the event happened.
 */
export function classFactsOf(event: EventEnvelope): RequestFacts | undefined {
  const detail = event.detail as { classId?: unknown; classRegion?: unknown; programId?: unknown }
  if (typeof detail.classId !== 'string') return undefined
  return {
    region: typeof detail.classRegion === 'string' && detail.classRegion !== '*' ? detail.classRegion : '',
    programId: typeof detail.programId === 'string' ? detail.programId : null,
    submittedAt: event.occurredAt,
  }
}

/**
 * The facts of a certificate event: its issuing program and region (a national certificate counts
 * nationally and in its program only), in the month it happened.
 */
export function certificateFactsOf(event: EventEnvelope): RequestFacts | undefined {
  if (event.type !== CertificateEvents.Issued.type && event.type !== CertificateEvents.Revoked.type)
    return undefined
  const detail = event.detail as { region: string; programId: string | null }
  return {
    region: detail.region === '*' ? '' : detail.region,
    programId: detail.programId,
    submittedAt: event.occurredAt,
  }
}

/** The anonymous facts of a request that place its events: where, in which program, submitted when. */
export interface RequestFacts {
  region: string
  programId: string | null
  submittedAt: string
  /**
   * When its owner withdrew `program_reports` (UU PDP; docs/contract/reports.md#consent): events from
   * then on count in the national total alone, never in the program's or a region's report.
   */
  reportsWithdrawnAt?: string | undefined
}

/** The report scopes a request belongs to: `all`, its program, and each level of its region code. */
export function scopesOf(facts: { region: string | null; programId: string | null }): string[] {
  const scopes: string[] = [reportScope.all]
  if (facts.programId) scopes.push(reportScope.program(facts.programId))
  if (facts.region) {
    for (const code of regionLevels(facts.region)) scopes.push(reportScope.region(code))
  }
  return scopes
}

/** Province, regency/city and district of a code (villages count in their district). */
export function regionLevels(region: string): string[] {
  return [provinceOf(region), cityOf(region), districtOf(region)].filter(
    (code): code is string => code !== undefined,
  )
}

/** What one event adds to one scope-month item. */
export interface CounterDelta {
  scope: string
  month: string
  add: Record<string, number>
}

type Numbers = Record<string, number>

function is<E extends EventDefinition>(
  event: EventEnvelope,
  definition: E,
): event is EventEnvelope<DetailOf<E>> {
  return event.type === definition.type
}

function bump(into: Numbers, name: string, by = 1): void {
  into[name] = (into[name] ?? 0) + by
}

function move(into: Numbers, from: string, to: string): void {
  bump(into, counter.status(from), -1)
  bump(into, counter.status(to), 1)
}

function minutesBetween(startsAt: string, endsAt: string): number {
  return Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000)
}

/**
 * The counter changes of one event, per scope and month. `facts` are the request's (read from the
 * request item, which erasure keeps); a `RequestSubmitted` brings its own. Status gauges move with
 * the transition each event stands for: +1 to the new status, −1 from the old.
 *
 * @example
 * countersOf(submitted, facts)
 * // [{ scope: 'all', month: '2026-03', add: { 'requests.submitted': 1, 'requests.status.matching': 1, … } }, …]
 */
export function countersOf(event: EventEnvelope, facts: RequestFacts): CounterDelta[] {
  const cohort: Numbers = {}
  const activity: Numbers = {}
  if (is(event, RequestEvents.Submitted)) {
    const d = event.detail
    bump(cohort, counter.submitted)
    bump(cohort, counter.status(d.status))
    for (const topic of new Set(d.needs)) bump(cohort, counter.topic(topic))
    bump(cohort, counter.sector(d.sector))
    bump(cohort, counter.sizeClass(d.sizeClass))
    if (d.segment !== null) bump(cohort, counter.segment(d.segment))
    for (const code of regionLevels(d.region)) bump(cohort, counter.region(code))
  } else if (is(event, RequestEvents.Promoted)) {
    bump(cohort, counter.promoted)
    move(cohort, 'waitlisted', 'matching')
  } else if (is(event, RequestEvents.Cancelled)) {
    move(cohort, event.detail.previousStatus, 'cancelled')
  } else if (is(event, RequestEvents.Unmatched)) {
    // Only instant matching gives up on a request, and only while it is `matching`.
    move(cohort, 'matching', 'unmatched')
  } else if (is(event, RequestEvents.Deleted)) {
    // Erasure keeps the anonymous facts; the numbers stay true and only the erasure is counted.
    bump(activity, counter.erased)
  } else if (is(event, OfferEvents.Made)) {
    move(cohort, 'matching', 'offered')
    bump(activity, counter.offersMade)
  } else if (is(event, OfferEvents.Accepted)) {
    const d = event.detail
    move(cohort, 'offered', 'active')
    bump(cohort, counter.matched)
    const hours = (Date.parse(d.acceptedAt) - Date.parse(d.submittedAt)) / 3_600_000
    bump(cohort, counter.timeToMatch(timeToMatchBucket(hours)))
    bump(activity, counter.offersAccepted)
    bump(activity, counter.mentorEngagements(d.mentorId))
  } else if (is(event, OfferEvents.Declined)) {
    move(cohort, 'offered', 'matching')
    bump(activity, counter.offersDeclined)
  } else if (is(event, OfferEvents.Expired)) {
    move(cohort, 'offered', 'matching')
    bump(activity, counter.offersExpired)
  } else if (is(event, OfferEvents.EngagementEnded)) {
    move(cohort, 'active', 'completed')
    bump(
      activity,
      event.detail.outcome === 'completed' ? counter.engagementsCompleted : counter.engagementsEnded,
    )
  } else if (is(event, OfferEvents.ProgressRecorded)) {
    for (const outcome of event.detail.outcomes) bump(activity, counter.outcome(outcome))
  } else if (is(event, SessionEvents.Scheduled)) {
    bump(activity, counter.sessionsScheduled)
  } else if (is(event, SessionEvents.Completed)) {
    const d = event.detail
    const minutes = minutesBetween(d.startsAt, d.endsAt)
    bump(activity, counter.sessionsCompleted)
    bump(activity, counter.sessionMinutes, minutes)
    bump(activity, counter.mentorSessions(d.mentorId))
    bump(activity, counter.mentorMinutes(d.mentorId), minutes)
    for (const outcome of d.outcomes) bump(activity, counter.outcome(outcome))
  } else if (is(event, SessionEvents.Cancelled)) {
    bump(activity, counter.sessionsCancelled)
  } else if (is(event, SessionEvents.NoShow)) {
    bump(activity, counter.sessionsNoShow)
  } else if (is(event, FeedbackEvents.Received)) {
    bump(activity, counter.ratingSum, event.detail.rating)
    bump(activity, counter.ratingCount)
  } else if (is(event, ClassEvents.ParticipantRegistered)) {
    // Registrations by segment and by the participant's region (every level), whatever their place.
    const d = event.detail
    bump(activity, counter.classRegistrations)
    if (d.status === 'waitlisted') bump(activity, counter.classWaitlisted)
    if (d.status === 'registered') bump(activity, counter.classLotteryEntries)
    bump(activity, counter.classSegment(d.segment))
    for (const code of regionLevels(d.region)) bump(activity, counter.classRegion(code))
  } else if (is(event, ClassEvents.RegistrationPromoted)) {
    bump(activity, counter.classPromoted)
  } else if (is(event, ClassEvents.RegistrationCancelled)) {
    bump(activity, counter.classCancelled)
  } else if (is(event, ClassEvents.Filled)) {
    const hours = (Date.parse(event.detail.filledAt) - Date.parse(event.detail.publishedAt)) / 3_600_000
    bump(activity, counter.classFilled)
    bump(activity, counter.classFill(timeToMatchBucket(hours)))
  } else if (is(event, ClassEvents.Finished)) {
    bump(activity, counter.classFinishers, event.detail.participants)
    bump(activity, counter.classPresentMarks, event.detail.presentMarks)
    bump(activity, counter.classPossibleMarks, event.detail.possibleMarks)
  } else if (is(event, ClassEvents.ParticipantCompleted)) {
    bump(activity, counter.classCompleted)
  } else if (is(event, CertificateEvents.Issued)) {
    bump(activity, counter.certificatesIssued)
    bump(activity, counter.certificateKind(event.detail.kind))
  } else if (is(event, CertificateEvents.Revoked)) {
    bump(activity, counter.certificatesRevoked)
  } else {
    return []
  }

  const months = new Map<string, Numbers>()
  for (const [month, numbers] of [
    [monthOf(facts.submittedAt), cohort],
    [monthOf(event.occurredAt), activity],
  ] as const) {
    const merged = months.get(month) ?? {}
    for (const [name, by] of Object.entries(numbers)) bump(merged, name, by)
    months.set(month, merged)
  }
  const deltas: CounterDelta[] = []
  // Withdrawn from program reports: from then on, only the national total (which no one reads by person).
  const withdrawn = facts.reportsWithdrawnAt !== undefined && event.occurredAt >= facts.reportsWithdrawnAt
  for (const scope of withdrawn ? [reportScope.all] : scopesOf(facts)) {
    for (const [month, add] of months) {
      const nonZero = Object.fromEntries(Object.entries(add).filter(([, by]) => by !== 0))
      if (Object.keys(nonZero).length > 0) deltas.push({ scope, month, add: nonZero })
    }
  }
  return deltas
}

/** Adds `deltas` into an in-memory table of counters, keyed `scope|month` (recounts and benchmarks). */
export function accumulate(into: Map<string, Numbers>, deltas: readonly CounterDelta[]): void {
  for (const { scope, month, add } of deltas) {
    const key = `${scope}|${month}`
    const numbers = into.get(key) ?? {}
    for (const [name, by] of Object.entries(add)) bump(numbers, name, by)
    into.set(key, numbers)
  }
}
