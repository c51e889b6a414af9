import { AsyncLocalStorage } from 'node:async_hooks'
import { existsSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type BusDetail, type EventBus, type PublishResult, toBusDetail } from '@pendamping/core/bus'
import { EVENT_SOURCE, type EventEnvelope } from '@pendamping/core/event'
import { logger as defaultLogger, scrubMessage } from '@pendamping/functions/logger'
import { type Rule, rules as wiredRules } from '@pendamping/functions/wiring'
import type { Context, EventBridgeEvent } from 'aws-lambda'
import { lambdaContext } from './stream-worker.ts'

/** The repository root, which handler strings (`packages/functions/src/….handler`) are relative to. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export type BusEvent = EventBridgeEvent<string, BusDetail>

/** A consumer as the bus invokes it: an EventBridge event and a Lambda context; the result is ignored. */
export type ConsumerHandler = (event: BusEvent, context: Context) => Promise<unknown>

/** One event handed to one rule's function, as EventBridge's invocation record would say. */
export interface Delivery {
  rule: string
  handler: string
  event: BusEvent
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  /** The last error, when an attempt failed. */
  error?: string
}

export interface LocalBusOptions {
  /** Default: the rules `infra/` wires (`packages/functions/src/wiring.ts`). */
  rules?: readonly Rule[]
  /** Where handler paths start. Default: the repository root. */
  root?: string
  region?: string
  account?: string
  /** Invocations per delivery, as Lambda's asynchronous invocation (1 + 2 retries). Default 3. */
  maxAttempts?: number
  /** Wait before each retry, doubled each time. Default 200 ms. */
  retryDelayMs?: number
  /**
   * How long one invocation may run, as the function's timeout on AWS (`infra/function.ts`: 30 s):
   * the handler's context says so (a consumer leases its claim for that long), and an invocation
   * still running then counts as failed ("Task timed out") and is retried. Unlike Lambda, nothing
   * can stop it locally: it runs on, and its writes are conditional.
   */
  timeoutMs?: number
  /** Where deliveries that failed every attempt are appended (JSON lines), for `npm run dlq:redrive`. */
  deadLetterFile?: string
  logger?: Pick<typeof defaultLogger, 'info' | 'warn' | 'error'>
  /** Told once per published event, when every delivery of it has ended (at once when no rule matched). */
  onEvent?: (report: EventReport) => void
}

/** A delivery that failed every attempt: what the consumer function's dead-letter queue holds on AWS. */
export interface BusDeadLetter {
  source: 'bus'
  rule: string
  /** The EventBridge event, as the SQS message body of Lambda's dead-letter queue holds it. */
  event: BusEvent
  attempts: number
  reason: string
  at: string
}

/** What became of one published event: its deliveries, ended, and how long they took altogether. */
export interface EventReport {
  event: BusEvent
  /** One per matching rule, each `delivered` or `failed`; empty when no rule matched. */
  deliveries: Delivery[]
  /** From publishing to the end of the last delivery. */
  ms: number
}

const delivering = new AsyncLocalStorage<Delivery>()

/**
 * The delivery whose handler is running, inside that handler (and everything it awaits); undefined
 * elsewhere. Lets the local console tell which delivery a log record belongs to.
 */
export function currentDelivery(): Delivery | undefined {
  return delivering.getStore()
}

/**
 * The EventBridge bus for `npm start`: each published event goes, in EventBridge's event format, to
 * the function of every rule that matches its `detail-type` (the same {@link Rule}s `infra/` turns
 * into EventBridge rules), loaded from its SST handler string. As on AWS, publishing only enqueues:
 * functions run asynchronously, a failed invocation is retried, and every delivery is recorded in
 * {@link LocalBus.deliveries} for tests and developers to inspect.
 *
 * @example
 * const bus = new LocalBus()
 * await bus.publish([event])
 * await bus.settled()
 * bus.deliveries // [{ rule: 'InstantMatch', status: 'delivered', … }]
 */
