import { envelopeFromBus } from '@pendamping/core/bus'
import { REPORT_CONSUMER, recordEvent } from '@pendamping/core/report'
import type { EventBridgeEvent } from 'aws-lambda'
import { logger } from '../logger.ts'
import { useRuntime } from '../runtime.ts'

/**
 * Keeps the report counters current (docs/contract/reports.md). Unlike the other consumers it does not claim the event
 * first (`consumeOnce`): the processed marker goes in the same transaction as the counter `ADD`s,
 * conditioned on not existing, so an event is counted exactly once even if this function dies halfway
 * or EventBridge delivers twice. A failure is thrown and the delivery retried.
 */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const envelope = envelopeFromBus(event)
  const { store, clock } = useRuntime()
  await logger.withKeys({ correlation_id: envelope.id, consumer: REPORT_CONSUMER }, async () => {
    const outcome = await recordEvent(store, envelope, clock.now())
    logger.info('event consumed', { type: envelope.type, outcome })
  })
}
