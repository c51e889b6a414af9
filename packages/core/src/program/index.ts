/**
 * Programs: a region's mentoring drive with topics, a time zone, dates and seat quotas per segment
 * (`{ umum: 70, asn: 70 }`), run by staff of that region. Each segment has a counter item
 * (`Segment` in `adapters/dynamo/entities/program.ts`) that the request module takes seats from.
 */
import * as z from 'zod/mini'
import { type Actor, regionCovers, requireAccount } from '../actor/index.ts'
import { Program, Segment } from '../adapters/dynamo/entities/program.ts'
import { ProgramTopic } from '../adapters/dynamo/entities/topic.ts'
import { PAGE_DEFAULT, PAGE_MAX, type Page, query, type Step, transact } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { isRegionCode } from '../region/index.ts'
import type { Clock, Store } from '../store.ts'
import { TIME_ZONES } from '../time/index.ts'
import { isTopic } from '../topic/index.ts'
import { ProgramEvents } from './events.ts'
import { PROGRAM_STATUSES, ProgramItem, type ProgramStatus, type SegmentItem } from './item.ts'
import './messages.ts'
import { freeText } from '../text/index.ts'

export {
  getProgramItem,
  listOpenPrograms,
  type OpenProgramFilter,
  PublicProgram,
  readOpenProgram,
} from './catalog.ts'
export { ProgramEvents } from './events.ts'
export { PROGRAM_STATUSES, ProgramItem, type ProgramStatus, parseProgram, SegmentItem } from './item.ts'

/**
 * The region of a national program (or class): run by admins, open to every region. The same `*` an
 * admin's account carries, so `regionCovers` already reads it right: only `*` covers `*`.
 */
export const NATIONAL = '*'

/** A request outside the program's dates: refused with the days it runs, in its own time zone. */
export class ProgramNotRunningError extends ConflictError {
  constructor(program: Pick<ProgramItem, 'startsAt' | 'endsAt' | 'timeZone'>) {
    super('Program not running', 'program-not-running')
    const day = (iso: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone: program.timeZone })
    this.params = { from: day(program.startsAt), to: day(program.endsAt) }
  }
}

/** All prefixes of a region code that are region codes themselves: `35.73.01` → `35`, `35.73`, `35.73.01`. */
export function regionAncestors(region: string): string[] {
  const parts = region.split('.')
  return parts.map((_, index) => parts.slice(0, index + 1).join('.'))
}

/** Status changes staff may make; a closed program stays closed. */
const NEXT_STATUSES: Record<ProgramStatus, readonly ProgramStatus[]> = {
  draft: ['open', 'closed'],
  open: ['closed'],
  closed: [],
}

/** Topic and segment keys: `social_media`, `umum`, `kuliner_halal`. */
export const SLUG = /^[a-z][a-z0-9_]{1,39}$/
export const MAX_SEGMENTS = 10
export const MAX_QUOTA = 100_000

const slug = z.string().check(z.maxLength(40), z.regex(SLUG, 'field.slug'))
const uniqueList = <T>(items: T[]) => new Set(items).size === items.length
export const RegionCode = z.string().check(z.maxLength(13), z.refine(isRegionCode, 'field.region'))
/** A program's region: a region code, or {@link NATIONAL} (`*`) for a national program (admins only). */
const ProgramRegion = z.string().check(
  z.maxLength(13),
  z.refine((code) => code === NATIONAL || isRegionCode(code), 'field.region'),
)
const DateTime = z.iso.datetime({ offset: true, error: 'field.datetime' }).check(z.maxLength(40))
const Quota = z.int().check(z.gte(0), z.lte(MAX_QUOTA))
const Quotas = z.record(slug, Quota).check(
  z.refine((quotas) => Object.keys(quotas).length >= 1, {
    message: 'field.too_short',
    params: { minimum: 1 },
  }),
  z.refine((quotas) => Object.keys(quotas).length <= MAX_SEGMENTS, 'field.too_long'),
)
const Topics = z.array(slug).check(z.minLength(1), z.maxLength(30), z.refine(uniqueList, 'field.duplicate'))
const endsAfterStart = (program: { startsAt?: string | undefined; endsAt?: string | undefined }) =>
  !program.startsAt || !program.endsAt || Date.parse(program.endsAt) > Date.parse(program.startsAt)

