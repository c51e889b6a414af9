import { eraseFeedbackOfRequest } from '@pendamping/core/feedback/index'
import { RequestEvents } from '@pendamping/core/request/events'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * The rest of an owner's erasure (UU PDP): the request itself is erased by `DELETE /v1/requests/{id}`
 * in one transaction; what the owner wrote elsewhere — their feedback comments — goes here.
 */
export const handler = consumer('Erasure', async (event, { store, clock }) => {
  if (!isEvent(event, RequestEvents.Deleted)) return
  const erased = await eraseFeedbackOfRequest(store, clock, event.detail.requestId)
  logger.info('erased', { requestId: event.detail.requestId, comments: erased })
})
