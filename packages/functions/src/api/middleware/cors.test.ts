import { Hono } from 'hono'
import { cors as honoCors } from 'hono/cors'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../env.ts'
import { cors } from './cors.ts'

const options = {
  origin: (origin: string) => (origin === 'https://app.example' ? origin : null),
  allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
  exposeHeaders: ['X-Request-Id', 'RateLimit'],
  maxAge: 600,
}

/** One app per implementation, with a header set before and after the handler as the API's middleware do. */
function appWith(middleware: ReturnType<typeof cors>) {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.header('x-request-id', 'req-1')
      c.header('vary', 'Accept-Language', { append: true })
      await next()
    })
    .use(middleware)
    .get('/thing', (c) => c.json({ ok: true }))
    .post('/thing', (c) => c.json({ ok: true }, 201, { 'cache-control': 'no-store' }))
}

const ours = appWith(cors(options))
const hono = appWith(honoCors(options) as ReturnType<typeof cors>)

/** Everything a client can see of an answer. */
async function seen(response: Response) {
  return { status: response.status, headers: [...response.headers], body: await response.text() }
}

describe('CORS', () => {
  it.each([
    ['a read from an allowed origin', 'GET', { origin: 'https://app.example' }],
    ['a read from another origin', 'GET', { origin: 'https://evil.example' }],
    ['a read without an origin', 'GET', {}],
    ['a write whose handler sets a header of its own', 'POST', { origin: 'https://app.example' }],
    [
      'a preflight from an allowed origin',
      'OPTIONS',
      { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    ],
    ['a preflight from another origin', 'OPTIONS', { origin: 'https://evil.example' }],
  ])('answers %s exactly as Hono’s cors middleware does', async (_name, method, headers) => {
    const request = () => new Request('http://api.test/thing', { method, headers })
    const expected = await seen(await hono.fetch(request()))
    expect(await seen(await ours.fetch(request()))).toEqual(expected)
    // Not vacuous: the answers carry CORS headers at all.
    expect(expected.headers.map(([name]) => name)).toContain('access-control-expose-headers')
  })
})