/** A list's `limit` query parameter: a whole number from 1 to {@link PAGE_MAX}. */
export const PageLimit = z.coerce.number().check(z.gte(1), z.lte(PAGE_MAX), z.multipleOf(1))

/** The query of a paginated list. */
export const PageQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})

/** What staff send to create a program. */
export const NewProgram = z
  .strictObject({
    /** `*` or absent for a national program (admins only). */
    region: z.optional(ProgramRegion),
    name: freeText(3, 160),
    /** The standard topics the program covers plus its own (`ekspor`, `halal_certification`). */
    topics: Topics,
    timeZone: z.enum(TIME_ZONES, 'field.time_zone'),
    startsAt: DateTime,
    endsAt: DateTime,
    /** Seat quota per segment: `{ "umum": 70, "asn": 70 }`. */
    segments: Quotas,
    /** How long a mentor has to answer an offer. */
    offerWindowHours: z._default(z.int().check(z.gte(1), z.lte(336)), 48),
    /** How long a request may wait for a mentor before it is `unmatched`. */
    matchingWindowDays: z._default(z.int().check(z.gte(1), z.lte(60)), 5),
    /** Months personal data is kept after a person's last activity (UU PDP retention; absent: 12). */
    retentionMonths: z.optional(z.int().check(z.gte(1), z.lte(120))),
    status: z._default(z.enum(['draft', 'open']), 'draft'),
  })
  .check(z.refine(endsAfterStart, { message: 'field.date_order', path: ['endsAt'] }))
export type NewProgram = z.infer<typeof NewProgram>

/**
 * What staff may change. `segments` merges: a listed segment gets the new quota (never below its seats
 * in use) or is added; unlisted segments stay as they are.
 */
export const ProgramPatch = z
  .strictObject({
    name: z.optional(freeText(3, 160)),
    topics: z.optional(Topics),
    startsAt: z.optional(DateTime),
    endsAt: z.optional(DateTime),
    segments: z.optional(Quotas),
    offerWindowHours: z.optional(z.int().check(z.gte(1), z.lte(336))),
    matchingWindowDays: z.optional(z.int().check(z.gte(1), z.lte(60))),
    retentionMonths: z.optional(z.int().check(z.gte(1), z.lte(120))),
    status: z.optional(z.enum(PROGRAM_STATUSES)),
  })
  .check(
    z.refine((patch) => Object.keys(patch).length > 0, 'field.required'),
    z.refine(endsAfterStart, { message: 'field.date_order', path: ['endsAt'] }),
  )
export type ProgramPatch = z.infer<typeof ProgramPatch>

export const SeatCount = z.object({ quota: z.number(), admitted: z.number(), waitlisted: z.number() })
export type SeatCount = z.infer<typeof SeatCount>

/** A program as staff read it: the stored fields, and on a single read the live seat counts per segment. */
export const Info = z.extend(z.omit(ProgramItem, { entity: true, version: true }), {
  seats: z.optional(z.record(z.string(), SeatCount)),
})
export type Info = z.infer<typeof Info>

/** One page of programs. */
export const InfoPage = z.object({ items: z.array(Info), nextCursor: z.nullable(z.string()) })

function toInfo(program: ProgramItem, segments?: SegmentItem[]): Info {
  const { entity: _entity, version: _version, ...info } = program
  if (!segments) return info
  const seats: Record<string, SeatCount> = {}
  for (const { segment, quota, admitted, waitlisted } of segments)
    seats[segment] = { quota, admitted, waitlisted }
  return { ...info, seats }
}

function staffOrAdmin(): Extract<Actor, { kind: 'account' }> {
  return requireAccount('staff', 'admin')
}

function mustCover(actor: Extract<Actor, { kind: 'account' }>, region: string): void {
  if (!regionCovers(actor.region, region)) throw new ForbiddenError('Program outside the account’s region')
}

const segmentItem = (programId: string, segment: string, quota: number): SegmentItem => ({
  entity: 'programSegment',
  version: 1,
  programId,
  segment,
  quota,
  admitted: 0,
  waitlisted: 0,
})

const quotasDetail = (program: Pick<ProgramItem, 'segments'>) => ({ ...program.segments })

/** Records the program's own topics (beyond the standard ones), so mentors may name them as skills. */
const topicRecords = (program: Pick<ProgramItem, 'id' | 'topics'>, at: string): Step<'topic'>[] =>
  program.topics
    .filter((topic) => !isTopic(topic))
    .map((topic) => ['topic', ProgramTopic.record(topic, program.id, at)] as const)

