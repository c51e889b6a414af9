/**
 * The public side of programs: the list of open programs an owner may join, by region and topic,
 * and one open program with its segments and seats left, for the request form. No account needed.
 */
import * as z from 'zod/mini'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { get, PAGE_DEFAULT, type Page, query } from '../adapters/dynamo/index.ts'
import { NotFoundError } from '../errors/index.ts'
import type { Clock, Store } from '../store.ts'
import type { ProgramItem, SegmentItem } from './item.ts'

/** A program as anyone may see it while it is open: what it offers and when, nothing internal. */
export const PublicProgram = z.object({
  id: z.string(),
  name: z.string(),
  /** A region code, or `*` for a national program. */
  region: z.string(),
  topics: z.array(z.string()),
  timeZone: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** Whether it takes requests now (`startsAt <= now < endsAt`). */
  running: z.boolean(),
  /** Its segments with their quota, and on a single read the seats still free and the queue. */
  segments: z.array(
    z.object({
      segment: z.string(),
      quota: z.number(),
      seatsLeft: z.optional(z.number()),
      waitlisted: z.optional(z.number()),
    }),
  ),
})
export type PublicProgram = z.infer<typeof PublicProgram>

function publicProgram(program: ProgramItem, now: Date, counters?: SegmentItem[]): PublicProgram {
  const at = now.toISOString()
  const bySegment = new Map(counters?.map((counter) => [counter.segment, counter]))
  return {
    id: program.id,
    name: program.name,
    region: program.region,
    topics: program.topics,
    timeZone: program.timeZone,
    startsAt: program.startsAt,
    endsAt: program.endsAt,
    running: program.startsAt <= at && at < program.endsAt,
    segments: Object.entries(program.segments).map(([segment, quota]) => {
      const counter = bySegment.get(segment)
      return counter
        ? {
            segment,
            quota,
            seatsLeft: Math.max(0, counter.quota - counter.admitted),
            waitlisted: counter.waitlisted,
          }
        : { segment, quota }
    }),
  }
}

/** All prefixes of a region code: `35.73` → `35`, `35.73`. */
const ancestorsOf = (region: string) =>
  region.split('.').map((_, index, parts) => parts.slice(0, index + 1).join('.'))

export interface OpenProgramFilter {
  /** A province or regency/city: its programs, its parts', its ancestors' and national ones. */
  region?: string | undefined
  topic?: string | undefined
  cursor?: string | undefined
  limit?: number | undefined
}

/**
 * Open programs that have not ended, by start, narrowed by region and topic. Public. One `Query` per
 * page on the catalog (a filtered page may hold fewer than `limit`; follow `nextCursor`).
 */
export async function listOpenPrograms(
  store: Store,
  clock: Clock,
  filter: OpenProgramFilter = {},
): Promise<Page<PublicProgram>> {
  const now = clock.now()
  const page = await query(
    store,
    Program.catalog({
      region: filter.region ? { code: filter.region, ancestors: ancestorsOf(filter.region) } : undefined,
      topic: filter.topic,
      runningAt: now.toISOString(),
    }),
    { limit: filter.limit ?? PAGE_DEFAULT, cursor: filter.cursor },
  )
  return { items: page.items.map((program) => publicProgram(program, now)), nextCursor: page.nextCursor }
}

/**
 * One open program with the seats left in each segment, for the request form. One `Query`.
 * @throws NotFoundError when there is no such program or it is not open
 */
export async function readOpenProgram(store: Store, clock: Clock, id: string): Promise<PublicProgram> {
  let program: ProgramItem | undefined
  const counters: SegmentItem[] = []
  for (const item of (await query(store, Program.withSegments(id))).items)
    if (item.entity === 'program') program = item
    else counters.push(item)
  if (program?.status !== 'open') throw new NotFoundError('No such open program')
  return publicProgram(program, clock.now(), counters)
}

/** One program as stored (strongly consistent), or `undefined`: for consumers, no access check. One `GetItem`. */
export function getProgramItem(store: Store, id: string): Promise<ProgramItem | undefined> {
  return get(store, Program, { id })
}
