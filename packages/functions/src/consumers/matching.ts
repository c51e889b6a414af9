import { makeBestOffer } from '@pendamping/core/matching'
import { ERASED_MENTOR, OfferEvents, SUSPENDED_MENTOR } from '@pendamping/core/offer'
import { RequestEvents } from '@pendamping/core/request'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * Instant matching (docs/contract/matching.md): a request that needs a mentor — just submitted, promoted from the
 * waitlist, after a decline or an expiry, or handed back because its mentor was suspended or left — gets the
 * best eligible mentor's offer, or becomes `unmatched` once its matching window has passed.
 */
export const handler = consumer('InstantMatch', async (event, { store, clock }) => {
  let requestId: string | undefined
  if (isEvent(event, RequestEvents.Submitted)) {
    if (event.detail.status !== 'matching') return
    requestId = event.detail.requestId
  } else if (isEvent(event, RequestEvents.Promoted)) requestId = event.detail.requestId
  else if (isEvent(event, OfferEvents.Declined) || isEvent(event, OfferEvents.Expired))
    requestId = event.detail.requestId
  // Handed back because the mentor was suspended or erased their data: the offer withdrawn, or the
  // engagement reassigned (by staff, or by the erasure itself).
  else if (
    isEvent(event, OfferEvents.Withdrawn) &&
    (event.detail.reason === SUSPENDED_MENTOR || event.detail.reason === ERASED_MENTOR)
  )
    requestId = event.detail.requestId
  else if (isEvent(event, OfferEvents.EngagementReassigned)) requestId = event.detail.requestId
  if (!requestId) return
  const result = await makeBestOffer(store, clock, requestId)
  logger.info('instant match', { requestId, outcome: result.outcome })
})
