import {
  AccessDeniedException,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { createEvent, type EventEnvelope } from '../event/index.ts'
import { FeedbackEvents } from '../feedback/events.ts'
import { RequestEvents } from '../request/events.ts'
import { EventBridgeBus, entrySize, MAX_BYTES_PER_CALL } from './eventbridge.ts'

const client = new EventBridgeClient({ region: 'ap-southeast-3', maxAttempts: 1 })
const eventBridge = mockClient(client)
const occurredAt = new Date('2026-03-02T01:02:03.004Z')

let delays: number[] = []
function bus(options: { maxAttempts?: number } = {}) {
  return new EventBridgeBus({
    client,
    busName: 'pendamping-test-Bus',
    ...options,
    // The largest delay full jitter can pick, recorded instead of waited.
    random: () => 0.999_999,
    sleep: async (ms) => {
      delays.push(ms)
    },
  })
}

function feedback(rating: number): EventEnvelope {
  return createEvent(
    FeedbackEvents.Received,
    { sessionId: `session-${rating}`, requestId: 'request-1', mentorId: 'mentor-1', programId: null, rating },
    occurredAt,
  )
}

/** The entry EventBridge must receive for an event: nothing else, nothing less. */
function entryOf(event: EventEnvelope): PutEventsRequestEntry {
  return {
    EventBusName: 'pendamping-test-Bus',
    Source: 'pendamping',
    DetailType: event.type,
    Detail: JSON.stringify({
      metadata: { id: event.id, version: event.version, occurredAt: event.occurredAt },
      data: event.detail,
    }),
    Time: occurredAt,
    Resources: [],
  }
}

function sent(): PutEventsRequestEntry[][] {
  return eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? [])
}

const accepted = (count: number) => ({
  FailedEntryCount: 0,
  Entries: Array.from({ length: count }, (_, index) => ({ EventId: `eb-${index}` })),
})

beforeEach(() => {
  eventBridge.reset()
  delays = []
})

describe('EventBridge bus', () => {
  it('sends each event as one entry: source pendamping, its type, its metadata and data, the time it occurred', async () => {
    eventBridge.on(PutEventsCommand).resolves(accepted(2))
    const events = [feedback(5), feedback(4)]

    const result = await bus().publish(events)

    expect(result).toEqual({ failed: [], retried: 0 })
    expect(sent()).toEqual([events.map(entryOf)])
    expect(JSON.parse(sent()[0]?.[0]?.Detail ?? '')).toEqual({
      metadata: { id: events[0]?.id, version: 1, occurredAt: '2026-03-02T01:02:03.004Z' },
      data: {
        sessionId: 'session-5',
        requestId: 'request-1',
        mentorId: 'mentor-1',
        programId: null,
        rating: 5,
      },
    })
  })

  it('sends at most 10 entries per call', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries.length))
    const events = Array.from({ length: 23 }, (_, index) => feedback((index % 5) + 1))

    await bus().publish(events)

    expect(sent().map((entries) => entries.length)).toEqual([10, 10, 3])
    expect(sent().flat()).toEqual(events.map(entryOf))
  })

  it('keeps each call under 256 KB, counted as EventBridge counts entries', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries.length))
    // ~100 KB of detail each: two fit in a call, three do not.
    const big = Array.from({ length: 5 }, () =>
      createEvent(
        RequestEvents.Unmatched,
        {
          requestId: 'request-1',
          programId: null,
          segment: null,
          region: '35.73',
          sector: 'kuliner',
          sizeClass: 'mikro',
          needs: ['branding'],
          reason: 'x'.repeat(100_000),
        },
        occurredAt,
      ),
    )

    await bus().publish(big)

    expect(sent().map((entries) => entries.length)).toEqual([2, 2, 1])
    for (const entries of sent()) {
      expect(entries.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(
        MAX_BYTES_PER_CALL,
      )
    }
  })

  it('sends again only the entries EventBridge refused, after a backoff', async () => {
    const events = [feedback(1), feedback(2), feedback(3)]
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' },
          { EventId: 'eb-1' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        ],
      })
      .resolvesOnce(accepted(2))

    const result = await bus().publish(events)

    expect(result).toEqual({ failed: [], retried: 2 })
    expect(sent()).toEqual([
      events.map(entryOf),
      [entryOf(events[0] as EventEnvelope), entryOf(events[2] as EventEnvelope)],
    ])
    expect(delays).toEqual([99])
  })

  it('sends the whole call again when EventBridge throttles it, backing off exponentially', async () => {
    const events = [feedback(1), feedback(2)]
    const throttled = () =>
      new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce(accepted(2))

    const result = await bus().publish(events)

    expect(result).toEqual({ failed: [], retried: 4 })
    expect(sent()).toEqual([events.map(entryOf), events.map(entryOf), events.map(entryOf)])
    expect(delays).toEqual([99, 199])
  })

  it('reports the entries still refused after the last attempt, and the others as published', async () => {
    const events = [feedback(1), feedback(2)]
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((entry: PutEventsRequestEntry) =>
        entry.Detail?.includes('"rating":1')
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' }
          : { EventId: 'eb' },
      ),
    }))

    const result = await bus({ maxAttempts: 3 }).publish(events)

    expect(result).toEqual({
      failed: [{ event: events[0], code: 'InternalFailure', message: 'Internal Service Failure' }],
      retried: 2,
    })
    expect(sent()).toEqual([
      events.map(entryOf),
      [entryOf(events[0] as EventEnvelope)],
      [entryOf(events[0] as EventEnvelope)],
    ])
    expect(delays).toEqual([99, 199])
  })

  it('does not retry what cannot succeed: a malformed entry, or a call it may not make', async () => {
    const events = [feedback(1), feedback(2)]
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'eb-0' },
          { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
        ],
      })
      .rejectsOnce(
        new AccessDeniedException({ message: 'not authorized', $metadata: { httpStatusCode: 400 } }),
      )

    const first = await bus().publish(events)
    const second = await bus().publish([feedback(3)])

    expect(first.failed).toEqual([
      { event: events[1], code: 'MalformedDetail', message: 'Detail is malformed.' },
    ])
    expect(second.failed).toMatchObject([{ code: 'AccessDeniedException', message: 'not authorized' }])
    expect(sent()).toHaveLength(2)
    expect(delays).toEqual([])
  })

  it('reports an event too large for any call without sending it', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries.length))
    const huge = createEvent(
      RequestEvents.Unmatched,
      {
        requestId: 'request-1',
        programId: null,
        segment: null,
        region: '35.73',
        sector: 'kuliner',
        sizeClass: 'mikro',
        needs: ['branding'],
        reason: 'x'.repeat(MAX_BYTES_PER_CALL),
      },
      occurredAt,
    )
    const small = feedback(5)

    const result = await bus().publish([huge, small])

    expect(result.failed).toMatchObject([{ event: huge, code: 'EntryTooLarge' }])
    expect(sent()).toEqual([[entryOf(small)]])
  })
})
