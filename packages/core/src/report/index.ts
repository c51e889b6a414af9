/**
 * Reports (docs/contract/reports.md): counters kept current by the event stream, read a few items at a time, so a
 * report's cost does not grow with the number of requests or sessions.
 *
 * Write side: {@link recordEvent} turns one event into `ADD`s on its scope-month items
 * ({@link countersOf}) and puts the consumer's processed marker in the SAME `TransactWriteItems`,
 * conditioned on the marker not existing: a replayed event changes nothing, and a crash cannot leave
 * half an event counted.
 *
 * Read side: {@link readReport} does at most 3 DynamoDB calls: the program's partition (program and
 * its seat counters, one `Query`) when the report is a program's, one `Query` for the months of the
 * scope — for the national scope, whose months are in {@link REPORT_SHARDS} write shards, one or two
 * `BatchGetItem`s in parallel instead (it has no program to read) — and one `BatchGetItem` for the
 * names of the (up to 100) busiest mentors (sent again only for keys DynamoDB left unprocessed).
 */
import { createHash, createHmac } from 'node:crypto'
import * as z from 'zod/mini'
import { regionCovers, requireAccount } from '../actor/index.ts'
import { MentorName } from '../adapters/dynamo/entities/mentor.ts'
import { Processed } from '../adapters/dynamo/entities/processed.ts'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { CountedParticipant, CountedRequest, ReportMonth } from '../adapters/dynamo/entities/report-month.ts'
import { batchGet, get, query, type Step, transact } from '../adapters/dynamo/index.ts'
import { reportScope } from '../adapters/dynamo/keys.ts'
import { PROCESSED_RETENTION_SECONDS } from '../consumer/consumer.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/index.ts'
import type { EventEnvelope } from '../event/index.ts'
import { idField } from '../id/index.ts'
import type { ProgramItem, SegmentItem } from '../program/index.ts'
import { regionLevel, regionName } from '../region/index.ts'
import { RequestEvents } from '../request/events.ts'
import type { Store } from '../store.ts'
import {
  COUNTED_EVENTS,
  certificateFactsOf,
  classFactsOf,
  countersOf,
  REPORT_TIME_ZONE,
  type RequestFacts,
} from './counters.ts'
import { type MonthCounters, monthsBetween, Summary, summarize } from './summary.ts'

export { REPORT_TIME_ZONE } from './counters.ts'

/** The consumer name the processed markers are written under. */
export const REPORT_CONSUMER = 'ReportCounters'

/**
 * How often a transaction that lost a race on a counter item is sent: every event adds to the
 * national month, so under load the same few items are hot.
 */
const CONFLICT_ATTEMPTS = 6

/**
 * Write shards of the scopes every event adds to (the national `all`): one item per month would take
 * every counted event, and one item (one partition) takes at most 1 000 WCU, half that in
 * transactions. Each event adds to one shard; a report reads them all in one `BatchGetItem`
 * (36 months × 5 items ≤ 2 calls). `docs/contract/budgets.md` has the ceilings.
 */
export const REPORT_SHARDS = 4
const SHARDED_SCOPES: ReadonlySet<string> = new Set([reportScope.all])

/**
 * The shard an event adds to: its mentor's when it has one, so that mentor's `mentor.<id>.*` counters
 * stay on one shard (each shard holds a quarter of the mentors, not all of them), else its own id's.
 */
export function shardOf(event: EventEnvelope): number {
  const mentorId = (event.detail as { mentorId?: unknown } | null)?.mentorId
  const by = typeof mentorId === 'string' ? `mentor:${mentorId}` : `event:${event.id}`
  return createHash('sha256').update(by).digest().readUInt32BE(0) % REPORT_SHARDS
}

export type Recording = 'counted' | 'duplicate' | 'ignored'

/**
 * Counts one event into the report counters, exactly once. Calls: 1 `GetItem` (the request's
 * anonymous facts; none for `RequestSubmitted`) + 1 `TransactWriteItems` of at most
 * 2 months × 5 scopes + 1 marker = 11 items (sent again on a transaction conflict).
 *
 * @returns `duplicate` when the event was counted before (its marker exists), `ignored` for events
 * reports do not follow
 */
export async function recordEvent(store: Store, event: EventEnvelope, now: Date): Promise<Recording> {
  if (!COUNTED_EVENTS.includes(event.type)) return 'ignored'
  const facts = await factsOf(store, event)
  const expiresAt = Math.floor(now.getTime() / 1000) + PROCESSED_RETENTION_SECONDS
  const shard = shardOf(event)
  const counters = countersOf(event, facts).map(
    ({ scope, month, add }): Step => [
      'counter',
      ReportMonth.count(scope, month, add, SHARDED_SCOPES.has(scope) ? shard : undefined),
    ],
  )
  // Only the marker has a condition: its refusal means this event was counted already.
  const duplicate = new Error('Counted already')
  try {
    await transact(store, [...counters, ['marker', Processed.record(REPORT_CONSUMER, event.id, expiresAt)]], {
      attempts: CONFLICT_ATTEMPTS,
      explain: () => duplicate,
    })
    return 'counted'
  } catch (error) {
    if (error === duplicate) return 'duplicate'
    throw error
  }
}