export class LocalBus implements EventBus {
  /** Every event published, in order, whether or not a rule matched it. */
  readonly published: EventEnvelope[] = []
  readonly deliveries: Delivery[] = []
  /** Deliveries that failed every attempt, oldest first (also appended to `deadLetterFile`). */
  readonly deadLetters: BusDeadLetter[] = []
  /** The rules this bus applies. */
  readonly rules: readonly Rule[]
  readonly #root: string
  readonly #region: string
  readonly #account: string
  readonly #maxAttempts: number
  readonly #retryDelayMs: number
  readonly #logger: NonNullable<LocalBusOptions['logger']>
  readonly #onEvent: LocalBusOptions['onEvent']
  readonly #timeoutMs: number
  readonly #deadLetterFile: string | undefined
  readonly #inFlight = new Set<Promise<void>>()
  readonly #handlers = new Map<string, Promise<ConsumerHandler>>()

  constructor(options: LocalBusOptions = {}) {
    this.rules = options.rules ?? wiredRules
    this.#root = options.root ?? REPO_ROOT
    this.#region = options.region ?? 'ap-southeast-3'
    this.#account = options.account ?? '000000000000'
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3)
    this.#retryDelayMs = options.retryDelayMs ?? 200
    this.#logger = options.logger ?? defaultLogger
    this.#onEvent = options.onEvent
    this.#timeoutMs = options.timeoutMs ?? 30_000
    this.#deadLetterFile = options.deadLetterFile
  }

  /** Accepts every event (there is nothing to throttle locally) and delivers it in the background. */
  async publish(events: readonly EventEnvelope[]): Promise<PublishResult> {
    for (const envelope of events) {
      this.published.push(envelope)
      const event = this.#eventBridgeEvent(envelope)
      const started = performance.now()
      const deliveries: Delivery[] = []
      const runs: Promise<void>[] = []
      for (const rule of this.rules) {
        if (!rule.detailTypes.includes(envelope.type)) continue
        const delivery: Delivery = {
          rule: rule.name,
          handler: rule.handler,
          event,
          status: 'pending',
          attempts: 0,
        }
        this.deliveries.push(delivery)
        deliveries.push(delivery)
        runs.push(this.#track(this.#deliver(delivery)))
      }
      const onEvent = this.#onEvent
      if (onEvent) {
        const report = () => {
          try {
            onEvent({ event, deliveries, ms: Math.round(performance.now() - started) })
          } catch (error) {
            console.error('LocalBus onEvent failed', error)
          }
        }
        this.#track(Promise.all(runs).then(report))
      }
    }
    return { failed: [], retried: 0 }
  }

  /** Counts a promise (which never rejects) as in flight until it settles. */
  #track(work: Promise<void>): Promise<void> {
    const running = work.finally(() => this.#inFlight.delete(running))
    this.#inFlight.add(running)
    return running
  }

  /** Resolves when every delivery started so far, and any they caused, has finished. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight])
  }

  #eventBridgeEvent(envelope: EventEnvelope): BusEvent {
    return {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': envelope.type,
      source: EVENT_SOURCE,
      account: this.#account,
      // PutEvents sends `Time` = occurredAt; EventBridge renders it to the second.
      time: new Date(envelope.occurredAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.#region,
      resources: [],
      detail: toBusDetail(envelope),
    }
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const correlation = { correlation_id: delivery.event.detail.metadata.id, rule: delivery.rule }
    let lastError: unknown
    let wait = 0
    /** Waits for a claim another invocation holds; bounded, so a claim that never lapses still ends. */
    let heldFor = 0
    while (delivery.attempts < this.#maxAttempts) {
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      delivery.attempts++
      try {
        const handler = await this.#load(delivery.handler)
        await delivering.run(delivery, () =>
          this.#withTimeout(
            handler(delivery.event, lambdaContext(delivery.rule, this.#region, this.#timeoutMs)),
          ),
        )
        delivery.status = 'delivered'
        delete delivery.error
        return
      } catch (error) {
        lastError = error
        delivery.error =
          error instanceof Error ? `${error.name}: ${scrubMessage(error.message)}` : 'unknown failure'
        wait = this.#retryDelayMs * 2 ** (delivery.attempts - 1)
        const held = claimHeldFor(error)
        if (held !== undefined && heldFor < 2 * this.#timeoutMs) {
          // Another invocation is on it (a redelivery) or died holding it: on AWS the retry comes a
          // minute later, after its lease. Here, wait for that lease without spending an attempt.
          delivery.attempts--
          wait = Math.min(Math.max(wait, held + 50), this.#timeoutMs)
          heldFor += wait
          continue
        }
        this.#logger.warn('Local bus delivery failed', {
          ...correlation,
          attempt: delivery.attempts,
          error: delivery.error,
        })
      }
    }
    delivery.status = 'failed'
    this.#logger.error('Local bus delivery gave up', {
      ...correlation,
      attempts: delivery.attempts,
      // The Error itself, so the log shows its stack (Powertools serialises it).
      error: lastError instanceof Error ? lastError : delivery.error,
    })
    await this.#deadLetter({
      source: 'bus',
      rule: delivery.rule,
      event: delivery.event,
      attempts: delivery.attempts,
      reason: delivery.error ?? 'failed',
      at: new Date().toISOString(),
    })
  }

  /** An invocation that outlives the function's timeout fails, as Lambda's "Task timed out". */
  #withTimeout(run: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`Task timed out after ${(this.#timeoutMs / 1000).toFixed(2)} seconds`)
        error.name = 'TimeoutError'
        reject(error)
      }, this.#timeoutMs)
      timer.unref?.()
    })
    // An invocation abandoned at its timeout may still fail later: nobody is listening then.
    run.catch(() => undefined)
    return Promise.race([run, timedOut]).finally(() => clearTimeout(timer))
  }

  async #deadLetter(letter: BusDeadLetter): Promise<void> {
    this.deadLetters.push(letter)
    if (!this.#deadLetterFile) return
    try {
      await appendFile(this.#deadLetterFile, `${JSON.stringify(letter)}\n`)
    } catch (error) {
      this.#logger.error('Could not record a dead letter', { error: error as Error })
    }
  }

  /** Imports `dir/file.exportName` relative to the root, as SST resolves a handler string. */
  #load(handler: string): Promise<ConsumerHandler> {
    let loading = this.#handlers.get(handler)
    if (!loading) {
      loading = importHandler(this.#root, handler)
      // A failed import (a typo, a syntax error being fixed) is tried again on the next delivery.
      loading.catch(() => this.#handlers.delete(handler))
      this.#handlers.set(handler, loading)
    }
    return loading
  }
}

/** How long the claim that refused this invocation is still held, when that is why it failed. */
function claimHeldFor(error: unknown): number | undefined {
  const failure = error as { name?: unknown; retryAfterMs?: unknown } | null
  return failure?.name === 'ClaimHeldError' && typeof failure.retryAfterMs === 'number'
    ? failure.retryAfterMs
    : undefined
}

async function importHandler(root: string, handler: string): Promise<ConsumerHandler> {
  const dot = handler.lastIndexOf('.')
  const [path, exportName] = [handler.slice(0, dot), handler.slice(dot + 1)]
  const base = new URL(path, pathToFileURL(root.endsWith('/') ? root : `${root}/`))
  const file = ['.ts', '.tsx', '.js', '.mjs']
    .map((extension) => fileURLToPath(`${base.href}${extension}`))
    .find((candidate) => existsSync(candidate))
  if (dot < 0 || !file) throw new Error(`Handler ${handler} not found under ${root}`)
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const exported = module[exportName]
  if (typeof exported !== 'function') throw new Error(`${file} does not export a function ${exportName}`)
  return exported as ConsumerHandler
}
