import { envelopeFromBus } from '@pendamping/core/bus'
import { consumeOnce } from '@pendamping/core/consumer'
import type { EventEnvelope } from '@pendamping/core/event'
import type { Context, EventBridgeEvent } from 'aws-lambda'
import { logger } from '../logger.ts'
import { type Runtime, useRuntime } from '../runtime.ts'

export { isEvent } from '@pendamping/core/event'

/** The invocation an action runs in: how long it can still run (the Lambda context's remaining time). */
export interface Invocation {
  /** Milliseconds left before the function is stopped; undefined when not known (a direct call). */
  remainingMs(): number | undefined
}

export type ConsumerAction = (event: EventEnvelope, runtime: Runtime, invocation: Invocation) => Promise<void>

/**
 * A bus consumer's Lambda handler: reads the EventBridge event back into its checked envelope and
 * acts on it once for this consumer (invariant 6), with the event id as correlation id in every log
 * line. The claim on the event is leased for the invocation's remaining time, so a timed-out or
 * killed attempt never leaves a claim that outlives it: Lambda's retry acts again. A failure is
 * thrown, so EventBridge (or the local bus) retries the delivery.
 *
 * @example
 * export const handler = consumer('InstantMatch', async (event, { store, clock }) => { … })
 */
export function consumer(name: string, act: ConsumerAction) {
  return async function handler(
    event: EventBridgeEvent<string, unknown>,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<void> {
    const envelope = envelopeFromBus(event)
    const runtime = useRuntime()
    const invocation: Invocation = { remainingMs: () => context?.getRemainingTimeInMillis?.() }
    await logger.withKeys({ correlation_id: envelope.id, consumer: name }, async () => {
      const outcome = await consumeOnce(
        runtime.store,
        runtime.clock,
        name,
        envelope.id,
        () => act(envelope, runtime, invocation),
        { leaseMs: invocation.remainingMs() },
      )
      logger.info('event consumed', { type: envelope.type, outcome })
    })
  }
}
