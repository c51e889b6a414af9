/**
 * The parts of a person's erasure that live beyond the item they asked from (UU PDP right to erasure;
 * docs/contract/data-protection.md#erasure): each is walked from the person's key — a request's
 * sessions and engagement, a participant's registrations — so a field added later to those items is
 * found by the same walk, and each is safe to repeat (events are delivered at least once).
 */

import { Registration } from '../adapters/dynamo/entities/class.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { MentorLoad } from '../adapters/dynamo/entities/mentor-load.ts'
import { Acceptance, Offer } from '../adapters/dynamo/entities/offer.ts'
import { Session } from '../adapters/dynamo/entities/session.ts'
import { everyItem, get, type Step, transact, write } from '../adapters/dynamo/index.ts'
import { eraseRegistration } from '../class/register.ts'
import type { EngagementItem } from '../engagement/item.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { eraseFeedbackOfRequest } from '../feedback/index.ts'
import { OfferEvents } from '../offer/events.ts'
import { getRequest } from '../request/access.ts'
import { requestTransition } from '../request/change.ts'
import { cancelFutureSessions } from '../session/index.ts'
import type { Clock, Store } from '../store.ts'

const PAGE = 50

/** What an owner's erasure reached beyond the request item: counts only, for the log line. */
export interface OwnerErasure {
  sessions: number
  comments: number
  declineNotes: number
  engagementEnded: boolean
}

/** Why a business ended its engagement: its data erased, or its consent to matching and contact withdrawn. */
export type EndCause = 'erasure' | 'consent-withdrawn'

/**
 * Ends the request's engagement if it still runs, because its business left (erasure or consent
 * withdrawn): sessions still to come cancelled (their slots freed, reminders dropped by
 * `SessionCancelled`), then one transaction: the engagement `ended`, the mentor's seat freed
 * (`active - 1`), the request `completed`, and `EngagementEnded` with its `cause` — the
 * `Notifications` consumer tells the mentor. Safe to repeat: an engagement already closed is left.
 * @returns whether it ended it now
 */
export async function endEngagementOfRequest(
  store: Store,
  clock: Clock,
  requestId: string,
  cause: EndCause,
): Promise<boolean> {
  const acceptance = await get(store, Acceptance, { requestId })
  const engagement = acceptance && (await get(store, Engagement, { id: acceptance.engagementId }))
  if (!engagement || (engagement.status !== 'active' && engagement.status !== 'needs_decision')) return false
  await cancelFutureSessions(store, clock, engagement)
  const fresh = (await get(store, Engagement, { id: engagement.id })) as EngagementItem
  const request = await getRequest(store, requestId)
  const now = clock.now()
  const at = now.toISOString()
  const steps: Step[] = [
    [
      'engagement',
      Engagement.update(
        fresh,
        { set: { status: 'ended', endedAt: at, updatedAt: at } },
        { when: fresh.status === 'active' ? Engagement.active : Engagement.awaitingDecision },
      ),
    ],
    ['load', MentorLoad.release(fresh.mentorId, at)],
    [
      'event',
      outbox(
        createEvent(
          OfferEvents.EngagementEnded,
          {
            engagementId: fresh.id,
            requestId: fresh.requestId,
            mentorId: fresh.mentorId,
            programId: fresh.programId,
            outcome: 'ended',
            cause,
          },
          now,
        ),
      ),
    ],
  ]
  if (request?.status === 'active') steps.push(['request', requestTransition(request, 'completed', now)])
  const lost = new ConflictError('Engagement changed meanwhile', 'stale')
  try {
    await transact(store, steps, { explain: () => lost })
  } catch (error) {
    if (error !== lost) throw error
    return false
  }
  return true
}

/**
 * Everything about an owner beyond their request item (which `DELETE /v1/requests/{id}` erased in
 * its own transaction), for the `Erasure` consumer of `PersonErased`:
 * - a running engagement ends ({@link endEngagementOfRequest}); every engagement note's text is
 *   blanked (its date and outcomes stay, anonymous counts);
 * - every session loses its place, meeting link and notes;
 * - every feedback comment is erased (ratings stay);
 * - decline notes mentors wrote about the request are erased (the reason stays).
 */
export async function eraseOwnerRecords(
  store: Store,
  clock: Clock,
  requestId: string,
): Promise<OwnerErasure> {
  const engagementEnded = await endEngagementOfRequest(store, clock, requestId, 'erasure')
  const engagements = new Set<string>()
  let sessions = 0
  for await (const session of everyItem(store, Session.ofRequest(requestId), PAGE)) {
    engagements.add(session.engagementId)
    if (session.place === null && session.notes === null && session.meetingUrl === null) continue
    const set = { place: null, notes: null, meetingUrl: null, updatedAt: clock.now().toISOString() }
    await write(store, Session.update(session, { set }))
    sessions++
  }
  const acceptance = await get(store, Acceptance, { requestId })
  if (acceptance) engagements.add(acceptance.engagementId)
  for (const id of engagements) {
    const engagement = await get(store, Engagement, { id })
    if (!engagement || engagement.progress.every((note) => note.note === '')) continue
    const progress = engagement.progress.map((note) => ({ ...note, note: '' }))
    await write(store, Engagement.update(engagement, { set: { progress } }))
  }
  const comments = await eraseFeedbackOfRequest(store, clock, requestId)
  const declineNotes = await eraseDeclineNotes(store, requestId)
  return { sessions, comments, declineNotes, engagementEnded }
}

/** Decline notes about a request, on the offers of the mentors who declined it. */
async function eraseDeclineNotes(store: Store, requestId: string): Promise<number> {
  const request = await getRequest(store, requestId)
  if (!request) return 0
  let erased = 0
  for (const mentorId of request.excludedMentorIds) {
    for await (const offer of everyItem(store, Offer.ofMentor(mentorId), PAGE)) {
      if (offer.requestId !== requestId || !offer.decline?.note) continue
      await write(store, Offer.update(offer, { set: { decline: { ...offer.decline, note: null } } }))
      erased++
    }
  }
  return erased
}

/**
 * Everything about a participant beyond their participant item (deleted by the erasure itself), for
 * the `Erasure` consumer: every registration releases the place it holds (the next in line takes a
 * freed seat) and keeps only anonymous facts. Answers how many registrations it reached.
 */
export async function eraseParticipantRecords(
  store: Store,
  clock: Clock,
  participantId: string,
): Promise<number> {
  let reached = 0
  for await (const registration of everyItem(store, Registration.ofParticipant(participantId), PAGE)) {
    await eraseRegistration(store, clock, registration)
    reached++
  }
  return reached
}
