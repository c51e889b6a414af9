import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import type { EventBus, PublishResult } from '@pendamping/core/bus'
import type { EventEnvelope } from '@pendamping/core/event'
import { EventBridgeBus } from '@pendamping/core/eventbridge'
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPublisher, PublisherMetric } from './publisher.ts'

/*
 * A batch as Lambda delivers it from the table's stream (NEW_AND_OLD_IMAGES), in AWS's documented
 * format: an outbox INSERT, an ordinary item's MODIFY, a second outbox INSERT and a published outbox
 * item removed by TTL (REMOVE by the DynamoDB service principal).
 */
const streamArn =
  'arn:aws:dynamodb:ap-southeast-3:123456789012:table/pendamping-production-TableTable-hsfmdwvc/stream/2026-02-20T08:15:42.118'

const submitted: DynamoDBRecord = {
  eventID: '7de3041dd709b024af6f29e4fa13d34c',
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ap-southeast-3',
  dynamodb: {
    ApproximateCreationDateTime: 1772413323,
    Keys: { sk: { S: 'EVENT' }, pk: { S: 'EVENT#Qm9vdHN0cmFwRXZlbnQx' } },
    NewImage: {
      expiresAt: { N: '1773018123' },
      sk: { S: 'EVENT' },
      pk: { S: 'EVENT#Qm9vdHN0cmFwRXZlbnQx' },
      entity: { S: 'event' },
      version: { N: '1' },
      event: {
        M: {
          id: { S: 'Qm9vdHN0cmFwRXZlbnQx' },
          type: { S: 'RequestSubmitted' },
          version: { N: '1' },
          occurredAt: { S: '2026-03-02T01:02:03.004Z' },
          detail: {
            M: {
              requestId: { S: 'cmVxdWVzdC0wMDAwMDAx' },
              programId: { S: 'cHJvZ3JhbS1tYWxhbmc' },
              segment: { S: 'umum' },
              region: { S: '35.73' },
              sector: { S: 'kuliner' },
              sizeClass: { S: 'mikro' },
              needs: { L: [{ S: 'branding' }, { S: 'social_media' }] },
              mode: { S: 'online' },
              languages: { L: [{ S: 'id' }, { S: 'jv' }] },
              status: { S: 'matching' },
              submittedAt: { S: '2026-03-02T01:02:03.004Z' },
            },
          },
        },
      },
    },
    SequenceNumber: '1405400000000010387405791',
    SizeBytes: 498,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: streamArn,
}

const requestModified: DynamoDBRecord = {
  eventID: 'c2b1f0a3e8d74b15a1e9f6d3c7b2a410',
  eventName: 'MODIFY',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ap-southeast-3',
  dynamodb: {
    ApproximateCreationDateTime: 1772413324,
    Keys: { sk: { S: 'REQUEST' }, pk: { S: 'REQUEST#cmVxdWVzdC0wMDAwMDAx' } },
    NewImage: {
      sk: { S: 'REQUEST' },
      pk: { S: 'REQUEST#cmVxdWVzdC0wMDAwMDAx' },
      entity: { S: 'request' },
      version: { N: '1' },
      status: { S: 'offered' },
    },
    OldImage: {
      sk: { S: 'REQUEST' },
      pk: { S: 'REQUEST#cmVxdWVzdC0wMDAwMDAx' },
      entity: { S: 'request' },
      version: { N: '1' },
      status: { S: 'matching' },
    },
    SequenceNumber: '1405500000000010387406112',
    SizeBytes: 164,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: streamArn,
}

const offerMade: DynamoDBRecord = {
  eventID: '0f6a7d2c9e3b41d8b5a6c1e4f7d8a902',
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ap-southeast-3',
  dynamodb: {
    ApproximateCreationDateTime: 1772413324,
    Keys: { sk: { S: 'EVENT' }, pk: { S: 'EVENT#T2ZmZXJNYWRlRXZlbnQy' } },
    NewImage: {
      expiresAt: { N: '1773018124' },
      sk: { S: 'EVENT' },
      pk: { S: 'EVENT#T2ZmZXJNYWRlRXZlbnQy' },
      entity: { S: 'event' },
      version: { N: '1' },
      event: {
        M: {
          id: { S: 'T2ZmZXJNYWRlRXZlbnQy' },
          type: { S: 'OfferMade' },
          version: { N: '1' },
          occurredAt: { S: '2026-03-02T01:02:04.250Z' },
          detail: {
            M: {
              offerId: { S: 'b2ZmZXItMDAwMDAwMQ' },
              requestId: { S: 'cmVxdWVzdC0wMDAwMDAx' },
              mentorId: { S: 'bWVudG9yLTAwMDAwMDc' },
              programId: { S: 'cHJvZ3JhbS1tYWxhbmc' },
              region: { S: '35.73' },
              expiresAt: { S: '2026-03-04T01:02:04.250Z' },
              score: { N: '0.87' },
            },
          },
        },
      },
    },
    SequenceNumber: '1405600000000010387406350',
    SizeBytes: 421,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: streamArn,
}

const expiredOutbox: DynamoDBRecord = {
  eventID: '5e1c9b7a3d2f4e6081a7b9c2d4e6f813',
  eventName: 'REMOVE',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ap-southeast-3',
  dynamodb: {
    ApproximateCreationDateTime: 1772413325,
    Keys: { sk: { S: 'EVENT' }, pk: { S: 'EVENT#T2xkRXZlbnQwMDAwMDAx' } },
    OldImage: {
      expiresAt: { N: '1772154000' },
      sk: { S: 'EVENT' },
      pk: { S: 'EVENT#T2xkRXZlbnQwMDAwMDAx' },
      entity: { S: 'event' },
      version: { N: '1' },
      event: {
        M: {
          id: { S: 'T2xkRXZlbnQwMDAwMDAx' },
          type: { S: 'RequestDeleted' },
          version: { N: '1' },
          occurredAt: { S: '2026-02-20T01:00:00.000Z' },
          detail: { M: { requestId: { S: 'cmVxdWVzdC0wMDAwMDAw' }, programId: { NULL: true } } },
        },
      },
    },
    SequenceNumber: '1405700000000010387406771',
    SizeBytes: 203,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
  eventSourceARN: streamArn,
}

const batch: DynamoDBStreamEvent = { Records: [submitted, requestModified, offerMade, expiredOutbox] }

/** What the two outbox records carry. */
const submittedEvent: EventEnvelope = {
  id: 'Qm9vdHN0cmFwRXZlbnQx',
  type: 'RequestSubmitted',
  version: 1,
  occurredAt: '2026-03-02T01:02:03.004Z',
  detail: {
    requestId: 'cmVxdWVzdC0wMDAwMDAx',
    programId: 'cHJvZ3JhbS1tYWxhbmc',
    segment: 'umum',
    region: '35.73',
    sector: 'kuliner',
    sizeClass: 'mikro',
    needs: ['branding', 'social_media'],
    mode: 'online',
    languages: ['id', 'jv'],
    status: 'matching',
    submittedAt: '2026-03-02T01:02:03.004Z',
  },
}
const offerMadeEvent: EventEnvelope = {
  id: 'T2ZmZXJNYWRlRXZlbnQy',
  type: 'OfferMade',
  version: 1,
  occurredAt: '2026-03-02T01:02:04.250Z',
  detail: {
    offerId: 'b2ZmZXItMDAwMDAwMQ',
    requestId: 'cmVxdWVzdC0wMDAwMDAx',
    mentorId: 'bWVudG9yLTAwMDAwMDc',
    programId: 'cHJvZ3JhbS1tYWxhbmc',
    region: '35.73',
    expiresAt: '2026-03-04T01:02:04.250Z',
    score: 0.87,
  },
}

/** One second after the OfferMade event, 2.246 s after RequestSubmitted. */
const clock = { now: () => new Date('2026-03-02T01:02:05.250Z') }

/** A bus that refuses the events it is told to, and records what it was given. */
function fakeBus(refuse: (event: EventEnvelope) => boolean = () => false) {
  const published: EventEnvelope[][] = []
  const bus: EventBus = {
    async publish(events): Promise<PublishResult> {
      published.push([...events])
      const failed = events
        .filter(refuse)
        .map((event) => ({ event, code: 'InternalFailure', message: 'boom' }))
      return { failed, retried: failed.length }
    },
  }
  return { bus, published }
}

/** Powertools Metrics whose EMF blobs are kept for the test instead of printed. */
function recordingMetrics() {
  const metrics = new Metrics({ namespace: 'Pendamping', serviceName: 'publisher' })
  const flushed: Record<string, unknown>[] = []
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    flushed.push({ ...metrics.serializeMetrics() })
    metrics.clearMetrics()
    return metrics
  })
  return { metrics, flushed }
}

function quietLogger() {
  const logger = new Logger({ serviceName: 'publisher' })
  const info = vi.spyOn(logger, 'info').mockImplementation(() => {})
  const error = vi.spyOn(logger, 'error').mockImplementation(() => {})
  return { logger, info, error }
}

describe('Stream publisher', () => {
  it('publishes the outbox INSERTs of a batch in one go and ignores every other record', async () => {
    const { bus, published } = fakeBus()
    const { metrics, flushed } = recordingMetrics()
    const { logger, info } = quietLogger()

    const response = await createPublisher({ bus, metrics, logger, clock })(batch)

    expect(response).toEqual({ batchItemFailures: [] })
    expect(published).toEqual([[submittedEvent, offerMadeEvent]])
    expect(flushed).toHaveLength(1)
    expect(flushed[0]).toMatchObject({
      [PublisherMetric.published]: 2,
      [PublisherMetric.failed]: 0,
      [PublisherMetric.retried]: 0,
      [PublisherMetric.lag]: [2246, 1000],
      service: 'publisher',
    })
    // Logs carry the event id as the correlation id.
    expect(info).toHaveBeenCalledWith(
      'Event published',
      expect.objectContaining({
        correlation_id: 'T2ZmZXJNYWRlRXZlbnQy',
        eventType: 'OfferMade',
        lagMs: 1000,
      }),
    )
  })

  it('reports the record of an event the bus refused through batchItemFailures, and does not throw', async () => {
    const { bus } = fakeBus((event) => event.type === 'OfferMade')
    const { metrics, flushed } = recordingMetrics()
    const { logger, error } = quietLogger()

    const response = await createPublisher({ bus, metrics, logger, clock })(batch)

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1405600000000010387406350' }] })
    expect(flushed[0]).toMatchObject({
      [PublisherMetric.published]: 1,
      [PublisherMetric.failed]: 1,
      [PublisherMetric.retried]: 1,
      [PublisherMetric.lag]: 2246,
    })
    expect(error).toHaveBeenCalledWith(
      'Event not published',
      expect.objectContaining({ correlation_id: 'T2ZmZXJNYWRlRXZlbnQy', code: 'InternalFailure' }),
    )
  })

  it('reports every record when the whole batch fails, rather than throwing', async () => {
    const { bus } = fakeBus(() => true)
    const { metrics } = recordingMetrics()

    const response = await createPublisher({ bus, metrics, logger: quietLogger().logger, clock })({
      Records: [submitted, offerMade],
    })

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: '1405400000000010387405791' },
      { itemIdentifier: '1405600000000010387406350' },
    ])
  })

  it('reports the outbox records when the bus itself throws', async () => {
    const bus: EventBus = { publish: () => Promise.reject(new Error('socket hang up')) }
    const { metrics, flushed } = recordingMetrics()

    const response = await createPublisher({ bus, metrics, logger: quietLogger().logger, clock })(batch)

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: '1405400000000010387405791' },
      { itemIdentifier: '1405600000000010387406350' },
    ])
    expect(flushed[0]).toMatchObject({ [PublisherMetric.published]: 0, [PublisherMetric.failed]: 2 })
  })

  it('reports an outbox record whose event cannot be read, and publishes the rest', async () => {
    const broken: DynamoDBRecord = structuredClone(submitted)
    const image = broken.dynamodb?.NewImage
    if (image) image.event = { M: { id: { S: 'Qm9vdHN0cmFwRXZlbnQx' }, type: { S: 'RequestSubmitted' } } }
    const { bus, published } = fakeBus()
    const { metrics } = recordingMetrics()

    const response = await createPublisher({ bus, metrics, logger: quietLogger().logger, clock })({
      Records: [broken, offerMade],
    })

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1405400000000010387405791' }] })
    expect(published).toEqual([[offerMadeEvent]])
  })

  it('does not call the bus, nor emit metrics, for a batch without outbox events', async () => {
    const { bus, published } = fakeBus()
    const { metrics, flushed } = recordingMetrics()

    const response = await createPublisher({ bus, metrics, logger: quietLogger().logger, clock })({
      Records: [requestModified, expiredOutbox],
    })

    expect(response).toEqual({ batchItemFailures: [] })
    expect(published).toEqual([])
    expect(flushed).toEqual([])
  })
})

