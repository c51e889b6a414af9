import { QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import * as v from 'valibot'
import { byDue, keys } from '../adapters/dynamo/keys.ts'
import { createEvent, outboxPut } from '../event/index.ts'
import type { Clock, Store } from '../store.ts'
import { FollowUpEvents, FollowUpKind as FollowUpKindSchema } from './events.ts'

export { FollowUpEvents }
export type FollowUpKind = v.InferOutput<typeof FollowUpKindSchema>

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** How long after firing a follow-up item is kept (for inspection) before TTL removes it. */
const FIRED_RETENTION_SECONDS = 30 * 24 * 3600

/** How far back a sweep looks for due items it has not fired yet (hours, one Query each). */
export const SWEEP_LOOKBACK_HOURS = 3

const FollowUpItem = v.object({
  id: v.string(),
  kind: FollowUpKindSchema,
  subjectId: v.string(),
  dueAt: v.string(),
  status: v.picklist(['pending', 'fired']),
})
export type FollowUp = v.InferOutput<typeof FollowUpItem>

/**
 * A follow-up's id is its kind and subject: one offer has one expiry, one session one 24 h reminder.
 * Scheduling again therefore moves the duty instead of adding a second one.
 */
export const followUpId = (kind: FollowUpKind, subjectId: string) => `${kind}:${subjectId}`

/**
 * The `Put` that schedules (or moves) a timed duty, to go in the transaction of the change that
 * causes it. A duty that already fired is not re-armed.
 */
export function scheduleFollowUp(
  tableName: string,
  kind: FollowUpKind,
  subjectId: string,
  dueAt: Date,
): TransactItem {
  const id = followUpId(kind, subjectId)
  const due = dueAt.toISOString()
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.followUp(id),
        ...byDue(due, id),
        entity: 'followUp',
        version: 1,
        id,
        kind,
        subjectId,
        dueAt: due,
        status: 'pending',
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    },
  }
}

/** The `Delete` that removes a duty that has not fired (a cancelled session's reminders). */
export function cancelFollowUp(tableName: string, kind: FollowUpKind, subjectId: string): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: keys.followUp(followUpId(kind, subjectId)),
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    },
  }
}

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
  const due: FollowUp[] = []
  for (const bucket of dueBuckets(now)) {
    const page = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        IndexName: 'byDue',
        KeyConditionExpression: 'byDuePk = :bucket AND byDueSk <= :now',
        FilterExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':bucket': `DUE#${bucket}`,
          ':now': `${nowIso}\uffff`,
          ':pending': 'pending',
        },
        Limit: limit,
      }),
    )
    for (const item of page.Items ?? []) {
      const parsed = v.safeParse(FollowUpItem, item)
      if (parsed.success && parsed.output.dueAt <= nowIso) due.push(parsed.output)
    }
    if (due.length >= limit) break
  }

  const result: SweepResult = { fired: [], skipped: [] }
  for (const followUp of due.slice(0, limit)) {
    const event = createEvent(
      FollowUpEvents.Due,
      { followUpId: followUp.id, kind: followUp.kind, subjectId: followUp.subjectId, dueAt: followUp.dueAt },
      now,
    )
    try {
      await store.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: store.tableName,
                Key: keys.followUp(followUp.id),
                UpdateExpression:
                  'SET #status = :fired, firedAt = :now, expiresAt = :expires REMOVE byDuePk, byDueSk',
                ConditionExpression: '#status = :pending AND dueAt = :dueAt',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':fired': 'fired',
                  ':pending': 'pending',
                  ':now': nowIso,
                  ':dueAt': followUp.dueAt,
                  ':expires': Math.floor(now.getTime() / 1000) + FIRED_RETENTION_SECONDS,
                },
              },
            },
            outboxPut(store.tableName, event),
          ],
        }),
      )
      result.fired.push(followUp.id)
    } catch (error) {
      if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error
      result.skipped.push(followUp.id)
    }
  }
  return result
}
