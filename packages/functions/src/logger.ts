import { Logger, type LogItem } from '@aws-lambda-powertools/logger'

/** One log record as Powertools built it: the keys of the JSON line it would print (Errors not yet serialised). */
export type LogRecord = Record<string, unknown> & { level: string; message: string; timestamp: string }

/** Takes log records instead of stdout; the local stack's console is the one sink (`npm start`). */
export type LogSink = (record: LogRecord) => void

/**
 * Powertools' Logger with one local hook: {@link AppLogger.printTo} hands each record to a sink
 * instead of printing it as JSON. Without a sink (always on Lambda) `printLog` is Powertools' own, so
 * the JSON lines, their keys and their order are exactly Powertools'.
 */
export class AppLogger extends Logger {
  // Not an ES private field: Powertools' constructor may print (from its init buffer) before a
  // subclass's `#fields` exist, and reading one then would throw.
  private localSink: LogSink | undefined

  /** Sends records to `sink` (the local console) instead of stdout; `undefined` restores JSON. */
  printTo(sink: LogSink | undefined): void {
    this.localSink = sink
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

/**
 * The one structured JSON logger (Powertools). Log ids, routes, codes and timings; never names,
 * phones, emails, tokens or free text that people typed.
 */
export const logger = new AppLogger({ serviceName: 'pendamping' })