describe('Stream publisher on EventBridge', () => {
  const client = new EventBridgeClient({ region: 'ap-southeast-3', maxAttempts: 1 })
  const eventBridge = mockClient(client)
  beforeEach(() => eventBridge.reset())

  it('sends the PutEvents calls for the batch, retries the refused entry, then reports its record', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: input.Entries.filter(
        (entry: { DetailType: string }) => entry.DetailType === 'OfferMade',
      ).length,
      Entries: input.Entries.map((entry: { DetailType: string }) =>
        entry.DetailType === 'OfferMade'
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' }
          : { EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' },
      ),
    }))
    const bus = new EventBridgeBus({ client, busName: 'pendamping-production-BusBus', sleep: async () => {} })
    const { metrics, flushed } = recordingMetrics()

    const response = await createPublisher({ bus, metrics, logger: quietLogger().logger, clock })(batch)

    const calls = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input)
    const offerEntry = {
      EventBusName: 'pendamping-production-BusBus',
      Source: 'pendamping',
      DetailType: 'OfferMade',
      Detail: JSON.stringify({
        metadata: { id: 'T2ZmZXJNYWRlRXZlbnQy', version: 1, occurredAt: '2026-03-02T01:02:04.250Z' },
        data: offerMadeEvent.detail,
      }),
      Time: new Date('2026-03-02T01:02:04.250Z'),
      Resources: [],
    }
    expect(calls).toEqual([
      {
        Entries: [
          {
            EventBusName: 'pendamping-production-BusBus',
            Source: 'pendamping',
            DetailType: 'RequestSubmitted',
            Detail: JSON.stringify({
              metadata: { id: 'Qm9vdHN0cmFwRXZlbnQx', version: 1, occurredAt: '2026-03-02T01:02:03.004Z' },
              data: submittedEvent.detail,
            }),
            Time: new Date('2026-03-02T01:02:03.004Z'),
            Resources: [],
          },
          offerEntry,
        ],
      },
      { Entries: [offerEntry] },
      { Entries: [offerEntry] },
      { Entries: [offerEntry] },
    ])
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1405600000000010387406350' }] })
    expect(flushed[0]).toMatchObject({
      [PublisherMetric.published]: 1,
      [PublisherMetric.failed]: 1,
      [PublisherMetric.retried]: 3,
    })
  })
})
