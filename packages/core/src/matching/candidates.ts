/**
 * Matching on DynamoDB: where instant matching finds its candidates and how its outcome is written.
 * The scoring itself is pure (`instant.ts`, `score.ts`); this file reads the mentor directory and the
 * load counters, and commits the offer (or the request's `unmatched`) in one transaction.
 */

import { DirectoryEntry, MentorLoad } from '../adapters/dynamo/entities/mentor.ts'
import { Program, Segment } from '../adapters/dynamo/entities/program.ts'
import { batchGet, get, query, type Step, transact, write } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type DirectoryProfile, type LoadItem, profileOf, weeklySlots } from '../mentor/index.ts'
import { DEFAULT_OFFER_WINDOW_HOURS, offerItems, type Score } from '../offer/index.ts'
import { provinceOf } from '../region/index.ts'
import { RequestEvents } from '../request/events.ts'
import { getRequest, type RequestItem, requestTransition } from '../request/index.ts'
import type { Clock, Store } from '../store.ts'
import { isTimeZone } from '../time/index.ts'
import { rankMentors } from './instant.ts'
import type { MentorProfile, RequestProfile } from './profile.ts'
import { DEFAULT_MATCHING_WINDOW_DAYS, windowEnd, windowEndDuty } from './window.ts'

/** Directory entries read per query: one page, so a topic with thousands of mentors costs one call. */
export const DIRECTORY_PAGE = 200
/** Load counters read per match: the best this many by optimistic score (one `BatchGetItem`). */
export const LOAD_READS = 100
export { DEFAULT_MATCHING_WINDOW_DAYS } from './window.ts'

/** A mentor as matching scores them, with the account `sub` the offer goes to. */
export type Candidate = MentorProfile & { sub: string }

/** A stored request as matching reads it. */
export function requestProfile(request: RequestItem): RequestProfile {
  return {
    id: request.id,
    region: request.region,
    needs: request.needs,
    mode: request.mode,
    languages: request.languages,
    availability: weeklySlots(request.availability),
    excludedMentorIds: request.excludedMentorIds,
    ...(isTimeZone(request.timeZone) ? { zone: request.timeZone } : {}),
  }
}

/** Load counters of `mentorIds`, by mentor id (one `BatchGetItem` per 100). */
export async function readLoads(store: Store, mentorIds: readonly string[]): Promise<Map<string, LoadItem>> {
  const loads = await batchGet(
    store,
    mentorIds.map((mentorId) => [MentorLoad, { mentorId }] as const),
  )
  return new Map(loads.flatMap((load) => (load ? [[load.mentorId, load] as const] : [])))
}

/**
 * The mentors worth scoring for `request`, with their live load and rating. For each need, the
 * directory (`byTopic`) is read one page at a time: the mentors of the business's province, and — when
 * the request can be online — the topic's mentors anywhere. Entries are deduplicated and excluded
 * mentors dropped; then every candidate is scored as if it had no load and a perfect rating (an upper
 * bound of its real score), and only the best {@link LOAD_READS} get their load counter read.
 *
 * Calls: at most 2 `Query` per need (≤ 10, in parallel) + 1 `BatchGetItem` (retried ≤ 2 on unprocessed keys).
 */
export async function findCandidates(store: Store, request: RequestItem): Promise<Candidate[]> {
  const profile = requestProfile(request)
  const province = provinceOf(request.region)
  const needs = [...new Set(request.needs)]
  const pages = await Promise.all(
    needs.flatMap((topic) =>
      (request.mode === 'offline' ? [province] : [province, undefined]).map((region) =>
        query(store, DirectoryEntry.forTopic(topic, region), { limit: DIRECTORY_PAGE }),
      ),
    ),
  )
  const excluded = new Set(request.excludedMentorIds)
  const entries = new Map<string, DirectoryProfile>()
  for (const page of pages)
    for (const entry of page.items) if (!excluded.has(entry.mentorId)) entries.set(entry.mentorId, entry)
  if (entries.size === 0) return []

  const best = { active: 0, capacity: 1, ratingSum: 5e9, ratingCount: 1e9 }
  const optimistic = [...entries.values()].map((entry) => profileOf(entry, best))
  const shortlist = rankMentors(profile, optimistic, LOAD_READS).map((ranked) => ranked.mentorId)
  if (shortlist.length === 0) return []
  const loads = await readLoads(store, shortlist)
  const candidates: Candidate[] = []
  for (const id of shortlist) {
    const entry = entries.get(id)
    const load = loads.get(id)
    if (entry && load) candidates.push(profileOf(entry, load))
  }
  return candidates
}

