import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../env.ts'
import { securityHeaders } from './security-headers.ts'

/** The options the API gave Hono's `secureHeaders` before it wrote its headers out. */
const honoOptions = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
}

/** One app per implementation, answering the ways the API answers. */
function appWith(middleware: ReturnType<typeof securityHeaders>) {
  const app = new Hono<AppEnv>()
    .use(middleware)
    .get('/json', (c) => c.json({ ok: true }))
    .get('/page', (c) => {
      // A route's own value is replaced, and `X-Powered-By` dropped.
      c.header('x-frame-options', 'ALLOW-FROM https://elsewhere.example')
      c.header('x-powered-by', 'something')
      return c.html('<p>halo</p>')
    })
    .get('/problem', (c) => c.body('{}', 404, { 'content-type': 'application/problem+json' }))
    .get('/thrown', () => {
      throw new Error('boom')
    })
  app.onError((_error, c) => c.json({ status: 500 }, 500))
  return app
}

const ours = appWith(securityHeaders())
const hono = appWith(secureHeaders(honoOptions) as ReturnType<typeof securityHeaders>)

describe('security headers', () => {
  it.each(['/json', '/page', '/problem', '/thrown'])(
    'answer %s with exactly the headers Hono’s secureHeaders sets with the same options',
    async (path) => {
      const expected = [...(await hono.request(path)).headers]
      expect([...(await ours.request(path)).headers]).toEqual(expected)
      // Not vacuous: Hono's answer carries them.
      expect(expected.map(([name]) => name)).toEqual(
        expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-frame-options']),
      )
    },
  )
})
