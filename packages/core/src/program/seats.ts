import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import { keys } from '../adapters/dynamo/keys.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/**
 * Seats of a program segment (invariant 3). One counter item per segment holds `quota`, `admitted`
 * (requests holding a seat) and `waitlisted` (requests queued for one). Every change is a conditional
 * `Update` inside the transaction that moves the request, so the counter and the requests never disagree
 * and no interleaving admits more than the quota.
 */

/**
 * Takes a seat: succeeds only while `admitted < quota` and nobody is queued — a newcomer never
 * overtakes the waitlist, even in the moment between a cancellation and the promotion it triggers.
 * Returns the segment as it was when the condition failed, to tell "full" from "no such segment".
 */
export function segmentSeatTake(tableName: string, programId: string, segment: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.programSegment(programId, segment),
      UpdateExpression: 'ADD #admitted :one',
      ConditionExpression: 'attribute_exists(pk) AND #admitted < #quota AND #waitlisted = :zero',
      ExpressionAttributeNames: { '#admitted': 'admitted', '#quota': 'quota', '#waitlisted': 'waitlisted' },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }
}

/** Queues one more request on the segment's waitlist. */
export function segmentWaitlistJoin(tableName: string, programId: string, segment: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.programSegment(programId, segment),
      UpdateExpression: 'ADD #waitlisted :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#waitlisted': 'waitlisted' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }
}

/** A queued request left the waitlist without a seat (cancelled or erased). */
export function segmentWaitlistLeave(tableName: string, programId: string, segment: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.programSegment(programId, segment),
      UpdateExpression: 'ADD #waitlisted :minusOne',
      ConditionExpression: 'attribute_exists(pk) AND #waitlisted > :zero',
      ExpressionAttributeNames: { '#waitlisted': 'waitlisted' },
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
    },
  }
}

/** The oldest queued request takes a freed seat: `admitted + 1`, `waitlisted - 1`, while `admitted < quota`. */
export function segmentPromote(tableName: string, programId: string, segment: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.programSegment(programId, segment),
      UpdateExpression: 'ADD #admitted :one, #waitlisted :minusOne',
      ConditionExpression: 'attribute_exists(pk) AND #admitted < #quota AND #waitlisted > :zero',
      ExpressionAttributeNames: { '#admitted': 'admitted', '#quota': 'quota', '#waitlisted': 'waitlisted' },
      ExpressionAttributeValues: { ':one': 1, ':minusOne': -1, ':zero': 0 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }
}

/**
 * Gives back the seat a program request held (cancelled; or unmatched, if the offers module frees
 * seats of requests nobody could take). Put it in the same transaction as the request's transition,
 * with an event carrying `freedSeat: true` so the waitlist consumer promotes the next request.
 */
export function segmentSeatRelease(tableName: string, programId: string, segment: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.programSegment(programId, segment),
      UpdateExpression: 'ADD #admitted :minusOne',
      ConditionExpression: 'attribute_exists(pk) AND #admitted > :zero',
      ExpressionAttributeNames: { '#admitted': 'admitted' },
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
    },
  }
}

/** All prefixes of a region code that are region codes themselves: `35.73.01` → `35`, `35.73`, `35.73.01`. */
export function regionAncestors(region: string): string[] {
  const parts = region.split('.')
  return parts.map((_, index) => parts.slice(0, index + 1).join('.'))
}

/**
 * Checks, inside the request's transaction and without reading the program first, that the program is
 * open, covers the business's region, and offers the program-specific topics the request needs.
 * On failure the program is returned with the cancellation, so the caller can say which part failed.
 */
export function programAdmits(
  tableName: string,
  programId: string,
  requestRegion: string,
  programTopics: readonly string[],
): TransactItem {
  const names: Record<string, string> = { '#status': 'status', '#region': 'region' }
  const values: Record<string, unknown> = { ':open': 'open', ':entity': 'program' }
  const regions = regionAncestors(requestRegion).map((code, index) => {
    values[`:r${index}`] = code
    return `:r${index}`
  })
  const conditions = ['entity = :entity', '#status = :open', `#region IN (${regions.join(', ')})`]
  if (programTopics.length > 0) names['#topics'] = 'topics'
  programTopics.forEach((topic, index) => {
    values[`:t${index}`] = topic
    conditions.push(`contains(#topics, :t${index})`)
  })
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: keys.program(programId),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }
}
