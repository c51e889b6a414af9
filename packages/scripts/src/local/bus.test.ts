import { envelopeFromBus } from '@pendamping/core/bus'
import { createEvent } from '@pendamping/core/event'
import { FeedbackEvents } from '@pendamping/core/feedback'
import { OfferEvents } from '@pendamping/core/offer'
import { type Rule, rules as wiredRules } from '@pendamping/functions/wiring'
import { beforeEach, describe, expect, it } from 'vitest'
import { received } from './bus.fixture.ts'
import { LocalBus } from './bus.ts'

const rules: Rule[] = [
  {
    name: 'FeedbackCounter',
    detailTypes: ['FeedbackReceived', 'SessionCompleted'],
    handler: 'packages/scripts/src/local/bus.fixture.recordFeedback',
  },
  { name: 'Missing', detailTypes: ['OfferMade'], handler: 'packages/scripts/src/local/nowhere.handler' },
]
const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const occurredAt = new Date('2026-03-02T01:02:03.004Z')

function feedback(rating: number) {
  return createEvent(
    FeedbackEvents.Received,
    { sessionId: 'session-1', requestId: 'request-1', mentorId: 'mentor-1', programId: 'program-1', rating },
    occurredAt,
  )
}

beforeEach(() => {
  received.length = 0
})

describe('Local bus', () => {
  it("invokes the matching rule's handler with the event in EventBridge's format", async () => {
    const bus = new LocalBus({ rules, logger: quiet })
    const event = feedback(5)

    const result = await bus.publish([event])
    await bus.settled()

    expect(result).toEqual({ failed: [], retried: 0 })
    expect(received).toEqual([
      {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'FeedbackReceived',
        source: 'pendamping',
        account: '000000000000',
        time: '2026-03-02T01:02:03Z',
        region: 'ap-southeast-3',
        resources: [],
        detail: {
          metadata: { id: event.id, version: 1, occurredAt: '2026-03-02T01:02:03.004Z' },
          data: {
            sessionId: 'session-1',
            requestId: 'request-1',
            mentorId: 'mentor-1',
            programId: 'program-1',
            rating: 5,
          },
        },
      },
    ])
    expect(Object.keys(received[0] ?? {})).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ])
    // What consumers do with it: back to the envelope, checked against the contract.
    expect(envelopeFromBus(received[0] ?? { 'detail-type': '', detail: {} })).toEqual(event)
    expect(bus.deliveries).toMatchObject([
      { rule: 'FeedbackCounter', handler: rules[0]?.handler, status: 'delivered', attempts: 1 },
    ])
  })

  it('delivers only to rules whose detail-types match', async () => {
    const bus = new LocalBus({ rules, logger: quiet })
    const declined = createEvent(
      OfferEvents.Declined,
      { offerId: 'o', requestId: 'r', mentorId: 'm', programId: null, region: '35.73', reason: 'busy' },
      occurredAt,
    )

    await bus.publish([declined])
    await bus.settled()

    expect(bus.deliveries).toEqual([])
    expect(received).toEqual([])
  })

  it('publishes without waiting for the handlers, as EventBridge invokes them asynchronously', async () => {
    const bus = new LocalBus({ rules, logger: quiet })

    await bus.publish([feedback(4)])

    expect(bus.deliveries).toMatchObject([{ status: 'pending' }])
    await bus.settled()
    expect(bus.deliveries).toMatchObject([{ status: 'delivered' }])
  })

  it('retries a failing handler, then records the delivery as failed', async () => {
    const bus = new LocalBus({ rules, logger: quiet, maxAttempts: 3, retryDelayMs: 1 })

    await bus.publish([feedback(1), feedback(3)])
    await bus.settled()

    expect(bus.deliveries).toMatchObject([
      { status: 'failed', attempts: 3, error: 'Error: refused on purpose' },
      { status: 'delivered', attempts: 1 },
    ])
    expect(received.map((event) => (event.detail.data as { rating: number }).rating)).toEqual([3])
  })

  it('records a rule whose handler does not exist as a failed delivery', async () => {
    const bus = new LocalBus({ rules, logger: quiet, maxAttempts: 1 })
    const made = createEvent(
      OfferEvents.Made,
      {
        offerId: 'o',
        requestId: 'r',
        mentorId: 'm',
        programId: null,
        region: '35.73',
        expiresAt: '2026-03-04T01:02:03.004Z',
        score: 0.5,
      },
      occurredAt,
    )

    await bus.publish([made])
    await bus.settled()

    expect(bus.deliveries).toMatchObject([{ rule: 'Missing', status: 'failed', attempts: 1 }])
    expect(bus.deliveries[0]?.error).toMatch(
      /Handler packages\/scripts\/src\/local\/nowhere.handler not found/,
    )
  })

  it('defaults to the rules infra wires (packages/functions/src/wiring.ts)', () => {
    expect(new LocalBus().rules).toBe(wiredRules)
    expect(new LocalBus({ rules }).rules).toBe(rules)
  })
})
