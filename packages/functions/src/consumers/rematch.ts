import { rematchForMentor } from '@pendamping/core/matching'
import { MentorEvents } from '@pendamping/core/mentor'
import { OfferEvents } from '@pendamping/core/offer'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * Supply re-matching (docs/contract/matching.md): when a mentor can take on more — approved, resumed or reinstated, a
 * capacity raised, an engagement closed, an offer declined, expired or withdrawn — the requests
 * already waiting for a mentor are matched again at once, longest-waiting first, within the mentor's
 * free seats.
 */
export const handler = consumer('SupplyMatch', async (event, { store, clock }) => {
  let mentorId: string | undefined
  if (isEvent(event, MentorEvents.Approved)) mentorId = event.detail.mentorId
  else if (isEvent(event, MentorEvents.Updated)) {
    if (event.detail.status === 'active') mentorId = event.detail.mentorId
  } else if (
    isEvent(event, OfferEvents.EngagementEnded) ||
    isEvent(event, OfferEvents.Declined) ||
    isEvent(event, OfferEvents.Expired) ||
    isEvent(event, OfferEvents.Withdrawn)
  )
    mentorId = event.detail.mentorId
  if (!mentorId) return
  const result = await rematchForMentor(store, clock, mentorId)
  if (result.attempts > 0) logger.info('supply rematch', { mentorId, ...result })
})
