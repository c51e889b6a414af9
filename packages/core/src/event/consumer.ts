import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { keys } from '../adapters/dynamo/keys.ts'
import type { Clock, Store } from '../store.ts'

/** How long a consumer holds an event while acting on it; a crashed attempt's claim lapses after this. */
export const CLAIM_SECONDS = 300
/** How long the record of a handled event is kept: far longer than EventBridge and stream retries last. */
export const PROCESSED_RETENTION_SECONDS = 7 * 24 * 3600

export type Consumption = 'acted' | 'duplicate'

/**
 * Runs `action` for an event at most once per consumer (invariant 6). The consumer first claims the
 * event with a conditional Put; a second delivery finds the claim and does nothing. If the action
 * fails, the claim is released so the retry acts; if the process dies mid-action, the claim lapses
 * after {@link CLAIM_SECONDS}. Actions should still be safe to repeat (conditional writes), since a
 * lapse after a slow success cannot be told from a crash.
 *
 * Calls: 1 `PutItem` + the action + 1 `UpdateItem` (or 1 `DeleteItem` on failure).
 */
export async function consumeOnce(
  store: Store,
  clock: Clock,
  consumer: string,
  eventId: string,
  action: () => Promise<void>,
): Promise<Consumption> {
  const now = Math.floor(clock.now().getTime() / 1000)
  const key = keys.processed(consumer, eventId)
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: {
          ...key,
          entity: 'processed',
          version: 1,
          consumer,
          eventId,
          status: 'in-progress',
          claimedUntil: now + CLAIM_SECONDS,
          expiresAt: now + PROCESSED_RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND claimedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'in-progress', ':now': now },
      }),
    )
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'duplicate'
    throw error
  }
  try {
    await action()
  } catch (error) {
    await store.doc.send(new DeleteCommand({ TableName: store.tableName, Key: key }))
    throw error
  }
  await store.doc.send(
    new UpdateCommand({
      TableName: store.tableName,
      Key: key,
      UpdateExpression: 'SET #status = :done REMOVE claimedUntil',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done' },
    }),
  )
  return 'acted'
}
