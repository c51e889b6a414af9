/**
 * What a suspension does to a mentor's work, once (the `MentorSuspended` consumer): their open offers
 * are withdrawn and matched again, their active engagements go to staff for a decision (end, or hand
 * the business to another mentor), and the sessions still to come are cancelled, with a notice to each
 * owner. Every step is a conditional write of its own, so a retried event redoes only what is left.
 */
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { everyItem } from '../adapters/dynamo/index.ts'
import { holdForDecision } from '../engagement/index.ts'
import { listOffersOfMentor, withdrawForSuspension } from '../offer/index.ts'
import { cancelFutureSessions } from '../session/index.ts'
import type { Clock, Store } from '../store.ts'
import { getMentor } from './index.ts'

export interface SuspensionOutcome {
  offersWithdrawn: number
  engagementsHeld: number
  sessionsCancelled: number
}

/**
 * Withdraws a suspended mentor's open offers (their requests go back to matching without them),
 * cancels the future sessions of each active engagement, and marks the engagement `needs_decision`.
 * Does nothing when the mentor is no longer suspended (reinstated before the event arrived).
 * Calls: 1 `GetItem`, then per page of offers and engagements 1 `Query`, and a few calls per offer,
 * engagement and session (bounded by the mentor's capacity and their open offers).
 */
export async function unwindSuspension(
  store: Store,
  clock: Clock,
  mentorId: string,
): Promise<SuspensionOutcome> {
  const outcome: SuspensionOutcome = { offersWithdrawn: 0, engagementsHeld: 0, sessionsCancelled: 0 }
  if ((await getMentor(store, mentorId))?.status !== 'suspended') return outcome

  let cursor: string | undefined
  do {
    const page = await listOffersOfMentor(store, mentorId, { limit: 50, status: 'open', cursor })
    for (const offer of page.items)
      if ((await withdrawForSuspension(store, clock, offer.id)).outcome === 'withdrawn')
        outcome.offersWithdrawn++
    cursor = page.nextCursor ?? undefined
  } while (cursor)

  for await (const engagement of everyItem(store, Engagement.ofMentor(mentorId, { status: 'active' }), 50)) {
    const cancelled = await cancelFutureSessions(store, clock, engagement)
    outcome.sessionsCancelled += cancelled
    if (await holdForDecision(store, clock, engagement, cancelled)) outcome.engagementsHeld++
  }
  return outcome
}
