import type * as v from 'valibot'
import { FollowUp } from '../adapters/dynamo/entities/follow-up.ts'
import { query, type TransactItem, transact, withTable } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import type { Clock, Store } from '../store.ts'
import { FollowUpEvents, type FollowUpKind as FollowUpKindSchema } from './events.ts'
import type { FollowUpItem } from './item.ts'

export { FollowUpEvents }
export type FollowUpKind = v.InferOutput<typeof FollowUpKindSchema>

/** How long after firing a follow-up item is kept (for inspection) before TTL removes it. */
const FIRED_RETENTION_SECONDS = 30 * 24 * 3600

/** How far back a sweep looks for due items it has not fired yet (hours, one Query each). */
export const SWEEP_LOOKBACK_HOURS = 3

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
  const id = followUpId(kind, subjectId)
  const item: FollowUpItem = {
    entity: 'followUp',
    version: 1,
    id,
    kind,
    subjectId,
    dueAt: dueAt.toISOString(),
    status: 'pending',
  }
  return inTable(tableName, FollowUp.put(item, { when: FollowUp.notFired }))
}

/** The `Delete` that removes a duty that has not fired (a cancelled session's reminders). */
export function cancelFollowUp(tableName: string, kind: FollowUpKind, subjectId: string): TableItem {
  return inTable(tableName, FollowUp.remove({ id: followUpId(kind, subjectId) }, { when: FollowUp.notFired }))
}

/** A write as the SDK takes it, table and all. */
type TableItem = ReturnType<typeof withTable>[number]
const inTable = (tableName: string, item: TransactItem) => withTable(tableName, [item])[0] as TableItem

/** Hour buckets (`yyyy-mm-ddThh`) from `hours` ago up to the current one, oldest first. */
export function dueBuckets(now: Date, hours = SWEEP_LOOKBACK_HOURS): string[] {
  const buckets: string[] = []
  for (let back = hours - 1; back >= 0; back--) {
    buckets.push(new Date(now.getTime() - back * 3_600_000).toISOString().slice(0, 13))
  }
  return buckets
}

export interface SweepResult {
  fired: string[]
  /** Claimed by a concurrent sweep first: not fired twice. */
  skipped: string[]
}

/**
 * Fires every pending duty due by now: each claim is one transaction that flips the item to `fired`
 * on the condition that it is still `pending`, and writes its `FollowUpDue` event. Two overlapping
 * sweeps may both see an item; only one claim succeeds, so each duty fires exactly once.
 */
export async function sweepDue(
  store: Store,
  clock: Clock,
  options: { limit?: number } = {},
): Promise<SweepResult> {
  const now = clock.now()
  const nowIso = now.toISOString()
  const limit = options.limit ?? 100
  const due: FollowUpItem[] = []
  for (const bucket of dueBuckets(now)) {
    const page = await query(store, FollowUp.dueBy(bucket, nowIso), { limit })
    due.push(...page.items.filter((followUp) => followUp.dueAt <= nowIso))
    if (due.length >= limit) break
  }

  const result: SweepResult = { fired: [], skipped: [] }
  for (const followUp of due.slice(0, limit)) {
    const event = createEvent(
      FollowUpEvents.Due,
      { followUpId: followUp.id, kind: followUp.kind, subjectId: followUp.subjectId, dueAt: followUp.dueAt },
      now,
    )
    const fired = {
      status: 'fired',
      firedAt: nowIso,
      expiresAt: Math.floor(now.getTime() / 1000) + FIRED_RETENTION_SECONDS,
    }
    try {
      await transact(store, [
        ['followUp', FollowUp.update(followUp, { set: fired }, { when: FollowUp.dueAt(followUp.dueAt) })],
        ['event', outbox(event)],
      ])
      result.fired.push(followUp.id)
    } catch (error) {
      // Refused (another sweep claimed it) or still contended after retries: the next sweep sees it.
      if (!(error instanceof ConflictError)) throw error
      result.skipped.push(followUp.id)
    }
  }
  return result
}
