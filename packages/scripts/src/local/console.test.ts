import { createEvent } from '@pendamping/core/event'
import { FeedbackEvents } from '@pendamping/core/feedback'
import { MentorEvents } from '@pendamping/core/mentor'
import { type LogRecord, logger } from '@pendamping/functions/logger'
import type { Rule } from '@pendamping/functions/wiring'
import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LocalBus } from './bus.ts'
import { formatProblem, formatRequest, LocalConsole } from './console.ts'

/** An ANSI escape sequence's start (ESC, then `[`). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`)
const TIME = '\\d{2}:\\d{2}:\\d{2}'

function capture(color = false) {
  const out: string[] = []
  const err: string[] = []
  const local = new LocalConsole({ color, out: (line) => out.push(line), err: (line) => err.push(line) })
  return { local, out, err }
}

let level: string
beforeEach(() => {
  level = logger.getLevelName()
  logger.setLogLevel('INFO')
})
afterEach(() => {
  logger.printTo(undefined)
  logger.setLogLevel(level as 'WARN')
})

describe('request lines', () => {
  it('formats time, method, path, status, duration and the short request id on one line', () => {
    const line = formatRequest({
      time: new Date(2026, 2, 2, 10, 2, 3),
      method: 'GET',
      path: '/v1/programs',
      status: 200,
      ms: 4,
      requestId: '7ad4c0c7-143e-4167-aa23-0c4fc64319b7',
    })

    expect(line).toBe(`10:02:03  GET     /v1/programs${' '.repeat(20)}200     4 ms  req 7ad4c0c7`)
    expect(line).not.toMatch(ANSI)
    expect(formatRequest({ time: new Date(), method: 'GET', path: '/', status: 500, ms: 1 }, true)).toMatch(
      ANSI,
    )
  })

  it('prints one line per request through the middleware, folding in its records; never the query', async () => {
    const { local, out, err } = capture()
    logger.printTo(local.log)
    const app = new Hono()
    app.use(local.requests)
    app.get('/v1/programs', (c) => {
      logger.appendKeys({ requestId: 'racy-key-of-another-request' })
      logger.info('request', { method: 'GET', route: '/v1/programs', status: 200, ms: 3, role: 'staff' })
      logger.removeKeys(['requestId'])
      c.header('x-request-id', '0190be29-733c-4df5-94c1-7b377508f099')
      return c.json([])
    })
    app.get('/lacak/:id', (c) => {
      logger.info('refused', {
        code: 'urn:pendamping:problem:unauthorized',
        status: 401,
        route: '/lacak/:id',
      })
      c.header('x-request-id', 'b022b0ad-83a9-45b6-a99a-e6a88d784ace')
      return c.json({}, 401)
    })
    app.get('/boom', (c) => {
      logger.error('unhandled error', { error: new TypeError('boom'), route: '/boom' })
      return c.json({}, 500)
    })

    await app.request('/v1/programs')
    await app.request('/lacak/NYyeB_CJmuGxF9SoTnMoYg?token=kuv5AqHAbVZTZj78opfmcj8I4xg2')
    await app.request('/boom')

    expect(out).toHaveLength(3)
    expect(out[0]).toMatch(new RegExp(`^${TIME}  GET     /v1/programs +200 +\\d+ ms  req 0190be29$`))
    expect(out[1]).toMatch(
      new RegExp(
        `^${TIME}  GET     /lacak/NYyeB_CJmuGxF9SoTnMoYg +401 +\\d+ ms  req b022b0ad  unauthorized$`,
      ),
    )
    expect(out.join('\n')).not.toContain('kuv5AqHA')
    expect(out[2]).toMatch(new RegExp(`^${TIME}  GET     /boom +500 +\\d+ ms  req -$`))
    // The error, in full, after its request's line.
    expect(err[0]).toMatch(new RegExp(`^${TIME}  ERROR   unhandled error  route=/boom$`))
    expect(err[1]).toBe('    TypeError: boom')
    expect(err[2]).toMatch(/^ {8}at .*console\.test\.ts:\d+:\d+/)
  })
})

describe('event lines', () => {
  const rules: Rule[] = [
    {
      name: 'FeedbackCounter',
      detailTypes: ['FeedbackReceived'],
      handler: 'packages/scripts/src/local/bus.fixture.countFeedback',
    },
  ]
  const feedback = (rating: number) =>
    createEvent(
      FeedbackEvents.Received,
      { sessionId: 's', requestId: 'r', mentorId: 'm', programId: 'p', rating },
      new Date(),
    )

  it('prints one line per event with each consumer and its outcome, even when deliveries overlap', async () => {
    const { local, out, err } = capture()
    logger.printTo(local.log)
    const bus = new LocalBus({ rules, onEvent: local.event, maxAttempts: 2, retryDelayMs: 1 })
    const slow = feedback(5)
    const quick = feedback(2)
    const refused = feedback(1)
    const unheard = createEvent(
      MentorEvents.Approved,
      { mentorId: 'm', region: '35.73', skills: [], approvedBy: 'staff-1' },
      new Date(),
    )

    await bus.publish([slow, quick, refused, unheard])
    // Records outside any request or delivery (the publisher's, the sweeper's) add no line.
    logger.info('Event published', { correlation_id: slow.id, eventType: slow.type, lagMs: 3 })
    await bus.settled()

    expect(out).toHaveLength(4)
    const line = (id: string) => out.find((candidate) => candidate.includes(`ev  ${id.slice(0, 8)}`))
    expect(line(quick.id)).toMatch(
      new RegExp(
        `^${TIME}  event   FeedbackReceived +ok +\\d+ ms  ev  \\S{8}  FeedbackCounter\\(rated-2\\)$`,
      ),
    )
    expect(line(slow.id)).toMatch(/ok .* FeedbackCounter\(rated-5\)$/)
    expect(line(refused.id)).toMatch(/FeedbackReceived +ERR .* FeedbackCounter\(FAILED, 2 tries\)$/)
    expect(line(unheard.id)).toMatch(/MentorApproved +- .* no consumer$/)
    // A warning per failed try on one line; the give-up in full, with the stack of what was thrown.
    const warnings = err.filter((text) => text.includes('WARN'))
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(
      new RegExp(
        `^${TIME}  WARN    Local bus delivery failed  correlation_id=\\S+ rule=FeedbackCounter attempt=1 error="Error: refused on purpose"$`,
      ),
    )
    const gaveUp = err.findIndex((text) => text.includes('Local bus delivery gave up'))
    expect(err[gaveUp]).toMatch(
      /ERROR {3}Local bus delivery gave up {2}correlation_id=\S+ rule=FeedbackCounter attempts=2$/,
    )
    expect(err[gaveUp + 1]).toBe('    Error: refused on purpose')
    expect(err[gaveUp + 2]).toMatch(/^ {8}at .*bus\.fixture\.ts:\d+:\d+/)
  })
})

describe('warnings and errors', () => {
  const record = (fields: Partial<LogRecord>): LogRecord => ({
    level: 'WARN',
    message: 'Stream poll failed; trying again',
    timestamp: '2026-03-02T01:02:03.004Z',
    service: 'pendamping',
    function_arn: 'arn:aws:lambda:ap-southeast-3:000000000000:function:publisher',
    function_request_id: 'e8d703fb',
    sampling_rate: 0,
    ...fields,
  })

  it('keeps a warning on one readable line, without the Lambda context', () => {
    const lines = formatProblem(
      record({ error: new Error('connect ECONNREFUSED 127.0.0.1:8000'), shardId: 'x 1' }),
    )

    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${TIME}  WARN    Stream poll failed; trying again  error="Error: connect ECONNREFUSED 127.0.0.1:8000" shardId="x 1"$`,
        ),
      ),
    ])
  })

  it('prints an error with its stack and its cause', () => {
    const cause = new SyntaxError('Unexpected token')
    const error = new Error('Outbox record does not hold a readable event', { cause })
    const lines = formatProblem(
      record({ level: 'ERROR', message: 'Unreadable outbox record', error, sequenceNumber: '42' }),
    )

    expect(lines[0]).toMatch(new RegExp(`^${TIME}  ERROR   Unreadable outbox record  sequenceNumber=42$`))
    expect(lines[1]).toBe('    Error: Outbox record does not hold a readable event')
    expect(lines[2]).toMatch(/^ {8}at /)
    expect(lines).toContain('    Caused by: SyntaxError: Unexpected token')
    expect(lines.join('\n')).not.toContain('arn:aws')
  })
})
