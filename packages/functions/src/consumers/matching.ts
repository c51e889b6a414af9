import { makeBestOffer } from '@pendamping/core/matching/candidates'
import { OfferEvents } from '@pendamping/core/offer/events'
import { RequestEvents } from '@pendamping/core/request/events'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * Instant matching (SPEC §5): a request that needs a mentor — just submitted, promoted from the
 * waitlist, or after a decline or an expiry — gets the best eligible mentor's offer, or becomes
 * `unmatched` once its matching window has passed.
 */
export const handler = consumer('InstantMatch', async (event, { store, clock }) => {
  let requestId: string | undefined
  if (isEvent(event, RequestEvents.Submitted)) {
    if (event.detail.status !== 'matching') return
    requestId = event.detail.requestId
  } else if (isEvent(event, RequestEvents.Promoted)) requestId = event.detail.requestId
  else if (isEvent(event, OfferEvents.Declined) || isEvent(event, OfferEvents.Expired))
    requestId = event.detail.requestId
  if (!requestId) return
  const result = await makeBestOffer(store, clock, requestId)
  logger.info('instant match', { requestId, outcome: result.outcome })
})
