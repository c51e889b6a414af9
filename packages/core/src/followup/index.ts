import type * as v from 'valibot'
import { FollowUp } from '../adapters/dynamo/entities/follow-up.ts'
import { SweepWatermark } from '../adapters/dynamo/entities/sweep-watermark.ts'
import { get, query, type TransactItem, transact, withTable, write } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import type { Clock, Store } from '../store.ts'
import { FollowUpEvents, type FollowUpKind as FollowUpKindSchema } from './events.ts'
import type { FollowUpItem } from './item.ts'

export { applyFollowUps, followUpChanges } from './schedule.ts'

export { FollowUpEvents }
export type FollowUpKind = v.InferOutput<typeof FollowUpKindSchema>

/** How long after firing a follow-up item is kept (for inspection) before TTL removes it. */
const FIRED_RETENTION_SECONDS = 30 * 24 * 3600

/**
 * Hours behind the current one a sweep always reads again, whatever its watermark says (one Query
 * each): a duty scheduled slightly in the past (a reminder written late) is still found.
 */
export const SWEEP_LOOKBACK_HOURS = 3
/** The most hour buckets one sweep reads: a sweeper stopped for a week catches up in a few runs. */
export const SWEEP_MAX_BUCKETS = 48
/** The most duties one sweep fires (one transaction each); the rest wait for the next run. */
export const SWEEP_MAX_FIRED = 500

/**
 * A follow-up's id is its kind and subject: one offer has one expiry, one session one 24 h reminder.
 * Scheduling again therefore moves the duty instead of adding a second one.
 */
export const followUpId = (kind: FollowUpKind, subjectId: string) => `${kind}:${subjectId}`

/**
 * The `Put` that schedules (or moves) a timed duty, to go in the transaction of the change that
 * causes it. A duty that already fired is not re-armed. In `tableName`, so callers that send it
 * themselves still can (`transact` and `write` use the store's).
 */
export function scheduleFollowUp(
  tableName: string,
  kind: FollowUpKind,
  subjectId: string,
  dueAt: Date,
): TableItem {
  return inTable(tableName, followUpStep(kind, subjectId, dueAt))
}

/**
 * The same `Put` as {@link scheduleFollowUp}, as a step of a `transact` in the store's table: a duty
 * scheduled in the transaction of the change that causes it (an offer and its expiry) cannot be lost
 * between the two, nor come after a later change that cancels it.
 */
export function followUpStep(kind: FollowUpKind, subjectId: string, dueAt: Date): TransactItem {
  const item: FollowUpItem = {
    entity: 'followUp',
    version: 1,
    id: followUpId(kind, subjectId),
    kind,
    subjectId,
    dueAt: dueAt.toISOString(),
    status: 'pending',
  }
  return FollowUp.put(item, { when: FollowUp.notFired })
}

/** The `Delete` that removes a duty that has not fired (a cancelled session's reminders). */
export function cancelFollowUp(tableName: string, kind: FollowUpKind, subjectId: string): TableItem {
  return inTable(tableName, FollowUp.remove({ id: followUpId(kind, subjectId) }, { when: FollowUp.notFired }))
}

/** A write as the SDK takes it, table and all. */
type TableItem = ReturnType<typeof withTable>[number]
const inTable = (tableName: string, item: TransactItem) => withTable(tableName, [item])[0] as TableItem

const HOUR_MS = 3_600_000

/** The hour bucket (`yyyy-mm-ddThh`, UTC) of an instant. */
const hourOf = (at: Date | number) => new Date(at).toISOString().slice(0, 13)
/** The instant an hour bucket starts. */
const startOf = (hour: string) => Date.parse(`${hour}:00:00.000Z`)

/** Hour buckets (`yyyy-mm-ddThh`) from `hours` ago up to the current one, oldest first. */
export function dueBuckets(now: Date, hours = SWEEP_LOOKBACK_HOURS): string[] {
  const buckets: string[] = []
  for (let back = hours - 1; back >= 0; back--) buckets.push(hourOf(now.getTime() - back * HOUR_MS))
  return buckets
}

/**
 * The buckets a sweep reads, oldest first: the last {@link SWEEP_LOOKBACK_HOURS} up to the current
 * hour, always, and before them the hours after the watermark not read yet, at most `max` buckets in
 * all. A longer backlog leaves a gap (`unread`, its first hour) that the next runs read: recent duties
 * (a reminder an hour before a session) are not held up by a sweeper catching up on a long outage.
 */
export function sweepBuckets(
  now: Date,
  watermark: string | undefined,
  max = SWEEP_MAX_BUCKETS,
): { buckets: string[]; unread: string | undefined } {
  const lookback = dueBuckets(now)
  const first = startOf(lookback[0] as string)
  const from = watermark === undefined ? first : startOf(watermark) + HOUR_MS
  const backlog: string[] = []
  for (let at = from; at < first && backlog.length < Math.max(0, max - lookback.length); at += HOUR_MS)
    backlog.push(hourOf(at))
  const next = from + backlog.length * HOUR_MS
  return { buckets: [...backlog, ...lookback], unread: next < first ? hourOf(next) : undefined }
}

