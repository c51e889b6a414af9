import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import type { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { type EventBus, fromStreamImage, type PublishFailure, type PublishResult } from '@pendamping/core/bus'
import { type EventEnvelope, envelopeOf } from '@pendamping/core/event'
import { EventBridgeBus } from '@pendamping/core/eventbridge'
import { type Clock, systemClock } from '@pendamping/core/store'
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { Resource } from 'sst/resource'
import { logger as defaultLogger, scrubMessage } from '../logger.ts'

/** Metric names, in one place so the README, dashboards and tests agree. */
export const PublisherMetric = {
  /** Outbox events EventBridge accepted. */
  published: 'EventsPublished',
  /** Outbox events not accepted after every retry (their records go back to the stream), plus unreadable outbox records. */
  failed: 'EventsFailed',
  /** Entries sent to EventBridge again after a refused entry or a throttled call. */
  retried: 'EventsRetried',
  /** Per published event: milliseconds from `occurredAt` (the transaction) to the bus accepting it. */
  lag: 'ConsumerLag',
} as const

export interface PublisherOptions {
  bus: EventBus
  logger?: Logger
  metrics?: Metrics
  clock?: Clock
}

/** The table's stream subscription (with `ReportBatchItemFailures` on the event source mapping). */
export type PublisherHandler = (
  event: DynamoDBStreamEvent,
  context?: Context,
) => Promise<DynamoDBBatchResponse>

/** An outbox record whose event could not be read; it fails until the dead-letter queue takes it. */
export class UnreadableOutboxRecordError extends Error {
  constructor(cause: unknown) {
    super('Outbox record does not hold a readable event', { cause })
    this.name = 'UnreadableOutboxRecordError'
  }
}

/** The bus refused this record's event; reporting the record makes the stream deliver it again. */
export class EventNotPublishedError extends Error {
  constructor(failure: PublishFailure) {
    super(`Event ${failure.event.id} not published: ${failure.code}`)
    this.name = 'EventNotPublishedError'
  }
}

/**
 * The stream publisher: the outbox events among a batch of the table's stream records (INSERTs of
 * `entity: 'event'` items; everything else is ignored) go to the bus in one publish, which batches
 * and retries them. Records whose event the bus still refused, or whose event cannot be read, are
 * reported through `batchItemFailures` (Powertools batch), never thrown: the stream then delivers
 * again from the first of them, and after the event source mapping's retries the record goes to the
 * dead-letter queue. Events before it are not held back; a record delivered again may republish an
 * event, which consumers absorb because they are idempotent on the event id (invariant 6).
 *
 * @example
 * const handler = createPublisher({ bus: new LocalBus() })
 * const { batchItemFailures } = await handler(streamEvent)
 */
export function createPublisher(options: PublisherOptions): PublisherHandler {
  const logger = options.logger ?? defaultLogger
  const metrics = options.metrics ?? defaultMetrics()
  const clock = options.clock ?? systemClock

  return async function publishOutbox(event, context) {
    if (context) logger.addContext(context)
    const outbox = new Map<DynamoDBRecord, EventEnvelope>()
    const unreadable = new Map<DynamoDBRecord, UnreadableOutboxRecordError>()
    for (const record of event.Records) {
      try {
        const envelope = outboxEventOf(record)
        if (envelope) outbox.set(record, envelope)
      } catch (error) {
        const failure = new UnreadableOutboxRecordError(error)
        unreadable.set(record, failure)
        logger.error('Unreadable outbox record', {
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: failure,
        })
      }
    }

    const events = [...outbox.values()]
    const result = events.length > 0 ? await publishSafely(options.bus, events) : { failed: [], retried: 0 }
    const failures = new Map(result.failed.map((failure) => [failure.event.id, failure]))
    const publishedAt = clock.now().getTime()
    for (const published of events) {
      const failure = failures.get(published.id)
      if (failure) {
        logger.error('Event not published', {
          correlation_id: published.id,
          eventType: published.type,
          code: failure.code,
          reason: failure.message,
        })
        continue
      }
      const lagMs = Math.max(0, publishedAt - Date.parse(published.occurredAt))
      metrics.addMetric(PublisherMetric.lag, MetricUnit.Milliseconds, lagMs)
      logger.info('Event published', { correlation_id: published.id, eventType: published.type, lagMs })
    }
    if (events.length > 0 || unreadable.size > 0) {
      metrics.addMetric(PublisherMetric.published, MetricUnit.Count, events.length - failures.size)
      metrics.addMetric(PublisherMetric.failed, MetricUnit.Count, failures.size + unreadable.size)
      metrics.addMetric(PublisherMetric.retried, MetricUnit.Count, result.retried)
      metrics.publishStoredMetrics()
    }

    const processor = new BatchProcessor(EventType.DynamoDBStreams)
    const response = await processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        const unread = unreadable.get(record)
        if (unread) throw unread
        const envelope = outbox.get(record)
        const failure = envelope && failures.get(envelope.id)
        if (failure) throw new EventNotPublishedError(failure)
      },
      processor,
      { ...(context ? { context } : {}), throwOnFullBatchFailure: false },
    )
    return { batchItemFailures: response.batchItemFailures }
  }
}

/** The outbox event an INSERT record carries, or undefined for any other record. */
function outboxEventOf(record: DynamoDBRecord): EventEnvelope | undefined {
  const image = record.dynamodb?.NewImage
  if (record.eventName !== 'INSERT' || !image) return undefined
  return envelopeOf(fromStreamImage(image))
}

/** A bus that throws (a bug, or an outage the adapter did not expect) fails every event, still reported. */
async function publishSafely(bus: EventBus, events: EventEnvelope[]): Promise<PublishResult> {
  try {
    return await bus.publish(events)
  } catch (error) {
    const message = error instanceof Error ? scrubMessage(error.message) : 'unknown failure'
    return { failed: events.map((event) => ({ event, code: 'PublishError', message })), retried: 0 }
  }
}

function defaultMetrics(): Metrics {
  return new Metrics({ namespace: 'Pendamping', serviceName: 'publisher' })
}

let wired: PublisherHandler | undefined

/**
 * The Lambda entry point, on the table's stream. Wired on the first invocation rather than at module
 * load, because the local stack imports {@link createPublisher} from this module without a linked
 * `Bus`, and SST's `Resource` throws for an unlinked resource. The client does not retry by itself:
 * the bus adapter's backoff is the one retry policy.
 */
export const handler: PublisherHandler = (event, context) => {
  wired ??= createPublisher({
    bus: new EventBridgeBus({
      client: new EventBridgeClient({ maxAttempts: 1 }),
      busName: Resource.Bus.name,
    }),
  })
  return wired(event, context)
}
