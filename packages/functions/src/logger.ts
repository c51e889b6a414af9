import { AsyncLocalStorage } from 'node:async_hooks'
import { Logger, type LogItem } from '@aws-lambda-powertools/logger'
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types'

/** One log record as Powertools built it: the keys of the JSON line it would print (Errors not yet serialised). */
export type LogRecord = Record<string, unknown> & { level: string; message: string; timestamp: string }

/** Takes log records instead of stdout; the local stack's console is the one sink (`npm start`). */
export type LogSink = (record: LogRecord) => void

/** The keys of the invocation being logged: a request's id, an event's correlation id and consumer. */
const invocationKeys = new AsyncLocalStorage<Record<string, unknown>>()

/**
 * Powertools' Logger with two hooks. {@link AppLogger.withKeys} gives the lines of one invocation (a
 * request served, an event consumed) their keys, where `appendKeys` would put them: keys appended to
 * the one process-wide logger are wrong as soon as invocations interleave in one process (the local
 * stack serves requests and delivers events at once), where a line would carry whichever invocation
 * appended last, or none. And locally {@link AppLogger.printTo} hands each record to a sink instead of
 * printing it as JSON. Without a sink (always on Lambda) `printLog` is Powertools' own, so the JSON
 * lines, their keys and their order are exactly Powertools'.
 */
export class AppLogger extends Logger {
  // Not an ES private field: Powertools' constructor may print (from its init buffer) before a
  // subclass's `#fields` exist, and reading one then would throw.
  private localSink: LogSink | undefined

  /** Sends records to `sink` (the local console) instead of stdout; `undefined` restores JSON. */
  printTo(sink: LogSink | undefined): void {
    this.localSink = sink
  }

  /**
   * Runs `act` with `keys` on every line logged inside it, across its awaits, and on no other line
   * (inside another `withKeys`, both sets of keys).
   *
   * @example
   * await logger.withKeys({ correlation_id: event.id }, () => consume(event))
   */
  withKeys<T>(keys: Record<string, unknown>, act: () => T): T {
    const outer = invocationKeys.getStore()
    return invocationKeys.run(outer ? { ...outer, ...keys } : keys, act)
  }

  protected override createAndPopulateLogItem(
    logLevel: number,
    input: LogItemMessage,
    extraInput: LogItemExtraInput,
  ): LogItem {
    const keys = invocationKeys.getStore()
    return super.createAndPopulateLogItem(
      logLevel,
      input,
      keys === undefined ? extraInput : ([keys, ...extraInput] as LogItemExtraInput),
    )
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    const sink = this.localSink
    if (!sink) {
      super.printLog(logLevel, log)
      return
    }
    log.prepareForPrint()
    sink(log.getAttributes() as LogRecord)
  }
}

/** Text that may carry what someone typed: quoted values, e-mail addresses, long digit runs (phones, tokens). */
const TYPED = [/"[^"]*"|'[^']*'|`[^`]*`/g, /[^\s@]+@[^\s@]+/g, /\+?\d[\d\s-]{4,}\d/g, /[A-Za-z0-9_-]{24,}/g]

/** An error message with whatever a person may have typed into it replaced by `…`, at most 300 characters. */
export function scrubMessage(message: string): string {
  return TYPED.reduce((text, pattern) => text.replace(pattern, '…'), message).slice(0, 300)
}

/**
 * What a log line keeps of an error (UU PDP: no personal data in logs, docs/contract/security.md#logs):
 * its name, code, scrubbed message, stack frames and cause — never its other properties, where SDKs
 * and validators put whole items, inputs and refused values.
 */
export function safeError(error: Error, depth = 0): Record<string, unknown> {
  const code = (error as { code?: unknown }).code
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode
  return {
    name: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof status === 'number' ? { httpStatusCode: status } : {}),
    message: scrubMessage(error.message),
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .map((line) => line.trim()),
    ...(error.cause instanceof Error && depth < 3 ? { cause: safeError(error.cause, depth + 1) } : {}),
  }
}

/**
 * The one structured JSON logger (Powertools). Log ids, routes, codes and timings; never names,
 * phones, emails, tokens or free text that people typed. Errors are printed through {@link safeError}.
 */
export const logger = new AppLogger({
  serviceName: 'pendamping',
  jsonReplacerFn: (_key: string, value: unknown) => (value instanceof Error ? safeError(value) : value),
})
