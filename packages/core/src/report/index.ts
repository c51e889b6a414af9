/**
 * Reports (SPEC §7): counters kept current by the event stream, read a few items at a time, so a
 * report's cost does not grow with the number of requests or sessions.
 *
 * Write side: {@link recordEvent} turns one event into `ADD`s on its scope-month items
 * ({@link countersOf}) and puts the consumer's processed marker in the SAME `TransactWriteItems`,
 * conditioned on the marker not existing: a replayed event changes nothing, and a crash cannot leave
 * half an event counted.
 *
 * Read side: {@link readReport} does at most 3 DynamoDB calls: the program's partition (program and
 * its seat counters, one `Query`) when the report is a program's, one `Query` for the months of the
 * scope, and one `BatchGetItem` for the names of the (up to 100) busiest mentors.
 */
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { regionCovers, requireAccount } from '../actor/index.ts'
import { keys } from '../adapters/dynamo/keys.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/index.ts'
import { PROCESSED_RETENTION_SECONDS } from '../event/consumer.ts'
import type { DetailOf, EventEnvelope } from '../event/index.ts'
import { parseProgram, SegmentItem } from '../program/index.ts'
import { regionLevel, regionName } from '../region/index.ts'
import { RequestEvents } from '../request/events.ts'
import type { Store } from '../store.ts'
import {
  COUNTED_EVENTS,
  type CounterDelta,
  countersOf,
  REPORT_TIME_ZONE,
  type RequestFacts,
} from './counters.ts'
import { type MonthCounters, monthsBetween, Summary, summarize } from './summary.ts'

export { REPORT_TIME_ZONE } from './counters.ts'

/** The consumer name the processed markers are written under. */
export const REPORT_CONSUMER = 'ReportCounters'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** How often a transaction that lost a race on a hot counter item is tried again in process. */
const CONFLICT_ATTEMPTS = 6

export type Recording = 'counted' | 'duplicate' | 'ignored'

/**
 * Counts one event into the report counters, exactly once. Calls: 1 `GetItem` (the request's
 * anonymous facts; none for `RequestSubmitted`) + 1 `TransactWriteItems` of at most
 * 2 months × 5 scopes + 1 marker = 11 items (retried in process on a transaction conflict).
 *
 * @returns `duplicate` when the event was counted before (its marker exists), `ignored` for events
 * reports do not follow
 */
export async function recordEvent(store: Store, event: EventEnvelope, now: Date): Promise<Recording> {
  if (!COUNTED_EVENTS.includes(event.type)) return 'ignored'
  const facts = await factsOf(store, event)
  const items = counterWrites(store.tableName, event, countersOf(event, facts), now)
  for (let attempt = 1; ; attempt++) {
    try {
      await store.doc.send(new TransactWriteCommand({ TransactItems: items }))
      return 'counted'
    } catch (error) {
      const reasons = cancellationCodes(error)
      // The marker is the last item: its condition failing means this event was counted already.
      if (reasons?.at(-1) === 'ConditionalCheckFailed') return 'duplicate'
      const conflict =
        reasons?.includes('TransactionConflict') || errorName(error) === 'TransactionConflictException'
      if (!conflict || attempt >= CONFLICT_ATTEMPTS) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt))
    }
  }
}

