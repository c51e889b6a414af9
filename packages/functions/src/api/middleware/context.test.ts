import { createHmac, createPublicKey, generateKeyPairSync, type JsonWebKey, sign } from 'node:crypto'
import { type Actor, requireAccount, useActor } from '@pendamping/core/actor'
import { createTokenVerifier } from '@pendamping/core/auth'
import { LOCAL_ISSUER, LocalKeySet } from '@pendamping/scripts/local/keys'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'

const table = useTestTable()
let keys: LocalKeySet
let kid: string
let app: ReturnType<typeof createApp>

/** Core code several awaits away from the handler: it sees the caller only through request context. */
async function whoIsAsking(): Promise<Actor> {
  await new Promise((resolve) => setImmediate(resolve))
  await Promise.resolve()
  return useActor()
}

/** Lets one request wait, inside its handler, until another request's handler has run. */
const secondArrived = Promise.withResolvers<void>()

beforeAll(async () => {
  keys = await LocalKeySet.generate()
  kid = String(keys.jwks.keys[0]?.kid)
  app = createApp({
    store: { doc: table.doc, tableName: table.tableName },
    verifyToken: createTokenVerifier({
      jwksUrl: 'http://unused.invalid',
      issuer: LOCAL_ISSUER,
      keys: keys.resolver(),
    }),
    corsOrigins: [],
  })
  app.get('/v1/test/staff-only', async (c) => {
    const account = requireAccount('staff')
    return c.json({ account, seen: await whoIsAsking() })
  })
  app.get('/v1/test/first', async (c) => {
    requireAccount()
    await secondArrived.promise
    return c.json(await whoIsAsking())
  })
  app.get('/v1/test/second', async (c) => {
    requireAccount()
    secondArrived.resolve()
    return c.json(await whoIsAsking())
  })
})

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)
const staffClaims = () => ({
  sub: 'staff-1',
  role: 'staff',
  region: '35.73',
  iss: LOCAL_ISSUER,
  exp: now() + 600,
})

/** A JWT put together by hand, the way an attacker would, signed by `signature(signingInput)`. */
function forge(header: object, payload: object, signature: (input: string) => Buffer): string {
  const input = `${encode(header)}.${encode(payload)}`
  return `${input}.${signature(input).toString('base64url')}`
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toContain('application/problem+json')
  const problem = await response.json()
  expect(problem).toMatchObject({ type: `urn:pendamping:problem:${code}`, status })
  expect(JSON.stringify(problem)).not.toMatch(/JWS|JWT|signature|stack|\.ts:/i)
  return problem
}

describe('Who is calling', () => {
  it('lets a staff member through, and core sees them through request context, not Hono', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    const response = await app.request('/v1/test/staff-only', { headers: bearer(token) })
    expect(response.status).toBe(200)
    const staff = { kind: 'account', sub: 'staff-1', role: 'staff', region: '35.73' }
    expect(await response.json()).toEqual({ account: staff, seen: staff })
    expect(useActor()).toEqual({ kind: 'anonymous' })
  })

  it('keeps each request’s caller apart when requests interleave', async () => {
    const mentor = await keys.sign({ sub: 'mentor-1', role: 'mentor', region: '35.73' })
    const staff = await keys.sign({ sub: 'staff-2', role: 'staff', region: '35.07' })
    const first = app.request('/v1/test/first', { headers: bearer(mentor) })
    const second = app.request('/v1/test/second', { headers: bearer(staff) })
    const [one, two] = await Promise.all([first, second])
    expect(await one.json()).toMatchObject({ sub: 'mentor-1', role: 'mentor' })
    expect(await two.json()).toMatchObject({ sub: 'staff-2', region: '35.07' })
  })

  it('accepts the scheme in any letter case', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    const response = await app.request('/v1/test/staff-only', {
      headers: { authorization: `bearer ${token}` },
    })
    expect(response.status).toBe(200)
  })

  it('asks an anonymous caller to sign in with a 401 problem, in their language', async () => {
    const response = await app.request('/v1/test/staff-only', { headers: { 'accept-language': 'en' } })
    const problem = await expectProblem(response, 401, 'unauthorized')
    expect(problem.title).toBe('Sign-in required')
    expect(problem.instance).toBe('/v1/test/staff-only')
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('names the token as the problem in WWW-Authenticate when one was sent', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73', ttl: -60 })
    const response = await app.request('/v1/test/staff-only', { headers: bearer(token) })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
  })

  it('lets an admin do what staff may do', async () => {
    const token = await keys.sign({ sub: 'admin-1', role: 'admin', region: '35' })
    const response = await app.request('/v1/test/staff-only', { headers: bearer(token) })
    expect(response.status).toBe(200)
    expect((await response.json()).seen).toMatchObject({ role: 'admin', region: '*' })
  })

  it.each([
    ['another scheme', 'Basic c3RhZmY6cmFoYXNpYQ=='],
    ['a scheme without a token', 'Bearer'],
    ['a blank header', ''],
    ['two spaces', 'Bearer  eyJhbGciOiJSUzI1NiJ9.e30.c2ln'],
    ['a token that is no JWT', 'Bearer not-a-jwt'],
    ['the token alone', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln'],
  ])('refuses a malformed Authorization header (%s) with 401', async (_, authorization) => {
    const response = await app.request('/v1/test/staff-only', { headers: { authorization } })
    await expectProblem(response, 401, 'unauthorized')
  })

  it('refuses an expired token with 401', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73', ttl: -60 })
    await expectProblem(
      await app.request('/v1/test/staff-only', { headers: bearer(token) }),
      401,
      'unauthorized',
    )
  })

  it('refuses a token signed with another key under the right key id with 401', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const token = forge({ alg: 'RS256', typ: 'JWT', kid }, staffClaims(), (input) =>
      sign('sha256', Buffer.from(input), privateKey),
    )
    await expectProblem(
      await app.request('/v1/test/staff-only', { headers: bearer(token) }),
      401,
      'unauthorized',
    )
  })

  it('refuses an unsigned token (alg: none) with 401', async () => {
    const token = `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(staffClaims())}.`
    await expectProblem(
      await app.request('/v1/test/staff-only', { headers: bearer(token) }),
      401,
      'unauthorized',
    )
  })

  it('refuses an HS256 token keyed with the published RSA public key with 401', async () => {
    const pem = createPublicKey({ key: keys.jwks.keys[0] as JsonWebKey, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    })
    const token = forge({ alg: 'HS256', typ: 'JWT', kid }, staffClaims(), (input) =>
      createHmac('sha256', pem).update(input).digest(),
    )
    await expectProblem(
      await app.request('/v1/test/staff-only', { headers: bearer(token) }),
      401,
      'unauthorized',
    )
  })

  it('refuses a bad token even on a route anyone may call', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73', ttl: -60 })
    expect((await app.request('/health')).status).toBe(200)
    await expectProblem(await app.request('/health', { headers: bearer(token) }), 401, 'unauthorized')
  })

  it('forbids a mentor a staff-only route with 403', async () => {
    const token = await keys.sign({ sub: 'mentor-1', role: 'mentor', region: '35.73' })
    const response = await app.request('/v1/test/staff-only', {
      headers: { ...bearer(token), 'accept-language': 'en' },
    })
    const problem = await expectProblem(response, 403, 'forbidden')
    expect(problem.title).toBe('Access denied')
  })
})