/**
 * Where an event's request stands: a `RequestSubmitted` says it; any other event's request is read
 * (erasure keeps these anonymous fields). A request that cannot be found counts in the scopes the
 * event itself names, in the month the event happened.
 */
async function factsOf(store: Store, event: EventEnvelope): Promise<RequestFacts> {
  // A class event names its class's program and region itself; one about a participant's place also
  // asks whether they let program reports count them (one `GetItem` of their consent).
  const ofClass = certificateFactsOf(event) ?? classFactsOf(event)
  const { participantId } = event.detail as { participantId?: unknown }
  if (ofClass && typeof participantId === 'string') {
    const withdrawnAt = await get(store, CountedParticipant, { id: participantId })
    return withdrawnAt ? { ...ofClass, reportsWithdrawnAt: withdrawnAt } : ofClass
  }
  if (ofClass) return ofClass
  if (event.type === RequestEvents.Submitted.type) {
    const { region, programId, submittedAt } = event.detail as RequestFacts
    return { region, programId, submittedAt }
  }
  const detail = event.detail as { requestId: string; region?: string; programId?: string | null }
  return (
    (await get(store, CountedRequest, { id: detail.requestId })) ?? {
      region: detail.region ?? '',
      programId: detail.programId ?? null,
      submittedAt: event.occurredAt,
    }
  )
}

// ── Read side ────────────────────────────────────────────────────────────────────────────────────

const Month = z.string().check(z.maxLength(7), z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'field.invalid'))

/** The longest range one report covers; keeps the month query to one page. */
export const MAX_REPORT_MONTHS = 36

/** The query of `GET /v1/reports`. */
export const ReportQuery = z.strictObject({
  program: z.optional(idField()),
  region: z.optional(
    z.string().check(z.maxLength(8), z.regex(/^\d{2}(\.\d{2}(\.\d{2})?)?$/, 'field.invalid')),
  ),
  from: z.optional(Month),
  to: z.optional(Month),
  format: z.optional(z.enum(['json', 'csv'])),
})
export type ReportQuery = z.infer<typeof ReportQuery>

export const SeatsSummary = z.object({
  quota: z.number(),
  used: z.number(),
  waitlist: z.number(),
  segments: z.array(
    z.object({ segment: z.string(), quota: z.number(), used: z.number(), waitlist: z.number() }),
  ),
})

/** A report as served: its scope and range, then the numbers. No owner's personal data. */
export const Report = z.extend(Summary, {
  scope: z.object({
    kind: z.enum(['program', 'region', 'all']),
    /** The program id or region code; absent for `all`. */
    id: z.optional(z.string()),
    name: z.optional(z.string()),
    region: z.optional(z.string()),
  }),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  /** Live seat counters of a program's segments; `null` for a region or everything. */
  seats: z.nullable(SeatsSummary),
})
export type Report = z.infer<typeof Report>

/** The default range: the last 12 months up to `now`'s month (Asia/Jakarta). */
function defaultRange(now: Date): { from: string; to: string } {
  const to = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 7)
  const [year, month] = to.split('-').map(Number) as [number, number]
  const start = new Date(Date.UTC(year, month - 12, 1))
  return { from: start.toISOString().slice(0, 7), to }
}

/**
 * A report for a program, a region or everything the caller may see, over whole months. Staff see
 * their region and its children (a program inside it); admins everything; a report for another region
 * is 403. Without `program` and `region`, staff get their own region and admins the whole country.
 * Calls: ≤ 3 (see the module comment).
 *
 * @throws ForbiddenError outside the caller's region; NotFoundError for an unknown program;
 * ValidationError for a reversed or too long range
 */
