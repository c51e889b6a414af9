/**
 * What the fault tests share: waiting for a condition instead of sleeping, an owner's request body,
 * an EventBridge event as the bus delivers it, and the closing check every fault test ends with.
 */

import { toBusDetail } from '@pendamping/core/bus'
import { EVENT_SOURCE, type EventEnvelope } from '@pendamping/core/event'
import type { EventBridgeEvent } from 'aws-lambda'

/**
 * Polls `condition` until it returns something truthy and answers it; fails with `message` (and the
 * last value seen) after `timeout` ms. Fault tests wait on what the system does, never on the clock.
 */
export async function waitFor<T>(
  condition: () => Promise<T> | T,
  { timeout = 20_000, interval = 100, message }: { timeout?: number; interval?: number; message: string },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout
  let last: T | undefined
  for (;;) {
    last = await condition()
    if (last) return last as NonNullable<T>
    if (Date.now() > deadline)
      throw new Error(`${message} (still ${JSON.stringify(last)} after ${timeout} ms)`)
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}

/** The body of one owner's `POST /v1/requests`, with a phone of its own. */
export function requestBody(n: number, overrides: Record<string, unknown> = {}) {
  return {
    business: {
      name: `Warung Fault ${n}`,
      ownerName: 'Sri Rahayu',
      phone: `0813 ${String(1000 + Math.floor(n / 10_000)).slice(-4)} ${String(n % 10_000).padStart(4, '0')}`,
      region: '35.73',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp'],
    },
    needs: ['social_media'],
    description: 'Ingin jualan keripik lewat Instagram.',
    mode: 'either',
    languages: ['id'],
    availability: [{ day: 'mon', from: '10:00', to: '15:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
    ...overrides,
  }
}

/** An event as EventBridge hands it to a consumer (what the local bus builds too). */
export function busEvent(envelope: EventEnvelope): EventBridgeEvent<string, ReturnType<typeof toBusDetail>> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': envelope.type,
    source: EVENT_SOURCE,
    account: '000000000000',
    time: envelope.occurredAt,
    region: 'ap-southeast-3',
    resources: [],
    detail: toBusDetail(envelope),
  }
}

/** A Lambda context that says how long the invocation has left. */
export const lambdaContext = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs })
