import { envelopeFromBus } from '@pendamping/core/event/bus'
import { consumeOnce } from '@pendamping/core/event/consumer'
import type { EventEnvelope } from '@pendamping/core/event/index'
import type { EventBridgeEvent } from 'aws-lambda'
import { logger } from '../logger.ts'
import { type Runtime, useRuntime } from '../runtime.ts'

export { isEvent } from '@pendamping/core/event/index'

export type ConsumerAction = (event: EventEnvelope, runtime: Runtime) => Promise<void>

/**
 * A bus consumer's Lambda handler: reads the EventBridge event back into its checked envelope and
 * acts on it at most once for this consumer (invariant 6), with the event id as correlation id in
 * every log line. A failure is thrown, so EventBridge (or the local bus) retries the delivery.
 *
 * @example
 * export const handler = consumer('InstantMatch', async (event, { store, clock }) => { … })
 */
export function consumer(name: string, act: ConsumerAction) {
  return async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
    const envelope = envelopeFromBus(event)
    const runtime = useRuntime()
    logger.appendKeys({ correlation_id: envelope.id, consumer: name })
    try {
      const outcome = await consumeOnce(runtime.store, runtime.clock, name, envelope.id, () =>
        act(envelope, runtime),
      )
      logger.info('event consumed', { type: envelope.type, outcome })
    } finally {
      logger.removeKeys(['correlation_id', 'consumer'])
    }
  }
}
