import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTokenVerifier } from '@pendamping/core/auth'
import { createDocumentClient } from '@pendamping/core/dynamo'
import { LOCAL_ISSUER, LocalKeySet } from '@pendamping/scripts/local/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

/**
 * The app in front of a DynamoDB that never answers (a server that takes calls and says nothing) and
 * a key set that is down: every request is answered, quickly, with a 503 to try again.
 */
let silent: Server
let keys: LocalKeySet
let app: ReturnType<typeof createApp>
let jwksDown: ReturnType<typeof createApp>
let staffToken: string

beforeAll(async () => {
  silent = createServer(() => {})
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
  keys = await LocalKeySet.generate()
  staffToken = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
  const store = {
    doc: createDocumentClient({ endpoint, timeouts: { requestTimeout: 200, maxAttempts: 2 } }),
    tableName: 'pendamping-outage',
  }
  const verifyToken = createTokenVerifier({
    jwksUrl: 'http://unused.invalid',
    issuer: LOCAL_ISSUER,
    keys: keys.resolver(),
  })
  app = createApp({ store, verifyToken, corsOrigins: [] })
  jwksDown = createApp({
    store,
    // Nothing listens on port 9 of this machine: the key set cannot be fetched.
    verifyToken: createTokenVerifier({
      jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json',
      issuer: LOCAL_ISSUER,
    }),
    corsOrigins: [],
  })
})

afterAll(async () => {
  silent.closeAllConnections()
  await new Promise((resolve) => silent.close(resolve))
})

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toContain('application/problem+json')
  return (await response.json()) as { type: string; status: number; title: string; detail: string }
}

describe('Unknown addresses', () => {
  it('answers a 404 problem for an API path nobody serves, inside a route group or not', async () => {
    for (const path of ['/v1/nope', '/v1/requests/a/b/c/d', '/v1/me/nope', '/nope']) {
      const response = await app.request(path)
      expect(response.status, path).toBe(404)
      expect(await problemOf(response)).toMatchObject({
        type: 'urn:pendamping:problem:not-found',
        status: 404,
      })
    }
  })

  it('shows a browser a 404 page in its language', async () => {
    const response = await app.request('/tidak-ada', {
      headers: { accept: 'text/html', 'accept-language': 'id' },
    })
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(await response.text()).toContain('Halaman tidak ditemukan')
    const english = await app.request('/en/nothing-here/at-all', { headers: { accept: 'text/html' } })
    expect(english.status).toBe(404)
    expect(await english.text()).toContain('Page not found')
  })
})

describe('Outages', () => {
  it('answers 503 with Retry-After, in bounded time, when DynamoDB does not answer', async () => {
    const started = Date.now()
    const list = await app.request('/v1/programs', { headers: { authorization: `Bearer ${staffToken}` } })
    expect(list.status).toBe(503)
    expect(Number(list.headers.get('retry-after'))).toBeGreaterThan(0)
    const problem = await problemOf(list)
    expect(problem).toMatchObject({ type: 'urn:pendamping:problem:service-unavailable', status: 503 })
    expect(problem.title).toBe('Layanan sedang sibuk')
    expect(Date.now() - started).toBeLessThan(5_000)
    const english = await app.request('/v1/programs', {
      headers: { authorization: `Bearer ${staffToken}`, 'accept-language': 'en' },
    })
    expect((await problemOf(english)).detail).toContain('try again in a minute')
  })

  it('answers 503, not 401, when the key set cannot be fetched', async () => {
    const response = await jwksDown.request('/v1/programs', {
      headers: { authorization: `Bearer ${staffToken}` },
    })
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).not.toBeNull()
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect((await problemOf(response)).type).toBe('urn:pendamping:problem:service-unavailable')
  })

  it('shows a calm "try again in a minute" page, in both languages, with Retry-After', async () => {
    // The class catalog reads the table on every view.
    for (const [path, text] of [
      ['/kelas', 'coba lagi dalam satu menit'],
      ['/en/classes', 'try again in a minute'],
    ] as const) {
      const response = await app.request(path, { headers: { accept: 'text/html' } })
      expect(response.status).toBe(503)
      expect(response.headers.get('content-type')).toContain('text/html')
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await response.text()).toLowerCase()).toContain(text)
    }
  })
})
