import { Logger, type LogItem } from '@aws-lambda-powertools/logger'
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types'
import { servedRequestId } from '@pendamping/core/actor'

/** One log record as Powertools built it: the keys of the JSON line it would print (Errors not yet serialised). */
export type LogRecord = Record<string, unknown> & { level: string; message: string; timestamp: string }

/** Takes log records instead of stdout; the local stack's console is the one sink (`npm start`). */
export type LogSink = (record: LogRecord) => void

/**
 * Powertools' Logger with two hooks. Every line written while a request is served carries that
 * request's `requestId` (from core's request context), where `appendKeys({ requestId })` would put
 * it: keys appended to the one process-wide logger are wrong as soon as requests interleave in one
 * process (the local stack serves many at once), where a line would carry whichever request appended
 * last, or none. And locally {@link AppLogger.printTo} hands each record to a sink instead of
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

  protected override createAndPopulateLogItem(
    logLevel: number,
    input: LogItemMessage,
    extraInput: LogItemExtraInput,
  ): LogItem {
    const requestId = servedRequestId()
    return super.createAndPopulateLogItem(
      logLevel,
      input,
      requestId === undefined ? extraInput : ([{ requestId }, ...extraInput] as LogItemExtraInput),
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