/** The `Update`s of a set of counter deltas plus the consumer's processed marker, for one transaction. */
export function counterWrites(
  tableName: string,
  event: Pick<EventEnvelope, 'id'>,
  deltas: readonly CounterDelta[],
  now: Date,
): TransactItem[] {
  const updates: TransactItem[] = deltas.map(({ scope, month, add }) => {
    const names: Record<string, string> = {}
    const values: Record<string, unknown> = {
      ':entity': 'reportMonth',
      ':version': 1,
      ':scope': scope,
      ':month': month,
    }
    const adds = Object.entries(add).map(([name, by], i) => {
      names[`#a${i}`] = name
      values[`:a${i}`] = by
      return `#a${i} :a${i}`
    })
    return {
      Update: {
        TableName: tableName,
        Key: keys.reportMonth(scope, month),
        UpdateExpression: `SET entity = :entity, version = :version, #scope = :scope, #month = :month ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { ...names, '#scope': 'scope', '#month': 'month' },
        ExpressionAttributeValues: values,
      },
    }
  })
  const seconds = Math.floor(now.getTime() / 1000)
  const marker: TransactItem = {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.processed(REPORT_CONSUMER, event.id),
        entity: 'processed',
        version: 1,
        consumer: REPORT_CONSUMER,
        eventId: event.id,
        status: 'done',
        expiresAt: seconds + PROCESSED_RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }
  return [...updates, marker]
}

/**
 * Where an event's request stands: a `RequestSubmitted` says it; any other event's request is read
 * (erasure keeps these anonymous fields). A request that cannot be found counts in the scopes the
 * event itself names, in the month the event happened.
 */
async function factsOf(store: Store, event: EventEnvelope): Promise<RequestFacts> {
  if (isSubmitted(event)) {
    const { region, programId, submittedAt } = event.detail
    return { region, programId, submittedAt }
  }
  const detail = event.detail as { requestId: string; region?: string; programId?: string | null }
  const { Item } = await store.doc.send(
    new GetCommand({
      TableName: store.tableName,
      Key: keys.request(detail.requestId),
      ProjectionExpression: '#region, programId, submittedAt',
      ExpressionAttributeNames: { '#region': 'region' },
    }),
  )
  if (Item && typeof Item.region === 'string' && typeof Item.submittedAt === 'string') {
    return {
      region: Item.region,
      programId: (Item.programId as string | null) ?? null,
      submittedAt: Item.submittedAt,
    }
  }
  return { region: detail.region ?? '', programId: detail.programId ?? null, submittedAt: event.occurredAt }
}

function isSubmitted(event: EventEnvelope): event is EventEnvelope<DetailOf<typeof RequestEvents.Submitted>> {
  return event.type === RequestEvents.Submitted.type
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name
}

function cancellationCodes(error: unknown): Array<string | undefined> | undefined {
  if (errorName(error) !== 'TransactionCanceledException') return undefined
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons
  return reasons?.map((reason) => (reason.Code === 'None' ? undefined : reason.Code))
}

// ── Read side ────────────────────────────────────────────────────────────────────────────────────

const Month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'field.invalid'))

/** The longest range one report covers; keeps the month query to one page. */
export const MAX_REPORT_MONTHS = 36

/** The query of `GET /v1/reports`. */
export const ReportQuery = z.strictObject({
  program: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'field.invalid'))),
  region: z.optional(z.string().check(z.regex(/^\d{2}(\.\d{2}(\.\d{2})?)?$/, 'field.invalid'))),
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
export async function readReport(store: Store, query: ReportQuery, now: Date): Promise<Report> {
  const actor = requireAccount('staff', 'admin')
  const range = defaultRange(now)
  const from = query.from ?? (query.to && query.to < range.from ? query.to : range.from)
  // Strings, not numbers: the later of two `yyyy-mm` is the larger in sort order.
  const to = query.to ?? [from, range.to].sort()[1] ?? range.to
  if (from > to) throw new ValidationError([{ path: 'to', key: 'field.date_order' }])
  if (monthsBetween(from, to).length > MAX_REPORT_MONTHS) {
    throw new ValidationError([
      { path: 'from', key: 'field.too_big', params: { maximum: MAX_REPORT_MONTHS } },
    ])
  }

  let scopeKey: string
  let scope: Report['scope']
  let seats: Report['seats'] = null
  if (query.program) {
    const { Items = [] } = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.program(query.program).pk },
      }),
    )
    const programItem = Items.find((item) => item.entity === 'program')
    if (!programItem) throw new NotFoundError('No such program')
    const program = parseProgram(programItem)
    if (!regionCovers(actor.region, program.region)) {
      throw new ForbiddenError('Program outside the account’s region')
    }
    if (query.region && !regionCovers(query.region, program.region)) {
      throw new NotFoundError('No such program in this region')
    }
    seats = seatsOf(
      Items.filter((item) => item.entity === 'programSegment').map((item) => z.parse(SegmentItem, item)),
    )
    scopeKey = `PROGRAM#${program.id}`
    scope = { kind: 'program', id: program.id, name: program.name, region: program.region }
  } else {
    const region = query.region ?? (actor.region === '*' ? undefined : actor.region)
    if (region !== undefined && !regionCovers(actor.region, region)) {
      throw new ForbiddenError('Region outside the account’s region')
    }
    if (region === undefined) {
      scopeKey = 'all'
      scope = { kind: 'all' }
    } else {
      scopeKey = `REGION#${region}`
      const name = regionLevel(region) ? regionName(region) : undefined
      scope = { kind: 'region', id: region, region, ...(name ? { name } : {}) }
    }
  }

  const { Items: months = [] } = await store.doc.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.reportMonth(scopeKey, from).pk,
        ':from': keys.reportMonth(scopeKey, from).sk,
        ':to': keys.reportMonth(scopeKey, to).sk,
      },
    }),
  )
  const summary = summarize(months.map(monthCountersOf), from, to)
  for (const entry of summary.requests.byRegion) {
    const name = regionName(entry.code)
    if (name) entry.name = name
  }
  await nameMentors(store, summary)
  return { scope, from, to, timeZone: REPORT_TIME_ZONE, seats, ...summary }
}

function monthCountersOf(item: Record<string, unknown>): MonthCounters {
  const numbers: Record<string, number> = {}
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'number' && name.includes('.')) numbers[name] = value
  }
  return { month: String(item.month), numbers }
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

/** Mentors' names for the report's reader (who may see the region), one `BatchGetItem` of ≤ 100. */
async function nameMentors(store: Store, summary: Summary): Promise<void> {
  const wanted = summary.mentors.slice(0, 100)
  if (wanted.length === 0) return
  const result = await store.doc.send(
    new BatchGetCommand({
      RequestItems: {
        [store.tableName]: {
          Keys: wanted.map((mentor) => keys.mentor(mentor.mentorId)),
          ProjectionExpression: 'id, #name',
          ExpressionAttributeNames: { '#name': 'name' },
        },
      },
    }),
  )
  // Keys DynamoDB left unprocessed stay unnamed: a report never loops for names.
  const names = new Map(
    (result.Responses?.[store.tableName] ?? []).map((item) => [String(item.id), String(item.name)]),
  )
  for (const mentor of wanted) {
    const name = names.get(mentor.mentorId)
    if (name) mentor.name = name
  }
}

export { toCsv } from './csv.ts'
export { monthsBetween, summarize } from './summary.ts'
