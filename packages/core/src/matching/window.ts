/**
 * A request's matching window: how long it may wait for a mentor before it is `unmatched`. It is the
 * program's `matchingWindowDays` (5 days without a program) and starts when the request became
 * eligible: its submission into a seat (or without a program), or its promotion from the waitlist.
 */
import { FollowUp } from '../adapters/dynamo/entities/follow-up.ts'
import type { TransactItem } from '../adapters/dynamo/index.ts'
import { followUpId } from '../followup/index.ts'
import type { FollowUpItem } from '../followup/item.ts'
import { eligibleSince, type RequestItem } from '../request/item.ts'

/** Without a program, how long a request may wait for a mentor before it is `unmatched`. */
export const DEFAULT_MATCHING_WINDOW_DAYS = 5

/** The moment (UTC ISO) `request`'s window of `days` days closes. */
export function windowEnd(
  request: Pick<RequestItem, 'eligibleSince' | 'submittedAt'>,
  days = DEFAULT_MATCHING_WINDOW_DAYS,
): string {
  return new Date(Date.parse(eligibleSince(request)) + days * 86_400_000).toISOString()
}

/**
 * The `stale-request` duty at `until`, the end of the request's window: matching runs once more then,
 * and the request becomes `unmatched` if still nobody fits. A duty that fired for an earlier end (the
 * program's window grew meanwhile) is armed again; one pending is moved.
 */
export function windowEndDuty(requestId: string, until: string): TransactItem {
  const item: FollowUpItem = {
    entity: 'followUp',
    version: 1,
    id: followUpId('stale-request', requestId),
    kind: 'stale-request',
    subjectId: requestId,
    dueAt: until,
    status: 'pending',
  }
  return FollowUp.put(item, { when: FollowUp.rearmable(until) })
}