export async function readReport(store: Store, asked: ReportQuery, now: Date): Promise<Report> {
  const actor = requireAccount('staff', 'admin')
  const range = defaultRange(now)
  const from = asked.from ?? (asked.to && asked.to < range.from ? asked.to : range.from)
  // Strings, not numbers: the later of two `yyyy-mm` is the larger in sort order.
  const to = asked.to ?? [from, range.to].sort()[1] ?? range.to
  if (from > to) throw new ValidationError([{ path: 'to', key: 'field.date_order' }])
  if (monthsBetween(from, to).length > MAX_REPORT_MONTHS) {
    throw new ValidationError([
      { path: 'from', key: 'field.too_big', params: { maximum: MAX_REPORT_MONTHS } },
    ])
  }

  let scopeKey: string
  let scope: Report['scope']
  let seats: Report['seats'] = null
  if (asked.program) {
    const { items } = await query(store, Program.withSegments(asked.program))
    const program = items.find((item): item is ProgramItem => item.entity === 'program')
    if (!program) throw new NotFoundError('No such program')
    if (!regionCovers(actor.region, program.region)) {
      throw new ForbiddenError('Program outside the account’s region')
    }
    if (asked.region && !regionCovers(asked.region, program.region)) {
      throw new NotFoundError('No such program in this region')
    }
    seats = seatsOf(items.filter((item): item is SegmentItem => item.entity === 'programSegment'))
    scopeKey = reportScope.program(program.id)
    scope = { kind: 'program', id: program.id, name: program.name, region: program.region }
  } else {
    const region = asked.region ?? (actor.region === '*' ? undefined : actor.region)
    if (region !== undefined && !regionCovers(actor.region, region)) {
      throw new ForbiddenError('Region outside the account’s region')
    }
    if (region === undefined) {
      scopeKey = reportScope.all
      scope = { kind: 'all' }
    } else {
      scopeKey = reportScope.region(region)
      const name = regionLevel(region) ? regionName(region) : undefined
      scope = { kind: 'region', id: region, region, ...(name ? { name } : {}) }
    }
  }

  const months = SHARDED_SCOPES.has(scopeKey)
    ? await shardedMonths(store, scopeKey, from, to)
    : (await query(store, ReportMonth.between(scopeKey, from, to))).items
  const summary = summarize(months, from, to)
  for (const entry of [...summary.requests.byRegion, ...summary.classes.byRegion]) {
    const name = regionName(entry.code)
    if (name) entry.name = name
  }
  await nameMentors(store, summary, actor.region)
  return { scope, from, to, timeZone: REPORT_TIME_ZONE, seats, ...summary }
}

/** A sharded scope's months, each the sum of its shards: one `BatchGetItem` per 100 items, in parallel. */
async function shardedMonths(
  store: Store,
  scope: string,
  from: string,
  to: string,
): Promise<MonthCounters[]> {
  const items = await batchGet(store, ReportMonth.shardsOf(scope, monthsBetween(from, to), REPORT_SHARDS))
  const sums = new Map<string, Record<string, number>>()
  for (const item of items) {
    if (!item) continue
    const sum = sums.get(item.month) ?? {}
    for (const [name, value] of Object.entries(item.numbers)) sum[name] = (sum[name] ?? 0) + value
    sums.set(item.month, sum)
  }
  return [...sums].map(([month, numbers]) => ({ month, numbers }))
}

function seatsOf(segments: SegmentItem[]): NonNullable<Report['seats']> {
  const rows = segments
    .map(({ segment, quota, admitted, waitlisted }) => ({
      segment,
      quota,
      used: admitted,
      waitlist: waitlisted,
    }))
    .sort((a, b) => a.segment.localeCompare(b.segment))
  return {
    quota: rows.reduce((sum, row) => sum + row.quota, 0),
    used: rows.reduce((sum, row) => sum + row.used, 0),
    waitlist: rows.reduce((sum, row) => sum + row.waitlist, 0),
    segments: rows,
  }
}

/**
 * Who a report names (UU PDP; docs/contract/reports.md#mentors): a mentor's name only to staff of the
 * mentor's home region (or its parents) and admins; to anyone else — and for a mentor who erased their
 * data, or beyond the 100 busiest — a stable pseudonym in place of both id and name
 * ({@link mentorPseudonym}), so a reader outside the region can follow "Mentor 3F2A9C" from month to
 * month without learning who it is. One `BatchGetItem` of ≤ 100 names and home regions.
 */
async function nameMentors(store: Store, summary: Summary, readerRegion: string): Promise<void> {
  const wanted = summary.mentors.slice(0, 100)
  const found = await batchGet(
    store,
    wanted.map((mentor) => [MentorName, { id: mentor.mentorId }] as const),
  )
  summary.mentors.forEach((mentor, index) => {
    const known = index < wanted.length ? found[index] : undefined
    if (known && regionCovers(readerRegion, known.region)) {
      mentor.name = known.name
      return
    }
    const alias = mentorPseudonym(mentor.mentorId)
    mentor.mentorId = alias.id
    mentor.name = alias.name
  })
}

/**
 * The key of {@link mentorPseudonym}'s hash. A constant: what it protects is the link between a
 * pseudonym and a mentor id, and readers outside the mentor's region never see mentor ids in a report.
 */
const PSEUDONYM_KEY = 'pendamping:report:mentor-pseudonym:v1'

/** A mentor's stable pseudonym in reports: `Mentor 3F2A9C` (id `mentor-3f2a9c…`), from a keyed hash of the id. */
export function mentorPseudonym(mentorId: string): { id: string; name: string } {
  const digest = createHmac('sha256', PSEUDONYM_KEY).update(mentorId).digest('hex')
  return { id: `mentor-${digest.slice(0, 16)}`, name: `Mentor ${digest.slice(0, 6).toUpperCase()}` }
}

export { COUNTED_EVENTS, counter, TIME_TO_MATCH_BOUNDS_HOURS } from './counters.ts'
export { toCsv } from './csv.ts'
export { monthsBetween, summarize } from './summary.ts'
