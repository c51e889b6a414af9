import { AsyncLocalStorage } from 'node:async_hooks'
import { styleText } from 'node:util'
import type { LogRecord } from '@pendamping/functions/logger'
import type { MiddlewareHandler } from 'hono'
import { currentDelivery, type Delivery, type EventReport } from './bus.ts'

export interface LocalConsoleOptions {
  /** Colour the lines (give `process.stdout.isTTY`). Default false. */
  color?: boolean
  /** Where request and event lines go. Default: stdout. */
  out?: (line: string) => void
  /** Where warnings and errors go. Default: stderr. */
  err?: (line: string) => void
  /** The clock of the lines that have no record time (requests, events). */
  now?: () => Date
}

/** What one request's log records add to its line, gathered while it runs. */
interface RequestNotes {
  /** The problem code of a refusal (`refused` record), last segment only: `unauthorized`. */
  refused?: string
  /** Warnings and errors logged while it ran, printed after its line. */
  problems: LogRecord[]
}

type Style = Parameters<typeof styleText>[0]

/** Keys Powertools puts on every record (and the Lambda context's): the console never prints them. */
const BASE_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'tenant_id',
])
/**
 * The keys of an invocation (`logger.withKeys`): on a delivery's records the console's line names the
 * delivery already, from where the record was logged.
 */
const APPENDED_KEYS = new Set(['requestId', 'correlation_id', 'consumer'])

/**
 * The console of `npm start`: one line per HTTP request, one per published event (with what each
 * consumer made of it), warnings on one line, errors in full with their stack. It reads the records
 * the Powertools logger would print as JSON on Lambda ({@link LocalConsole.log} is the logger's sink),
 * and prints only their ids, routes, codes and timings: the same fields, none of them personal data.
 *
 * Routine `INFO` records are not printed on their own: inside a request or a delivery they are
 * folded into its line (a refusal's code, a consumer's `outcome`); elsewhere (the publisher's
 * `Event published`, the sweeper's `swept`) the event lines already say it. `npm start` with
 * `PENDAMPING_LOG=json` prints the raw JSON instead.
 *
 * @example
 * const local = new LocalConsole({ color: process.stdout.isTTY })
 * logger.printTo(local.log)
 * const bus = new LocalBus({ onEvent: local.event })
 * app.use(local.requests)
 */
export class LocalConsole {
  readonly #color: boolean
  readonly #out: (line: string) => void
  readonly #err: (line: string) => void
  readonly #now: () => Date
  readonly #request = new AsyncLocalStorage<RequestNotes>()
  /** Outcomes the records of a delivery reported, in order. */
  readonly #outcomes = new WeakMap<Delivery, string[]>()

  constructor(options: LocalConsoleOptions = {}) {
    this.#color = options.color ?? false
    this.#out = options.out ?? ((line) => process.stdout.write(`${line}\n`))
    this.#err = options.err ?? ((line) => process.stderr.write(`${line}\n`))
    this.#now = options.now ?? (() => new Date())
  }

  /** The logger's sink: every record Powertools would have printed. */
  readonly log = (record: LogRecord): void => {
    const request = this.#request.getStore()
    const delivery = request ? undefined : currentDelivery()
    switch (record.level) {
      case 'INFO': {
        if (request && record.message === 'refused' && typeof record.code === 'string') {
          request.refused = record.code.slice(record.code.lastIndexOf(':') + 1)
        }
        if (delivery && typeof record.outcome === 'string') {
          const outcomes = this.#outcomes.get(delivery) ?? []
          outcomes.push(record.outcome)
          this.#outcomes.set(delivery, outcomes)
        }
        return
      }
      case 'WARN':
      case 'ERROR':
      case 'CRITICAL':
        if (request) request.problems.push(record)
        else this.#problem(record, delivery)
        return
      default:
        // DEBUG and TRACE reach the sink only when someone lowered the log level to see them.
        this.#out(this.#compact(record, delivery))
    }
  }

  /** Middleware for the local server: times each request and prints its line when it ends. */
  readonly requests: MiddlewareHandler = async (c, next) => {
    const started = performance.now()
    const notes: RequestNotes = { problems: [] }
    try {
      await this.#request.run(notes, next)
    } finally {
      this.#out(
        formatRequest(
          {
            time: this.#now(),
            method: c.req.method,
            // The path only: query strings can carry tracking tokens and search text.
            path: c.req.path,
            status: c.res.status,
            ms: Math.round(performance.now() - started),
            requestId: c.res.headers.get('x-request-id') ?? undefined,
            ...(notes.refused ? { note: notes.refused } : {}),
          },
          this.#color,
        ),
      )
      for (const problem of notes.problems) this.#problem(problem)
    }
  }

  /** The bus's `onEvent`: one line per published event once its deliveries have ended. */
  readonly event = (report: EventReport): void => {
    this.#out(formatEvent(report, this.#now(), (delivery) => this.#outcomes.get(delivery) ?? [], this.#color))
  }

  #problem(record: LogRecord, delivery?: Delivery): void {
    const lines = formatProblem(record, this.#color, delivery)
    for (const line of lines) this.#err(line)
  }

  #compact(record: LogRecord, delivery?: Delivery): string {
    return formatProblem(record, this.#color, delivery, { stacks: false })[0] ?? ''
  }
}

