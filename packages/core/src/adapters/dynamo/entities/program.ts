import { ProgramItem, SegmentItem } from '../../../program/item.ts'
import { and, type Condition, entity, exists, when } from '../entity.ts'
import { byRegion, keys, programCatalog } from '../keys.ts'
import type { List } from '../read.ts'

const segment = entity('programSegment', SegmentItem, {
  key: (of: { programId: string; segment: string }) => keys.programSegment(of.programId, of.segment),
})

const program = entity('program', ProgramItem, {
  key: (of: { id: string }) => keys.program(of.id),
  /**
   * `byRegion` under `PROGRAM`, by region then creation: staff list their region's by prefix (national
   * programs, region `*`, sort before every region code). While open, also in the public catalog.
   */
  indexes: (of: ProgramItem) => ({
    ...byRegion('PROGRAM', of.region, of.createdAt, of.id),
    ...(of.status === 'open' ? programCatalog(of.startsAt, of.id) : {}),
  }),
})

/** What a page of the public program catalog may be narrowed by. */
export interface ProgramCatalogFilter {
  /** The reader's region: programs of it, of its parts, of its ancestors, and national ones. */
  region?: { code: string; ancestors: readonly string[] } | undefined
  topic?: string | undefined
  /** Only programs still running at this instant (UTC ISO). */
  runningAt?: string | undefined
}

/** Programs (`PROGRAM#<id>`): their list, the item's optimistic lock, and the admission check. */
export const Program = {
  ...program,
  /** Still as read: nobody edited it meanwhile. */
  unchanged: (read: Pick<ProgramItem, 'updatedAt'>) =>
    when('#updatedAt = :previous', { ':previous': read.updatedAt }),
  /** Programs whose region starts with `region` (`*` for all), oldest first. */
  inRegion: (region: string): List<ProgramItem> => ({
    index: 'byRegion',
    partition: 'PROGRAM',
    prefix: region === '*' ? '' : region,
    parse: program.parse,
  }),
  /** National programs (region `*`), oldest first: every staff member reads them. */
  national: (): List<ProgramItem> => ({
    index: 'byRegion',
    partition: 'PROGRAM',
    prefix: '*#',
    parse: program.parse,
  }),
  /** The program and its segment counters: its whole partition, strongly consistent (one page). */
  withSegments: (id: string): List<ProgramItem | SegmentItem> => ({
    partition: keys.program(id).pk,
    consistent: true,
    parse: (raw) =>
      (raw.entity === program.name ? program : raw.entity === segment.name ? segment : undefined)?.parse(raw),
  }),
  /** The public catalog: open programs by start, narrowed by `filter` (filtered on the page). */
  catalog(filter: ProgramCatalogFilter): List<ProgramItem> {
    const conditions: Condition[] = []
    if (filter.region) {
      const near = ['*', ...filter.region.ancestors]
      conditions.push(
        when(
          `begins_with(#region, :rgPrefix) OR #region IN (${near.map((_, index) => `:rg${index}`).join(', ')})`,
          {
            ':rgPrefix': filter.region.code,
            ...Object.fromEntries(near.map((code, index) => [`:rg${index}`, code])),
          },
        ),
      )
    }
    if (filter.topic) conditions.push(when('contains(#topics, :topic)', { ':topic': filter.topic }))
    if (filter.runningAt) conditions.push(when('#endsAt > :runningAt', { ':runningAt': filter.runningAt }))
    return {
      index: 'byTopic',
      partition: programCatalog('', '').byTopicPk,
      // `and` puts each condition in parentheses, so the region's OR stays whole.
      filter: conditions.length > 0 ? and(...conditions) : undefined,
      parse: program.parse,
    }
  },
  /**
   * Checks, inside a request's transaction and without reading the program first, that it is open
   * and running at `now` (`startsAt <= now < endsAt`), that one of `regions` (the request's region
   * and its ancestors) is its region, and that it offers `topics`. On failure the program comes back
   * with the refusal, to tell which part failed.
   */
  admits(programId: string, regions: readonly string[], topics: readonly string[], now?: Date) {
    const values = Object.fromEntries([
      ...[
        [':open', 'open'],
        [':entity', 'program'],
      ],
      ...(now ? [[':now', now.toISOString()]] : []),
      ...regions.map((code, index) => [`:r${index}`, code]),
      ...topics.map((topic, index) => [`:t${index}`, topic]),
    ])
    const conditions = [
      'entity = :entity',
      '#status = :open',
      ...(now ? ['#startsAt <= :now', '#endsAt > :now'] : []),
      `#region IN (${regions.map((_, index) => `:r${index}`).join(', ')})`,
      ...topics.map((_, index) => `contains(#topics, :t${index})`),
    ]
    return program.check({ id: programId }, when(conditions.join(' AND '), values))
  },
}

/** A counter change of one segment, refused unless the segment exists and meets `guard`. */
const counter = (add: Record<string, number>, guard?: string) => (programId: string, name: string) =>
  segment.update(
    { programId, segment: name },
    { add },
    { when: guard ? and(exists, when(guard, { ':zero': 0 })) : exists },
  )

/**
 * Seats of a program segment (invariant 3): one counter item per segment holds `quota`, `admitted`
 * (requests holding a seat) and `waitlisted` (requests queued for one). Every change is a conditional
 * `Update` in the transaction that moves the request, so counter and requests never disagree and no
 * interleaving admits more than the quota. A refusal carries the counter as it was (none: no such segment).
 */
export const Segment = {
  ...segment,
  /** Takes a seat while `admitted < quota` and nobody is queued: a newcomer never overtakes the waitlist. */
  takeSeat: counter({ admitted: 1 }, '#admitted < #quota AND #waitlisted = :zero'),
  /** Queues one more request on the waitlist. */
  joinWaitlist: counter({ waitlisted: 1 }),
  /** A queued request left without a seat (cancelled or erased). */
  leaveWaitlist: counter({ waitlisted: -1 }, '#waitlisted > :zero'),
  /** The oldest queued request takes a freed seat, while `admitted < quota`. */
  promote: counter({ admitted: 1, waitlisted: -1 }, '#admitted < #quota AND #waitlisted > :zero'),
  /** Gives back a request's seat; goes with an event with `freedSeat: true`, so the next one is promoted. */
  releaseSeat: counter({ admitted: -1 }, '#admitted > :zero'),
  /** A new quota, never below the seats admitted (a concurrent admission refuses it). */
  setQuota: (programId: string, name: string, quota: number) =>
    segment.update(
      { programId, segment: name },
      { set: { quota } },
      { when: and(exists, when('#admitted <= :quota', { ':quota': quota })) },
    ),
}
