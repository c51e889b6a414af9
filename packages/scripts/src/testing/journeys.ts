/**
 * Synthetic request journeys as the events they would emit, from a seed: the recount test, the
 * report page test and demos drive the counters with them. Only anonymous facts, as in real events.
 */
import { createEvent, type EventEnvelope } from '@pendamping/core/event'
import { FeedbackEvents } from '@pendamping/core/feedback'
import { OfferEvents } from '@pendamping/core/offer'
import { seededRandom } from '@pendamping/core/random'
import { RequestEvents } from '@pendamping/core/request'
import { SessionEvents } from '@pendamping/core/session'
import { OUTCOMES, TOPICS } from '@pendamping/core/topic'

/** A request's anonymous facts as the request item holds them (what the counters consumer reads). */
export interface JourneyRequest {
  id: string
  region: string
  programId: string | null
  segment: string | null
  submittedAt: string
}

export interface Journeys {
  requests: JourneyRequest[]
  /** Every event, in the order it happened. */
  events: EventEnvelope[]
}

export interface JourneyOptions {
  count: number
  seed?: number
  /** Programs requests may belong to (a third come without one). */
  programs?: readonly string[]
  regions?: readonly string[]
  mentors?: readonly string[]
  /** First possible submission; journeys spread over the following `spanDays`. */
  start?: string
  spanDays?: number
}

const HOUR = 3_600_000

/**
 * A random mix of journeys: waitlisted then promoted or cancelled, offers declined or expired, matched
 * or unmatched, sessions completed, cancelled or missed, ratings, progress notes, closed engagements,
 * erasures. Each journey's events are in time order; journeys interleave.
 */