/**
 * Creates a program and one seat counter per segment, with `ProgramCreated`, in one transaction.
 * Staff create only inside their own region; admins anywhere. Two DynamoDB calls at most: none to
 * read, one `TransactWriteItems` (plus the edge's idempotency read).
 */
export async function createProgram(
  store: Store,
  clock: Clock,
  input: NewProgram,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Info> {
  const actor = staffOrAdmin()
  // Only admins run national programs; staff name the region they run it in.
  if (input.region === undefined && actor.region !== NATIONAL)
    throw new ValidationError([{ path: 'region', key: 'field.required' }])
  const region = input.region ?? NATIONAL
  mustCover(actor, region)
  const now = clock.now()
  const at = now.toISOString()
  const id = newId()
  const program: ProgramItem = {
    entity: 'program',
    version: 1,
    id,
    region,
    name: input.name,
    topics: input.topics,
    timeZone: input.timeZone,
    startsAt: new Date(input.startsAt).toISOString(),
    endsAt: new Date(input.endsAt).toISOString(),
    segments: input.segments,
    offerWindowHours: input.offerWindowHours,
    matchingWindowDays: input.matchingWindowDays,
    retentionMonths: input.retentionMonths,
    status: input.status,
    createdAt: at,
    updatedAt: at,
    createdBy: actor.sub,
  }
  const segments = Object.entries(input.segments).map(([segment, quota]) => segmentItem(id, segment, quota))
  const info = toInfo(program, segments)
  const event = createEvent(
    ProgramEvents.Created,
    {
      programId: id,
      region: program.region,
      status: program.status,
      quotas: quotasDetail(program),
      createdAt: at,
    },
    now,
  )
  await transact(
    store,
    [
      ['program', Program.put(program)],
      ...segments.map((segment) => ['segment', Segment.put(segment)] as const),
      ...topicRecords(program, at),
      ['event', outbox(event)],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: info }, now),
      explain: () => new ConflictError('Id collision', 'conflict'),
    },
  )
  return info
}

/** The program and its segment counters, in one `Query` on the program's partition. */
async function loadProgram(
  store: Store,
  id: string,
): Promise<{ program: ProgramItem; segments: SegmentItem[] } | undefined> {
  let program: ProgramItem | undefined
  const segments: SegmentItem[] = []
  for (const item of (await query(store, Program.withSegments(id))).items)
    if (item.entity === 'program') program = item
    else segments.push(item)
  return program ? { program, segments } : undefined
}

/**
 * One program with live seat counts, for staff of its region and admins; national programs for every
 * staff member too, to read (only admins edit them). One `Query`.
 * @throws NotFoundError when there is no such program; ForbiddenError when it lies outside the staff's region
 */
export async function getProgram(store: Store, id: string): Promise<Info> {
  const actor = staffOrAdmin()
  const found = await loadProgram(store, id)
  if (!found) throw new NotFoundError('No such program')
  if (found.program.region !== NATIONAL) mustCover(actor, found.program.region)
  return toInfo(found.program, found.segments)
}

/**
 * Where a staff member's program list goes on: still among the national programs (`n.<cursor>`), at
 * the start of their region's (`r`), or inside their region's (a plain cursor).
 */
const NATIONAL_PAGE = 'n.'
const REGION_START = 'r'

/**
 * The programs the caller may see, oldest first: admins all (national ones sort first); staff the
 * national programs (to read) and then their region's (a `begins_with` on the region in the
 * `byRegion` index). One `Query` per page, two on the page where the national programs end.
 */