export type MatchOutcome =
  | { outcome: 'offered'; offerId: string; mentorId: string; score: Score }
  | { outcome: 'unmatched' }
  /** Nobody fits now; the request keeps `matching` until its window passes (`until`). */
  | { outcome: 'waiting'; until: string }
  | { outcome: 'skipped'; reason: 'not-found' | 'not-matching' | 'changed' }

/**
 * Instant matching of one request (docs/contract/matching.md), for the `RequestSubmitted`, `OfferDeclined` and
 * `OfferExpired` consumers. If the request is `matching`, ranks its candidates and in ONE transaction
 * puts the open offer to the best (expiring after the program's `offerWindowHours`, 48 h by default),
 * moves the request to `offered`, and writes `OfferMade`. When nobody fits and the request has waited
 * its matching window (the program's `matchingWindowDays`, else {@link DEFAULT_MATCHING_WINDOW_DAYS},
 * counted from when it became eligible), the request becomes `unmatched` with `RequestUnmatched` and
 * gives its program seat back in the same transaction; before that it keeps `matching` (a mentor may
 * be approved, resume, or free a seat: supply re-matching) and only the duty that runs matching again
 * when the window closes is written.
 *
 * Deterministic (ties go to the smaller mentor id) and idempotent: the offer id derives from the
 * request and its offer count, and every write is conditioned on the request as read, so a second
 * run for the same state writes nothing and answers `skipped`.
 *
 * Calls: 1 `GetItem` (request) + 1 `GetItem` (program, if any) + {@link findCandidates} + 1
 * `TransactWriteItems` (or, while waiting, 1 `PutItem` of the duty).
 */
export async function makeBestOffer(store: Store, clock: Clock, requestId: string): Promise<MatchOutcome> {
  const request = await getRequest(store, requestId)
  if (!request) return { outcome: 'skipped', reason: 'not-found' }
  if (request.status !== 'matching') return { outcome: 'skipped', reason: 'not-matching' }
  const program =
    request.programId === null ? undefined : await get(store, Program, { id: request.programId })
  const windowHours = program?.offerWindowHours ?? DEFAULT_OFFER_WINDOW_HOURS
  const matchingDays = program?.matchingWindowDays ?? DEFAULT_MATCHING_WINDOW_DAYS
  const candidates = await findCandidates(store, request)
  const best = rankMentors(requestProfile(request), candidates, 1)[0]
  const chosen = candidates.find((candidate) => candidate.id === best?.mentorId)
  const now = clock.now()
  try {
    if (best && chosen) {
      const mentor = { mentorId: chosen.id, mentorSub: chosen.sub }
      const score: Score = { total: round(best.score.total), breakdown: roundAll(best.score.breakdown) }
      const { offer, items } = offerItems(store.tableName, request, mentor, score, now, windowHours)
      await transact(
        store,
        [
          ['offer', items.offer],
          ['request', items.request],
          ['event', items.event],
          ['expiry', items.expiry],
        ],
        { explain: () => new ConflictError('Request changed', 'stale') },
      )
      return { outcome: 'offered', offerId: offer.id, mentorId: offer.mentorId, score }
    }
    // The window is the program's and counts from when the request became eligible (its promotion).
    const until = windowEnd(request, matchingDays)
    if (now.toISOString() < until) {
      // Matching runs once more when the window closes (the `stale-request` duty), if nothing else does.
      await write(store, windowEndDuty(request.id, until))
      return { outcome: 'waiting', until }
    }
    // A program request gives its seat back: the next waiting request is promoted (`SeatRelease`).
    const { programId, segment } = request
    const seat: Step[] =
      programId !== null && segment !== null ? [['seat', Segment.releaseSeat(programId, segment)]] : []
    await transact(
      store,
      [
        ['request', requestTransition(request, 'unmatched', now)],
        ...seat,
        [
          'event',
          outbox(
            createEvent(
              RequestEvents.Unmatched,
              {
                requestId: request.id,
                programId: request.programId,
                segment: request.segment,
                region: request.region,
                sector: request.sector,
                sizeClass: request.sizeClass,
                needs: request.needs,
                reason: 'no-eligible-mentor',
                freedSeat: seat.length > 0,
              },
              now,
            ),
          ),
        ],
      ],
      { explain: () => new ConflictError('Request changed', 'stale') },
    )
    return { outcome: 'unmatched' }
  } catch (error) {
    if (error instanceof ConflictError) return { outcome: 'skipped', reason: 'changed' }
    throw error
  }
}

/** Scores are shown to people: four decimals say all there is to say. */
const round = (value: number) => Math.round(value * 10_000) / 10_000

function roundAll(breakdown: object): Record<string, number> {
  return Object.fromEntries(Object.entries(breakdown).map(([name, value]) => [name, round(Number(value))]))
}
