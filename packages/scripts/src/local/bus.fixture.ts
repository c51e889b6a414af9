import type { EventBridgeEvent } from 'aws-lambda'

/** Events the fixture consumer received, in order; read by `bus.test.ts`. */
export const received: EventBridgeEvent<string, { data: { rating?: number } }>[] = []

/** A consumer as a rule's handler string names it: records what it gets, refuses ratings of 1. */
export async function recordFeedback(event: EventBridgeEvent<string, { data: { rating?: number } }>) {
  if (event.detail.data.rating === 1) throw new Error('refused on purpose')
  received.push(event)
}