export interface RequestLine {
  time: Date
  method: string
  path: string
  status: number
  ms: number
  requestId?: string | undefined
  /** Why it was refused, for a 4xx: the problem code. */
  note?: string
}

/** `10:02:03  GET     /v1/programs                    200     4 ms  req 7ad4c0c7` */
export function formatRequest(line: RequestLine, color = false): string {
  const paint = painter(color)
  const status = String(line.status)
  const statusStyle: Style =
    line.status >= 500 ? 'red' : line.status >= 400 ? 'yellow' : line.status >= 300 ? 'cyan' : 'green'
  return [
    paint('dim', clock(line.time)),
    paint('bold', line.method.padEnd(6)),
    line.path.padEnd(30),
    paint(statusStyle, status.padEnd(3)),
    paint('dim', `${String(line.ms).padStart(4)} ms`),
    paint('dim', `req ${short(line.requestId)}`),
    ...(line.note ? [paint(statusStyle, line.note)] : []),
  ]
    .join('  ')
    .trimEnd()
}

/**
 * `10:02:04  event   RequestSubmitted                ok     34 ms  ev  b3sSJBA7  InstantMatch(offered), ReportCounters(counted)`
 *
 * Each consumer shows the `outcome`s its records gave, but for `acted` (the ordinary "done"), and
 * its tries when it needed more than one; a delivery that gave up shows `FAILED` (and the event `ERR`).
 */
export function formatEvent(
  report: EventReport,
  time: Date,
  outcomesOf: (delivery: Delivery) => readonly string[] = () => [],
  color = false,
): string {
  const paint = painter(color)
  const failed = report.deliveries.some((delivery) => delivery.status === 'failed')
  const status = report.deliveries.length === 0 ? '-' : failed ? 'ERR' : 'ok'
  const consumers =
    report.deliveries.length === 0
      ? paint('dim', 'no consumer')
      : report.deliveries
          .map((delivery) => {
            const notes = [...new Set(outcomesOf(delivery))].filter((outcome) => outcome !== 'acted')
            if (delivery.status === 'failed') notes.unshift('FAILED')
            if (delivery.attempts > 1) notes.push(`${delivery.attempts} tries`)
            const text = notes.length > 0 ? `${delivery.rule}(${notes.join(', ')})` : delivery.rule
            return delivery.status === 'failed' ? paint('red', text) : text
          })
          .join(', ')
  return [
    paint('dim', clock(time)),
    paint('magenta', 'event '),
    report.event['detail-type'].padEnd(30),
    paint(failed ? 'red' : 'green', status.padEnd(3)),
    paint('dim', `${String(report.ms).padStart(4)} ms`),
    paint('dim', `ev  ${short(report.event.detail.metadata.id)}`),
    consumers,
  ].join('  ')
}

/**
 * A warning on one line (`message  key=value …`, an error as `Name: message`); an error on that line
 * followed by the stack of each Error it carries (and their causes), indented.
 */
export function formatProblem(
  record: LogRecord,
  color = false,
  delivery?: Delivery,
  options: { stacks?: boolean } = {},
): string[] {
  const paint = painter(color)
  const serious = record.level === 'ERROR' || record.level === 'CRITICAL'
  const stacks = (options.stacks ?? true) && serious
  const levelStyle: Style = serious ? 'red' : record.level === 'WARN' ? 'yellow' : 'dim'
  const fields: string[] = []
  const errors: Error[] = []
  if (delivery) fields.push(`rule=${delivery.rule}`, `ev=${short(delivery.event.detail.metadata.id)}`)
  for (const [key, value] of Object.entries(record)) {
    if (BASE_KEYS.has(key) || (delivery && APPENDED_KEYS.has(key))) continue
    if (value instanceof Error && stacks) errors.push(value)
    else fields.push(`${key}=${show(value)}`)
  }
  const time = new Date(record.timestamp)
  const head = [
    paint('dim', clock(Number.isNaN(time.getTime()) ? new Date() : time)),
    paint(levelStyle, record.level.padEnd(6)),
    paint(serious ? 'bold' : 'reset', record.message),
    ...(fields.length > 0 ? [paint('dim', fields.join(' '))] : []),
  ].join('  ')
  return [
    head,
    ...errors.flatMap((error) => stackLines(error).map((line) => paint(levelStyle, `    ${line}`))),
  ]
}

function stackLines(error: Error, depth = 0): string[] {
  const lines = (error.stack ?? `${error.name}: ${error.message}`).split('\n')
  if (error.cause instanceof Error && depth < 5) {
    const [first = '', ...rest] = stackLines(error.cause, depth + 1)
    lines.push(`Caused by: ${first.trim()}`, ...rest)
  } else if (error.cause !== undefined) {
    lines.push(`Caused by: ${show(error.cause)}`)
  }
  return lines
}

/** A field's value on one line: strings bare unless they hold spaces, errors as `Name: message`. */
function show(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(`${value.name}: ${value.message}`)
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  if (typeof value === 'bigint') return value.toString()
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? styleText(style, text, { validateStream: false }) : text)
}

/** `HH:MM:SS` in the machine's time zone. */
function clock(time: Date): string {
  return [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':')
}

function short(id: string | undefined): string {
  return (id ?? '-').slice(0, 8).padEnd(8)
}
