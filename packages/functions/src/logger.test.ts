import { Logger } from '@aws-lambda-powertools/logger'
import type { Context } from 'aws-lambda'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppLogger, type LogRecord } from './logger.ts'

const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'pendamping-api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:pendamping-api',
  memoryLimitInMB: '1024',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/pendamping-api',
  logStreamName: '2026/03/02/[$LATEST]abc',
  getRemainingTimeInMillis: () => 1000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
}

/** The JSON lines a logger wrote to stdout (and stderr) while `act` ran. */
function printed(act: () => void): Record<string, unknown>[] {
  const lines: string[] = []
  const collect = (chunk: string | Uint8Array) => {
    lines.push(String(chunk))
    return true
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(collect)
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(collect)
  try {
    act()
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>)
}

function logBoth(log: (logger: Logger) => void) {
  const ours = new AppLogger({ serviceName: 'pendamping', logLevel: 'INFO' })
  const powertools = new Logger({ serviceName: 'pendamping', logLevel: 'INFO' })
  return { ours: printed(() => log(ours)), powertools: printed(() => log(powertools)), logger: ours }
}

const withoutTime = ({ timestamp, ...rest }: Record<string, unknown>) => {
  expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  return rest
}

afterEach(() => vi.restoreAllMocks())

describe('the logger on Lambda (no sink)', () => {
  it("prints Powertools' JSON line: the same keys as before, in the same order, with the same values", () => {
    const { ours, powertools } = logBoth((logger) => {
      logger.addContext(context)
      logger.appendKeys({ requestId: 'req-1' })
      logger.info('request', { method: 'GET', route: '/v1/programs', status: 200, ms: 4, role: 'staff' })
    })

    expect(ours).toHaveLength(1)
    expect(Object.keys(ours[0] ?? {})).toEqual([
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
      'requestId',
      'method',
      'route',
      'status',
      'ms',
      'role',
    ])
    expect(withoutTime(ours[0] ?? {})).toEqual(withoutTime(powertools[0] ?? {}))
    expect(ours[0]).toMatchObject({
      level: 'INFO',
      message: 'request',
      service: 'pendamping',
      function_name: 'pendamping-api',
      function_request_id: context.awsRequestId,
    })
  })

  it('gives every line written inside withKeys its keys, where appendKeys puts them', () => {
    const keys = { correlation_id: 'T2ZmZXJNYWRlRXZlbnQy', consumer: 'InstantMatch' }
    const line = (logger: Logger) => logger.info('event consumed', { type: 'OfferMade', outcome: 'acted' })
    const { ours, powertools } = logBoth((logger) => {
      if (logger instanceof AppLogger) {
        logger.withKeys(keys, () => line(logger))
        line(logger)
      } else {
        logger.appendKeys(keys)
        line(logger)
        logger.removeKeys(Object.keys(keys))
        line(logger)
      }
    })

    expect(ours.map((record) => Object.keys(record))).toEqual(powertools.map((record) => Object.keys(record)))
    expect(ours.map(withoutTime)).toEqual(powertools.map(withoutTime))
    expect(ours.map((record) => record.correlation_id)).toEqual([keys.correlation_id, undefined])
  })

  it('keeps each invocation’s keys on its own lines while invocations interleave in one process', async () => {
    const records: LogRecord[] = []
    const logger = new AppLogger({ serviceName: 'pendamping', logLevel: 'INFO' })
    logger.printTo((record) => records.push(record))
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const serve = (requestId: string, until: Promise<void>) =>
      logger.withKeys({ requestId }, async () => {
        logger.info('started')
        await until
        logger.withKeys({ consumer: 'inner' }, () => logger.info('read not counted'))
      })

    const first = serve('req-a', held)
    await serve('req-b', Promise.resolve())
    release()
    await first

    // With one process-wide `appendKeys`, req-a's second line would carry req-b's id (or none).
    expect(records.map(({ message, requestId, consumer }) => `${message} ${requestId} ${consumer}`)).toEqual([
      'started req-a undefined',
      'started req-b undefined',
      'read not counted req-b inner',
      'read not counted req-a inner',
    ])
  })

  it('prints an error with its name, location, message and stack, as Powertools does', () => {
    const error = new TypeError('boom')
    const { ours, powertools } = logBoth((logger) => logger.error('unhandled error', { error, route: '/x' }))

    expect(Object.keys(ours[0] ?? {})).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'sampling_rate',
      'error',
      'route',
    ])
    expect(withoutTime(ours[0] ?? {})).toEqual(withoutTime(powertools[0] ?? {}))
    expect(ours[0]?.error).toMatchObject({ name: 'TypeError', message: 'boom', stack: error.stack })
  })

  it('hands records to a sink instead of stdout while one is set (the local console), then prints JSON again', () => {
    const records: LogRecord[] = []
    const logger = new AppLogger({ serviceName: 'pendamping', logLevel: 'INFO' })
    const error = new Error('kept whole')

    logger.printTo((record) => records.push(record))
    expect(printed(() => logger.warn('slow', { error, ms: 900 }))).toEqual([])
    logger.printTo(undefined)
    expect(printed(() => logger.warn('slow', { ms: 901 }))).toMatchObject([{ level: 'WARN', ms: 901 }])

    expect(records).toEqual([
      {
        level: 'WARN',
        message: 'slow',
        timestamp: expect.any(String),
        service: 'pendamping',
        sampling_rate: 0,
        error,
        ms: 900,
      },
    ])
    expect(records[0]?.error).toBe(error)
  })
})