export async function listPrograms(
  store: Store,
  options: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<Page<Info>> {
  const actor = staffOrAdmin()
  const limit = options.limit ?? PAGE_DEFAULT
  const cursor = options.cursor
  const national = actor.region !== NATIONAL && (cursor === undefined || cursor.startsWith(NATIONAL_PAGE))
  if (national) {
    const page = await query(store, Program.national(), {
      limit,
      cursor: cursor?.slice(NATIONAL_PAGE.length),
    })
    const items = page.items.map((program) => toInfo(program))
    if (page.nextCursor !== null) return { items, nextCursor: `${NATIONAL_PAGE}${page.nextCursor}` }
    if (items.length >= limit) return { items, nextCursor: REGION_START }
    // The national programs ended inside this page: their region's fill the rest (a second `Query`).
    const rest = await query(store, Program.inRegion(actor.region), { limit: limit - items.length })
    return { items: [...items, ...rest.items.map((program) => toInfo(program))], nextCursor: rest.nextCursor }
  }
  const page = await query(store, Program.inRegion(actor.region), {
    limit,
    cursor: cursor === REGION_START ? undefined : cursor,
  })
  return { items: page.items.map((program) => toInfo(program)), nextCursor: page.nextCursor }
}

/**
 * Edits a program: name, topics, dates, windows, status (`draft → open → closed`) and quotas. A quota
 * never drops below the seats in use — checked on read for a clear 400, and again by a condition in
 * the transaction for a concurrent admission (409). One `Query` and one `TransactWriteItems`.
 */
export async function updateProgram(
  store: Store,
  clock: Clock,
  id: string,
  patch: ProgramPatch,
): Promise<Info> {
  const actor = staffOrAdmin()
  const found = await loadProgram(store, id)
  if (!found) throw new NotFoundError('No such program')
  const { program, segments } = found
  mustCover(actor, program.region)

  const issues: ValidationError['issues'] = []
  if (
    patch.status &&
    patch.status !== program.status &&
    !NEXT_STATUSES[program.status].includes(patch.status)
  )
    issues.push({
      path: 'status',
      key: 'field.status_transition',
      params: { from: program.status, to: patch.status },
    })
  const startsAt = patch.startsAt ? new Date(patch.startsAt).toISOString() : program.startsAt
  const endsAt = patch.endsAt ? new Date(patch.endsAt).toISOString() : program.endsAt
  if (Date.parse(endsAt) <= Date.parse(startsAt)) issues.push({ path: 'endsAt', key: 'field.date_order' })
  const counters = new Map(segments.map((segment) => [segment.segment, segment]))
  const quotas = { ...program.segments }
  const raised: string[] = []
  for (const [segment, quota] of Object.entries(patch.segments ?? {})) {
    const counter = counters.get(segment)
    if (counter && quota < counter.admitted)
      issues.push({
        path: `segments.${segment}`,
        key: 'field.quota_below_admitted',
        params: { admitted: counter.admitted },
      })
    if (!counter && Object.keys(quotas).length >= MAX_SEGMENTS)
      issues.push({ path: 'segments', key: 'field.too_long', params: { maximum: MAX_SEGMENTS } })
    if (counter && quota > counter.quota) raised.push(segment)
    quotas[segment] = quota
  }
  if (issues.length > 0) throw new ValidationError(issues)

  const now = clock.now()
  const at = now.toISOString()
  const next: ProgramItem = {
    ...program,
    name: patch.name ?? program.name,
    topics: patch.topics ?? program.topics,
    startsAt,
    endsAt,
    segments: quotas,
    offerWindowHours: patch.offerWindowHours ?? program.offerWindowHours,
    matchingWindowDays: patch.matchingWindowDays ?? program.matchingWindowDays,
    retentionMonths: patch.retentionMonths ?? program.retentionMonths,
    status: patch.status ?? program.status,
    updatedAt: at,
  }
  const event = createEvent(
    ProgramEvents.Updated,
    {
      programId: id,
      region: next.region,
      status: next.status,
      previousStatus: program.status,
      quotas: quotasDetail(next),
      raisedSegments: raised,
      updatedAt: at,
    },
    now,
  )
  const segmentWrites = Object.entries(patch.segments ?? {}).map(
    ([segment, quota]): Step<'segment'> => [
      'segment',
      counters.has(segment)
        ? Segment.setQuota(id, segment, quota)
        : Segment.put(segmentItem(id, segment, quota)),
    ],
  )
  await transact(
    store,
    [
      ['program', Program.put(next, { when: Program.unchanged(program) })],
      ...segmentWrites,
      ...(patch.topics ? topicRecords(next, at) : []),
      ['event', outbox(event)],
    ],
    {
      explain: ({ conditions }) =>
        conditions.has('segment')
          ? new ConflictError('A quota fell below seats admitted meanwhile', 'quota-below-admitted')
          : new ConflictError('Program changed meanwhile', 'stale'),
    },
  )
  const updated = new Map(counters)
  for (const [segment, quota] of Object.entries(patch.segments ?? {})) {
    const counter = counters.get(segment)
    updated.set(segment, counter ? { ...counter, quota } : segmentItem(id, segment, quota))
  }
  return toInfo(next, [...updated.values()])
}
