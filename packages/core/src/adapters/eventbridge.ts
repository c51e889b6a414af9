import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge'
import type { EventBus, PublishFailure, PublishResult } from '../bus/bus.ts'
import { toBusDetail } from '../bus/bus.ts'
import { EVENT_SOURCE, type EventEnvelope } from '../event/index.ts'

/** PutEvents takes at most 10 entries per call… */
export const MAX_ENTRIES_PER_CALL = 10
/** …and at most 256 KB of entries, counted as EventBridge counts them (see {@link entrySize}). */
export const MAX_BYTES_PER_CALL = 256 * 1024

/**
 * Entry error codes that sending again cannot fix (EventBridge's `PutEventsResultEntry` reference
 * lists `InternalFailure` and `ThrottlingException` as the retryable ones). Unknown codes are retried.
 */
const PERMANENT_ENTRY_ERRORS = new Set([
  'AccessDeniedException',
  'InvalidAccountIdException',
  'InvalidArgument',
  'MalformedDetail',
  'RedactionFailure',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
])

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
])

export interface EventBridgeBusOptions {
  client: EventBridgeClient
  /** The bus's name (`Resource.Bus.name`). */
  busName: string
  /** Calls per entry, the first included, before it is reported as failed. Default 4. */
  maxAttempts?: number
  /** The backoff before the first retry; it doubles each retry, up to {@link maxDelayMs}. Default 100 ms. */
  baseDelayMs?: number
  /** Default 2 000 ms. */
  maxDelayMs?: number
  /** Injectable for tests, which assert the delays instead of waiting them out. */
  sleep?: (ms: number) => Promise<void>
  /** A number in [0, 1); `Math.random` by default. */
  random?: () => number
}

interface Pending {
  event: EventEnvelope
  entry: PutEventsRequestEntry
  code: string
  message: string
}

/**
 * The AWS side of {@link EventBus}: EventBridge `PutEvents`, source `pendamping`, `detail-type` the
 * event's type, `detail` its {@link toBusDetail | metadata and data}, `time` when it occurred.
 *
 * Events go in calls of at most 10 entries and 256 KB. When EventBridge refuses some entries of a
 * call (`FailedEntryCount`, per-entry `ErrorCode`), only those are sent again; when it throttles or
 * fails the whole call, the call is sent again. Retries wait an exponential backoff with full jitter
 * (a random delay up to `base × 2^retry`, capped), and after `maxAttempts` the remaining entries are
 * reported as failed, never thrown. Build the client with `maxAttempts: 1` so this is the only retry policy.
 *
 * @example
 * const bus = new EventBridgeBus({ client: new EventBridgeClient({ maxAttempts: 1 }), busName: Resource.Bus.name })
 * const { failed } = await bus.publish(events)
 */
export class EventBridgeBus implements EventBus {
  readonly #client: EventBridgeClient
  readonly #busName: string
  readonly #maxAttempts: number
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number
  readonly #sleep: (ms: number) => Promise<void>
  readonly #random: () => number

  constructor(options: EventBridgeBusOptions) {
    this.#client = options.client
    this.#busName = options.busName
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 4)
    this.#baseDelayMs = options.baseDelayMs ?? 100
    this.#maxDelayMs = options.maxDelayMs ?? 2_000
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.#random = options.random ?? Math.random
  }

  async publish(events: readonly EventEnvelope[]): Promise<PublishResult> {
    const result: PublishResult = { failed: [], retried: 0 }
    const sendable: Pending[] = []
    for (const event of events) {
      const entry = this.#entryOf(event)
      if (entrySize(entry) > MAX_BYTES_PER_CALL) {
        // No call can carry it; sending it would fail the whole call for its neighbours too.
        result.failed.push({ event, code: 'EntryTooLarge', message: `over ${MAX_BYTES_PER_CALL} bytes` })
      } else {
        sendable.push({ event, entry, code: '', message: '' })
      }
    }
    for (const call of chunk(sendable)) {
      await this.#send(call, result)
    }
    return result
  }

  #entryOf(event: EventEnvelope): PutEventsRequestEntry {
    return {
      EventBusName: this.#busName,
      Source: EVENT_SOURCE,
      DetailType: event.type,
      Detail: JSON.stringify(toBusDetail(event)),
      Time: new Date(event.occurredAt),
      Resources: [],
    }
  }

  /** Sends one call's entries, then only the ones that failed for a reason worth retrying. */
  async #send(call: Pending[], result: PublishResult): Promise<void> {
    let pending = call
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        if (attempt > this.#maxAttempts) break
        result.retried += pending.length
        await this.#sleep(this.#backoff(attempt - 1))
      }
      let retry: Pending[] = []
      try {
        const output = await this.#client.send(
          new PutEventsCommand({ Entries: pending.map((item) => item.entry) }),
        )
        const entries = output.Entries ?? []
        pending.forEach((item, index) => {
          const answer = entries[index]
          // A missing answer is a failure we cannot see the cause of: worth another try.
          const code = answer ? answer.ErrorCode : 'MissingResultEntry'
          if (!code) return
          const failure = { ...item, code, message: answer?.ErrorMessage ?? '' }
          if (PERMANENT_ENTRY_ERRORS.has(code)) result.failed.push(report(failure))
          else retry.push(failure)
        })
      } catch (error) {
        const { code, message, retryable } = describe(error)
        const failed = pending.map((item) => ({ ...item, code, message }))
        if (!retryable) {
          result.failed.push(...failed.map(report))
          return
        }
        retry = failed
      }
      pending = retry
    }
    result.failed.push(...pending.map(report))
  }

  /** Full jitter: uniformly random in [0, min(cap, base × 2^(retry−1))). */
  #backoff(retry: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (retry - 1))
    return Math.floor(this.#random() * ceiling)
  }
}

function report(item: Pending): PublishFailure {
  return { event: item.event, code: item.code, message: item.message }
}

/**
 * An entry's size as EventBridge counts it against the 256 KB limit: 14 bytes for `Time`, then the
 * UTF-8 bytes of `Source`, `DetailType`, `Detail` and each of `Resources`.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: string | undefined) => (text ? Buffer.byteLength(text, 'utf8') : 0)
  return (
    (entry.Time ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  )
}

/** Splits entries, in order, into calls of at most 10 entries and 256 KB. */
function chunk(items: Pending[]): Pending[][] {
  const calls: Pending[][] = []
  let current: Pending[] = []
  let size = 0
  for (const item of items) {
    const itemSize = entrySize(item.entry)
    if (current.length === MAX_ENTRIES_PER_CALL || size + itemSize > MAX_BYTES_PER_CALL) {
      calls.push(current)
      current = []
      size = 0
    }
    current.push(item)
    size += itemSize
  }
  if (current.length > 0) calls.push(current)
  return calls
}

/** Whether a failed call is worth sending again: throttling, and anything that is not the caller's fault. */
function describe(error: unknown): { code: string; message: string; retryable: boolean } {
  const failure = error as { name?: unknown; message?: unknown; $fault?: unknown; $retryable?: unknown }
  const code = typeof failure?.name === 'string' ? failure.name : 'Error'
  const message = typeof failure?.message === 'string' ? failure.message : String(error)
  const retryable =
    THROTTLING_ERRORS.has(code) || Boolean(failure?.$retryable) || failure?.$fault !== 'client'
  return { code, message, retryable }
}
