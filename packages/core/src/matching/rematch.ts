/**
 * Supply re-matching: when a mentor becomes available — approved, resumed or reinstated, a capacity
 * raised, an engagement closed, an offer declined or let expire — the requests already waiting for a
 * mentor are matched again at once, longest-waiting first, as many as the mentor has seats for.
 */
import { Mentor, MentorLoad } from '../adapters/dynamo/entities/mentor.ts'
import { Offer } from '../adapters/dynamo/entities/offer.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { batchGet, query } from '../adapters/dynamo/index.ts'
import { directoryProfile, profileOf } from '../mentor/index.ts'
import type { Clock, Store } from '../store.ts'
import { makeBestOffer, requestProfile } from './candidates.ts'
import { rankMentors } from './instant.ts'

/** Waiting requests read per page (the list is filtered to the mentor's topics on the page). */
export const REMATCH_PAGE = 100
/** Pages read per supply change, at most: the oldest {@link REMATCH_PAGE} × this requests are looked at. */
export const REMATCH_PAGES = 3
/** Requests matched again per supply change, at most (each is a full instant match). */
export const REMATCH_ATTEMPTS = 20
/** Open offers counted against the mentor's free seats (one page of their offers). */
const OPEN_OFFERS_READ = 50

export interface RematchResult {
  /** Seats the mentor had for new offers (capacity − active − open offers), when they could take any. */
  free: number
  /** Requests matched again (each with {@link makeBestOffer}). */
  attempts: number
  /** Of those, offers made to this mentor; others may have gone to a better mentor. */
  offered: number
}

/**
 * Offers the requests waiting for a mentor (`matching`) to whom `mentorId` could now help, oldest
 * eligible first: for each waiting request this mentor passes the hard filters for, instant matching
 * runs again ({@link makeBestOffer}: the best mentor gets the offer, which is usually this one), until
 * the mentor's free seats — capacity minus active engagements minus offers still open — are offered.
 * Fair: the waiting list is ordered by the moment each request became eligible, so nobody is
 * overtaken by a newer request. Safe to repeat: offers derive their ids from the request, and every
 * write is conditioned on the request as read.
 *
 * Calls: 1 `BatchGetItem` (mentor, load) + 1 `Query` (open offers) + at most {@link REMATCH_PAGES}
 * `Query` + at most {@link REMATCH_ATTEMPTS} instant matches.
 */
export async function rematchForMentor(store: Store, clock: Clock, mentorId: string): Promise<RematchResult> {
  const none = { free: 0, attempts: 0, offered: 0 }
  const [mentor, load] = await batchGet(
    store,
    [
      [Mentor, { id: mentorId }],
      [MentorLoad, { mentorId }],
    ],
    { consistent: true },
  )
  if (mentor?.status !== 'active' || !load || !mentor.accountSub) return none
  const open = await query(store, Offer.ofMentor(mentorId, { status: 'open' }), { limit: OPEN_OFFERS_READ })
  const free = load.capacity - load.active - open.items.length
  if (free <= 0) return none
  const profile = profileOf(directoryProfile(mentor, mentor.accountSub), load)
  const topics = mentor.skills.map((skill) => skill.topic)
  const result = { free, attempts: 0, offered: 0 }
  let cursor: string | undefined
  for (let page = 0; page < REMATCH_PAGES; page++) {
    const waiting = await query(store, Request.waitingFor(topics), { limit: REMATCH_PAGE, cursor })
    for (const request of waiting.items) {
      // Only where this mentor fits: mode, region, language, needs, not excluded.
      if (rankMentors(requestProfile(request), [profile], 1).length === 0) continue
      const outcome = await makeBestOffer(store, clock, request.id)
      result.attempts++
      if (outcome.outcome === 'offered' && outcome.mentorId === mentorId) result.offered++
      if (result.offered >= free || result.attempts >= REMATCH_ATTEMPTS) return result
    }
    if (waiting.nextCursor === null) break
    cursor = waiting.nextCursor
  }
  return result
}
