import { createTokenVerifier } from '@pendamping/core/auth'
import { LOCAL_ISSUER, LocalKeySet } from '@pendamping/scripts/local/keys'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { Hono } from 'hono'
import { beforeAll, describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { createApp, routeGroups } from './app.ts'
import { validate } from './validation.ts'

const table = useTestTable()
let keys: LocalKeySet
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  keys = await LocalKeySet.generate()
  app = createApp({
    store: { doc: table.doc, tableName: table.tableName },
    verifyToken: createTokenVerifier({
      jwksUrl: 'http://unused.invalid',
      issuer: LOCAL_ISSUER,
      keys: keys.resolver(),
    }),
    corsOrigins: ['https://app.example'],
    bodyLimit: 1024,
  })
  app.post('/v1/echo', validate('json', z.strictObject({ name: z.string().check(z.maxLength(5)) })), (c) =>
    c.json(c.req.valid('json'), 201),
  )
})

describe('The HTTP platform', () => {
  it('answers /health', async () => {
    const response = await app.request('/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
  })

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await app.request('/openapi.json')
    expect(response.status).toBe(200)
    const spec = await response.json()
    expect(spec.openapi).toBe('3.1.0')
    const submit = spec.paths['/v1/requests'].post
    const body = submit.requestBody.content['application/json'].schema
    expect(body.properties.needs).toMatchObject({ type: 'array', minItems: 1, maxItems: 5 })
    expect(body.required).toEqual(expect.arrayContaining(['business', 'needs', 'consent']))
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/offers/{id}/accept', '/v1/reports']))
  })

  it('serves a reference page at /docs with no third-party scripts', async () => {
    const response = await app.request('/docs')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('/v1/programs/{id}/cohort-match')
    expect(html).not.toMatch(/<script[^>]+src=/)
  })

  it('reaches every route of every lazily loaded group through the group’s paths', async () => {
    const deps = {
      store: { doc: table.doc, tableName: table.tableName },
      verifyToken: async () => never(),
      corsOrigins: [],
    }
    for (const group of routeGroups) {
      const probe = new Hono()
      for (const path of group.paths) probe.all(path, (c) => c.text(group.name))
      const routes = (await group.load())(deps).routes
      expect(routes.length).toBeGreaterThan(0)
      for (const route of routes) {
        const url = route.path.replace(/:\w+/g, 'x')
        const reached = await probe.request(url, { method: route.method === 'ALL' ? 'GET' : route.method })
        expect({ group: group.name, path: route.path, reached: reached.status }).toEqual({
          group: group.name,
          path: route.path,
          reached: 200,
        })
      }
    }
  })

  it('answers unknown routes with a 404 problem in Indonesian by default', async () => {
    const response = await app.request('/v1/nothing-here')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
    const problem = await response.json()
    expect(problem).toMatchObject({
      type: 'urn:pendamping:problem:not-found',
      status: 404,
      title: 'Tidak ditemukan',
    })
  })

  it('speaks English when Accept-Language prefers it', async () => {
    const response = await app.request('/nope', { headers: { 'accept-language': 'en-GB,en;q=0.9,id;q=0.5' } })
    expect((await response.json()).title).toBe('Not found')
    expect(response.headers.get('content-language')).toBe('en')
  })

  it('refuses malformed JSON with a 400 problem', async () => {
    const response = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    })
    expect(response.status).toBe(400)
    const problem = await response.json()
    expect(problem.type).toBe('urn:pendamping:problem:malformed-body')
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts|stack/i)
  })

  it('lists every invalid field, in the caller’s language', async () => {
    const response = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ name: 'far too long', extra: 1 }),
    })
    expect(response.status).toBe(400)
    const problem = await response.json()
    expect(problem.type).toBe('urn:pendamping:problem:validation')
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'name', code: 'too_long', message: 'Too long (at most 5)' }),
        expect.objectContaining({ code: 'unrecognized_keys' }),
      ]),
    )
  })

  it('tells a missing field from a field of the wrong type', async () => {
    const send = (body: unknown) =>
      app.request('/v1/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify(body),
      })
    expect((await (await send({})).json()).errors).toEqual([
      { path: 'name', code: 'required', message: 'Required' },
    ])
    expect((await (await send({ name: 5 })).json()).errors).toEqual([
      { path: 'name', code: 'invalid_type', message: 'Wrong type (expected string)' },
    ])
  })

  it('refuses a body over the limit with 413', async () => {
    const response = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(2000) }),
    })
    expect(response.status).toBe(413)
    expect((await response.json()).type).toBe('urn:pendamping:problem:payload-too-large')
  })

  it('refuses a body whose Content-Length is over the limit with 413, without reading it', async () => {
    const response = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '2000' },
      body: JSON.stringify({ name: 'x' }),
    })
    expect(response.status).toBe(413)
    expect((await response.json()).type).toBe('urn:pendamping:problem:payload-too-large')
  })

  it('gives a route group’s answer every header the platform sets, once', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    const response = await app.request('/v1/programs', {
      headers: {
        authorization: `Bearer ${token}`,
        origin: 'https://app.example',
        'x-request-id': 'bench-0001',
      },
    })
    expect(response.status).toBe(200)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': 'bench-0001',
      'content-language': 'id',
      vary: 'Accept-Language, Origin',
      'access-control-allow-origin': 'https://app.example',
      'access-control-expose-headers': 'X-Request-Id,RateLimit,RateLimit-Policy,Retry-After',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
  })

  it('allows CORS only for configured origins', async () => {
    const allowed = await app.request('/health', { headers: { origin: 'https://app.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const other = await app.request('/health', { headers: { origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('accepts a valid token and refuses a bad one with 401', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    expect((await app.request('/health', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    const tampered = `${token.slice(0, -4)}AAAA`
    const response = await app.request('/health', { headers: { authorization: `Bearer ${tampered}` } })
    expect(response.status).toBe(401)
    expect((await response.json()).type).toBe('urn:pendamping:problem:unauthorized')
  })
})

function never(): never {
  throw new Error('not called')
}
