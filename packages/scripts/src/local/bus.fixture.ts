import { logger } from '@pendamping/functions/logger'
import type { EventBridgeEvent } from 'aws-lambda'

/** Events the fixture consumer received, in order; read by `bus.test.ts`. */
export const received: EventBridgeEvent<string, { data: { rating?: number } }>[] = []

/** A consumer as a rule's handler string names it: records what it gets, refuses ratings of 1. */
export async function recordFeedback(event: EventBridgeEvent<string, { data: { rating?: number } }>) {
  if (event.detail.data.rating === 1) throw new Error('refused on purpose')
  received.push(event)
}

/**
 * A consumer that logs as the real ones do (an `outcome` on its record), after a wait as long as the
 * rating in ms, so deliveries overlap; refuses ratings of 1.
 */
export async function countFeedback(event: EventBridgeEvent<string, { data: { rating?: number } }>) {
  const rating = event.detail.data.rating ?? 0
  await new Promise((resolve) => setTimeout(resolve, rating * 5))
  if (rating === 1) throw new Error('refused on purpose')
  logger.info('event consumed', { type: event['detail-type'], outcome: `rated-${rating}` })
}