export interface SweepResult {
  fired: string[]
  /** Claimed by a concurrent sweep first, or contended: not fired twice. */
  skipped: string[]
  /** The last hour swept to the end (the stored watermark after this run). */
  watermark: string
  /**
   * Milliseconds from the oldest due duty not yet fired to now: 0 when every due duty has fired.
   * When the sweep stopped before an hour it did not read, that hour's start stands for its oldest duty.
   */
  lagMs: number
}

export interface SweepOptions {
  /** Duties fired at most (default {@link SWEEP_MAX_FIRED}). */
  limit?: number
  /** Hour buckets read at most (default {@link SWEEP_MAX_BUCKETS}). */
  maxBuckets?: number
  /** Stops early (the next run carries on) when this says time is short: the Lambda's remaining time. */
  timeLeft?: () => boolean
}

/**
 * Fires every pending duty due by now, catching up from the stored watermark however long the
 * sweeper was stopped, in bounded runs. Each claim is one transaction that flips the item to `fired`
 * on the condition that it is still `pending` at the same due time, and writes its `FollowUpDue`
 * event: two overlapping sweeps may both see an item, but only one claim succeeds, so each duty fires
 * exactly once. An hour whose due duties all fired, and that is older than the lookback, moves the
 * watermark forward; an hour left with work stops it there.
 *
 * Calls: 1 `GetItem` (the watermark) + one `Query` per hour read (≤ `maxBuckets`) + one transaction
 * per duty (≤ `limit`) + 1 `UpdateItem` when the watermark moves.
 */
export async function sweepDue(store: Store, clock: Clock, options: SweepOptions = {}): Promise<SweepResult> {
  const now = clock.now()
  const nowIso = now.toISOString()
  const mark = await get(store, SweepWatermark, undefined)
  const { buckets, unread } = sweepBuckets(now, mark?.hour, options.maxBuckets)
  // The watermark never passes the lookback: those hours are read every run anyway.
  const settledBefore = dueBuckets(now)[0] as string
  let budget = options.limit ?? SWEEP_MAX_FIRED
  const result: SweepResult = { fired: [], skipped: [], watermark: '', lagMs: 0 }
  // Without a watermark yet, the hours before the lookback count as swept (the sweeper never read them).
  let swept = mark?.hour ?? hourOf(startOf(settledBefore) - HOUR_MS)
  /** The oldest due duty this run knows is still pending, or the start of the first hour it did not finish. */
  let behind: number | undefined
  for (const bucket of buckets) {
    if (budget <= 0 || options.timeLeft?.() === false) {
      behind ??= startOf(bucket)
      break
    }
    const page = await query(store, FollowUp.dueBy(bucket, nowIso), { limit: budget })
    const due = page.items.filter((followUp) => followUp.dueAt <= nowIso)
    let finished = !page.nextCursor
    for (const followUp of due) {
      budget--
      const outcome = await fire(store, followUp, now)
      result[outcome === 'fired' ? 'fired' : 'skipped'].push(followUp.id)
      if (outcome === 'busy') {
        finished = false
        behind ??= Date.parse(followUp.dueAt)
      }
    }
    if (!finished) {
      // More than the budget in this hour, or a claim that lost a conflict: the next run goes on here.
      behind ??= Date.parse(due.at(-1)?.dueAt ?? `${bucket}:00:00.000Z`)
      continue
    }
    // Only an unbroken run of finished hours moves the watermark.
    if (bucket < settledBefore && bucket === hourOf(startOf(swept) + HOUR_MS)) swept = bucket
  }
  // Hours of the backlog this run did not reach: the first stands for the oldest duty not fired.
  if (unread !== undefined) behind = Math.min(behind ?? Number.POSITIVE_INFINITY, startOf(unread))
  result.lagMs = behind === undefined ? 0 : Math.max(0, now.getTime() - behind)
  if (swept !== mark?.hour) await write(store, SweepWatermark.advance(swept, nowIso))
  result.watermark = swept
  return result
}

/** Claims one duty: `fired`, `taken` (another sweep fired or moved it), or `busy` (contended; next run). */
async function fire(store: Store, followUp: FollowUpItem, now: Date): Promise<'fired' | 'taken' | 'busy'> {
  const event = createEvent(
    FollowUpEvents.Due,
    { followUpId: followUp.id, kind: followUp.kind, subjectId: followUp.subjectId, dueAt: followUp.dueAt },
    now,
  )
  const fired = {
    status: 'fired',
    firedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + FIRED_RETENTION_SECONDS,
  }
  try {
    await transact(store, [
      ['followUp', FollowUp.update(followUp, { set: fired }, { when: FollowUp.dueAt(followUp.dueAt) })],
      ['event', outbox(event)],
    ])
    return 'fired'
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error
    return error.code === 'busy' ? 'busy' : 'taken'
  }
}