export function generateJourneys(options: JourneyOptions): Journeys {
  const random = seededRandom(options.seed ?? 1)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const chance = (p: number) => random() < p
  const programs = options.programs ?? ['prog-malang', 'prog-jatim']
  const regions = options.regions ?? ['35.73.01', '35.73.02', '35.73', '35.07.01', '32.73.01']
  const mentors = options.mentors ?? ['mentor-a', 'mentor-b', 'mentor-c', 'mentor-d', 'mentor-e']
  const start = Date.parse(options.start ?? '2026-01-01T00:00:00+07:00')
  const span = (options.spanDays ?? 150) * 24 * HOUR
  const requests: JourneyRequest[] = []
  const events: EventEnvelope[] = []

  for (let n = 0; n < options.count; n++) {
    const id = `req-${options.seed ?? 1}-${n}`
    const programId = chance(0.66) ? pick(programs) : null
    const segment = programId ? pick(['umum', 'asn']) : null
    const region = pick(regions)
    let at = start + Math.floor(random() * span)
    const iso = () => new Date(at).toISOString()
    const later = (maxHours: number) => {
      at += Math.max(1, Math.floor(random() * maxHours * HOUR))
      return new Date(at)
    }
    const submittedAt = iso()
    requests.push({ id, region, programId, segment, submittedAt })
    const business = {
      requestId: id,
      programId,
      segment,
      region,
      sector: pick(['kuliner', 'fesyen', 'kerajinan', 'jasa']),
      sizeClass: pick(['mikro', 'kecil', 'menengah'] as const),
      needs: [...new Set([pick(TOPICS), pick(TOPICS)])],
    }
    let status: 'matching' | 'waitlisted' = programId && chance(0.25) ? 'waitlisted' : 'matching'
    events.push(
      createEvent(
        RequestEvents.Submitted,
        { ...business, mode: 'online', languages: ['id'], status, submittedAt },
        new Date(at),
      ),
    )
    if (status === 'waitlisted') {
      if (chance(0.4)) {
        events.push(
          createEvent(
            RequestEvents.Cancelled,
            { ...business, previousStatus: 'waitlisted', freedSeat: false },
            later(200),
          ),
        )
        continue
      }
      const promotedAt = later(300)
      events.push(
        createEvent(
          RequestEvents.Promoted,
          { ...business, promotedAt: promotedAt.toISOString() },
          promotedAt,
        ),
      )
      status = 'matching'
    }
    let matched: { mentorId: string; engagementId: string } | undefined
    for (let attempt = 0; attempt < 4 && !matched; attempt++) {
      if (chance(0.08)) {
        events.push(
          createEvent(RequestEvents.Unmatched, { ...business, reason: 'no-candidates' }, later(120)),
        )
        break
      }
      const offer = {
        offerId: `${id}-o${attempt}`,
        requestId: id,
        mentorId: pick(mentors),
        programId,
        region,
      }
      const madeAt = later(attempt === 0 ? 6 : 48)
      events.push(
        createEvent(
          OfferEvents.Made,
          { ...offer, expiresAt: new Date(madeAt.getTime() + 48 * HOUR).toISOString(), score: 0.8 },
          madeAt,
        ),
      )
      const answer = random()
      if (answer < 0.55) {
        const acceptedAt = later(2 ** (random() * 9))
        const engagementId = `${id}-e`
        events.push(
          createEvent(
            OfferEvents.Accepted,
            { ...offer, engagementId, submittedAt, acceptedAt: acceptedAt.toISOString() },
            acceptedAt,
          ),
        )
        matched = { mentorId: offer.mentorId, engagementId }
      } else if (answer < 0.62) {
        events.push(
          createEvent(
            RequestEvents.Cancelled,
            { ...business, previousStatus: 'offered', freedSeat: !!programId },
            later(24),
          ),
        )
        break
      } else if (answer < 0.82) {
        events.push(createEvent(OfferEvents.Declined, { ...offer, reason: 'busy' }, later(24)))
      } else {
        events.push(createEvent(OfferEvents.Expired, offer, new Date(madeAt.getTime() + 48 * HOUR)))
        at = madeAt.getTime() + 48 * HOUR
      }
      if (attempt === 3 && !matched) {
        events.push(createEvent(RequestEvents.Unmatched, { ...business, reason: 'window' }, later(24)))
      }
    }
    if (matched) {
      const sessions = Math.floor(random() * 5)
      for (let s = 0; s < sessions; s++) {
        const startsAt = later(24 * 10)
        const minutes = pick([45, 60, 90, 120])
        const session = {
          sessionId: `${id}-s${s}`,
          engagementId: matched.engagementId,
          requestId: id,
          mentorId: matched.mentorId,
          programId,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + minutes * 60_000).toISOString(),
          timeZone: 'Asia/Jakarta',
          mode: pick(['online', 'offline'] as const),
          topics: business.needs,
        }
        events.push(createEvent(SessionEvents.Scheduled, session, new Date(startsAt.getTime() - 72 * HOUR)))
        const fate = random()
        if (fate < 0.7) {
          const completedAt = new Date(startsAt.getTime() + minutes * 60_000)
          at = completedAt.getTime()
          const outcomes = chance(0.6) ? [pick(OUTCOMES)] : []
          events.push(
            createEvent(
              SessionEvents.Completed,
              { ...session, outcomes, completedAt: completedAt.toISOString() },
              completedAt,
            ),
          )
          if (chance(0.6)) {
            events.push(
              createEvent(
                FeedbackEvents.Received,
                {
                  sessionId: session.sessionId,
                  requestId: id,
                  mentorId: matched.mentorId,
                  programId,
                  rating: 1 + Math.floor(random() * 5),
                },
                later(48),
              ),
            )
          }
        } else if (fate < 0.85) {
          events.push(
            createEvent(
              SessionEvents.Cancelled,
              { ...session, by: pick(['mentor', 'owner'] as const) },
              later(24),
            ),
          )
        } else {
          events.push(createEvent(SessionEvents.NoShow, session, new Date(startsAt.getTime() + HOUR)))
          at = startsAt.getTime() + HOUR
        }
      }
      const engagement = {
        engagementId: matched.engagementId,
        requestId: id,
        mentorId: matched.mentorId,
        programId,
      }
      if (chance(0.3)) {
        events.push(
          createEvent(OfferEvents.ProgressRecorded, { ...engagement, outcomes: [pick(OUTCOMES)] }, later(48)),
        )
      }
      if (chance(0.5)) {
        events.push(
          createEvent(
            OfferEvents.EngagementEnded,
            { ...engagement, outcome: pick(['completed', 'ended'] as const) },
            later(72),
          ),
        )
      }
    }
    if (chance(0.05))
      events.push(createEvent(RequestEvents.Deleted, { requestId: id, programId }, later(100)))
  }
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
  return { requests, events }
}
