import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LOCAL_ISSUER, LocalKeySet } from '@pendamping/scripts/local/keys'
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ServiceUnavailableError, UnauthorizedError } from '../errors/index.ts'
import { createTokenVerifier, type TokenVerifier } from './index.ts'

let dir: string
let keys: LocalKeySet
/** The key set's own private key, read back from its file, to sign tokens with claims `sign()` never makes. */
let signingKey: CryptoKey
let kid: string
let verify: TokenVerifier

const now = () => Math.floor(Date.now() / 1000)

/** A well-formed staff token's claims; each test spoils one thing. */
const staffClaims = (): JWTPayload => ({
  sub: 'staff-1',
  role: 'staff',
  region: '35.73',
  iss: LOCAL_ISSUER,
  iat: now(),
  exp: now() + 3600,
  token_use: 'access',
})

function without(claims: JWTPayload, ...names: string[]): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)))
}

async function sign(
  claims: JWTPayload,
  key: CryptoKey | Uint8Array = signingKey,
  header: JWTHeaderParameters = { alg: 'RS256', kid, typ: 'JWT' },
): Promise<string> {
  return await new SignJWT(claims).setProtectedHeader(header).sign(key)
}

async function refused(token: string, verifier: TokenVerifier = verify) {
  const failure = await verifier(token).then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(failure).toBeInstanceOf(UnauthorizedError)
  expect(failure).toMatchObject({ status: 401, code: 'unauthorized' })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendamping-auth-'))
  const file = join(dir, 'keys.json')
  keys = await LocalKeySet.persistent(file)
  const saved = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK; kid: string }
  signingKey = (await importJWK(saved.privateJwk, 'RS256')) as CryptoKey
  kid = saved.kid
  verify = createTokenVerifier({
    jwksUrl: 'http://unused.invalid',
    issuer: LOCAL_ISSUER,
    keys: keys.resolver(),
  })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('Account tokens', () => {
  it('turns a valid local token into the account actor', async () => {
    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    expect(await verify(token)).toEqual({ kind: 'account', sub: 'staff-1', role: 'staff', region: '35.73' })
  })

  it('accepts a mentor of a district', async () => {
    const token = await keys.sign({ sub: 'mentor-9', role: 'mentor', region: '35.73.01' })
    expect(await verify(token)).toMatchObject({ role: 'mentor', region: '35.73.01' })
  })

  it('scopes an admin to every region, whatever region the token names', async () => {
    const token = await keys.sign({ sub: 'admin-1', role: 'admin', region: '35' })
    expect(await verify(token)).toEqual({ kind: 'account', sub: 'admin-1', role: 'admin', region: '*' })
  })

  it('refuses a staff or mentor token that claims every region', async () => {
    await refused(await keys.sign({ sub: 'staff-1', role: 'staff', region: '*' }))
    await refused(await keys.sign({ sub: 'mentor-1', role: 'mentor', region: '*' }))
  })

  it('refuses an expired token', async () => {
    await refused(await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73', ttl: -60 }))
    await refused(await sign({ ...staffClaims(), iat: now() - 7200, exp: now() - 3600 }))
  })

  it('forgives a few seconds of clock skew, no more', async () => {
    expect(await verify(await sign({ ...staffClaims(), exp: now() - 2 }))).toMatchObject({ sub: 'staff-1' })
    await refused(await sign({ ...staffClaims(), exp: now() - 30 }))
  })

  it('refuses a token without an expiry', async () => {
    await refused(await sign(without(staffClaims(), 'exp')))
  })

  it('refuses a token not valid yet', async () => {
    await refused(await sign({ ...staffClaims(), nbf: now() + 600 }))
  })

  it('refuses a token signed by another key that claims the same key id', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    await refused(await sign(staffClaims(), privateKey))
  })

  it('refuses a token whose header carries its own signing key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    const jwk = await exportJWK(publicKey)
    await refused(await sign(staffClaims(), privateKey, { alg: 'RS256', kid, jwk }))
  })

  it('refuses a token signed by a key it does not know', async () => {
    const stranger = await LocalKeySet.generate()
    await refused(await stranger.sign({ sub: 'staff-1', role: 'staff', region: '35.73' }))
  })

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign(staffClaims())).split('.')
    const payload = base64url.encode(JSON.stringify({ ...staffClaims(), role: 'admin' }))
    await refused(`${header}.${payload}.${signature}`)
  })

  it('refuses an unsigned token (alg: none)', async () => {
    const encode = (value: object) => base64url.encode(JSON.stringify(value))
    await refused(`${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(staffClaims())}.`)
    await refused(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(staffClaims())}.`)
  })

  it('refuses an HS256 token keyed with the RSA public key (algorithm confusion)', async () => {
    const publicJwk = keys.jwks.keys[0] as JWK
    const publicKey = (await importJWK(publicJwk, 'RS256', { extractable: true })) as CryptoKey
    const secrets = [
      new TextEncoder().encode(await exportSPKI(publicKey)),
      new TextEncoder().encode(JSON.stringify(publicJwk)),
    ]
    for (const secret of secrets) {
      await refused(await sign(staffClaims(), secret, { alg: 'HS256', kid, typ: 'JWT' }))
    }
  })

  it('refuses a token from another issuer', async () => {
    await refused(
      await sign({ ...staffClaims(), iss: 'https://cognito-idp.ap-southeast-3.amazonaws.com/other' }),
    )
    await refused(await sign(without(staffClaims(), 'iss')))
  })

  it('refuses a token without a role or a region', async () => {
    await refused(await sign(without(staffClaims(), 'role')))
    await refused(await sign(without(staffClaims(), 'region')))
    await refused(await sign(without(staffClaims(), 'sub')))
  })

  it('refuses a role the product does not have', async () => {
    await refused(await sign({ ...staffClaims(), role: 'owner' }))
    await refused(await sign({ ...staffClaims(), role: 'Staff' }))
  })

  it.each(['3573', '35.7', '35.73.1', 'jawa-timur', '', '35.73.01.12', '35.'])(
    'refuses the region code %j',
    async (region) => {
      await refused(await sign({ ...staffClaims(), region }))
    },
  )

  it('accepts the Kemendagri codes of a province, city, district and village', async () => {
    for (const region of ['35', '35.73', '35.73.01', '35.73.01.1001']) {
      expect(await verify(await sign({ ...staffClaims(), region }))).toMatchObject({ region })
    }
  })

  describe('remembering verified tokens', () => {
    /** A verifier whose key resolver counts how often a signature was checked. */
    function counting(remember?: number) {
      const resolver = keys.resolver()
      const counter = { checks: 0 }
      const verifier = createTokenVerifier({
        jwksUrl: 'http://unused.invalid',
        issuer: LOCAL_ISSUER,
        keys: (...args) => {
          counter.checks++
          return resolver(...args)
        },
        ...(remember === undefined ? {} : { remember }),
      })
      return { verifier, counter }
    }

    afterEach(() => {
      vi.useRealTimers()
    })

    it('verifies a token once, then answers the same actor until it expires', async () => {
      const { verifier, counter } = counting()
      const token = await sign({ ...staffClaims(), exp: now() + 60 })
      const first = await verifier(token)
      expect(await verifier(token)).toEqual(first)
      expect(counter.checks).toBe(1)
      // Past its expiry and the 5 s of skew, it is judged again, and refused.
      vi.useFakeTimers({ now: (now() + 66) * 1000, toFake: ['Date'] })
      await refused(token, verifier)
      expect(counter.checks).toBe(2)
    })

    it('never answers a token that differs from the verified one, even by its payload alone', async () => {
      const { verifier } = counting()
      const token = await sign(staffClaims())
      await verifier(token)
      const [header, , signature] = token.split('.')
      const payload = base64url.encode(JSON.stringify({ ...staffClaims(), role: 'admin', region: '*' }))
      await refused(`${header}.${payload}.${signature}`, verifier)
    })

    it('judges a refused token afresh every time', async () => {
      const { verifier, counter } = counting()
      const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '*' })
      await refused(token, verifier)
      await refused(token, verifier)
      expect(counter.checks).toBe(2)
    })

    it('remembers a bounded number, forgetting the oldest first', async () => {
      const { verifier, counter } = counting(2)
      const [a, b, c] = await Promise.all(
        ['staff-a', 'staff-b', 'staff-c'].map((sub) => keys.sign({ sub, role: 'staff', region: '35.73' })),
      )
      for (const token of [a, b, c, c, b]) await verifier(token as string)
      expect(counter.checks).toBe(3)
      await verifier(a as string)
      expect(counter.checks).toBe(4)
    })

    it('hands out an actor nobody can change for the next caller', async () => {
      const { verifier } = counting()
      const actor = await verifier(await sign(staffClaims()))
      expect(() => Object.assign(actor, { role: 'admin' })).toThrow(TypeError)
    })
  })

  describe('from Cognito', () => {
    const issuer = 'https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_Pendampg1'
    const clientId = '4p2k8rq0example7client1d'
    let cognito: TokenVerifier

    beforeAll(() => {
      cognito = createTokenVerifier({
        jwksUrl: `${issuer}/.well-known/jwks.json`,
        issuer,
        audience: clientId,
        keys: keys.resolver(),
      })
    })

    /** An id token as a Cognito user pool issues it, custom attributes under `custom:`. */
    const idToken = (overrides: JWTPayload = {}): JWTPayload => ({
      sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      'cognito:groups': ['staff'],
      email_verified: true,
      iss: issuer,
      'cognito:username': 'dinas.koperasi.malang',
      origin_jti: 'e7f1c2a0-0000-4000-8000-EXAMPLE22222',
      aud: clientId,
      event_id: 'c1d2e3f4-0000-4000-8000-EXAMPLE33333',
      token_use: 'id',
      auth_time: now(),
      exp: now() + 3600,
      iat: now(),
      jti: 'f0e1d2c3-0000-4000-8000-EXAMPLE44444',
      'custom:role': 'staff',
      'custom:region': '35.73',
      ...overrides,
    })

    /** An access token: no `aud`, the app client in `client_id`. */
    const accessToken = (overrides: JWTPayload = {}): JWTPayload => ({
      sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      'cognito:groups': ['staff'],
      iss: issuer,
      client_id: clientId,
      origin_jti: 'e7f1c2a0-0000-4000-8000-EXAMPLE22222',
      event_id: 'c1d2e3f4-0000-4000-8000-EXAMPLE33333',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now(),
      exp: now() + 3600,
      iat: now(),
      jti: 'f0e1d2c3-0000-4000-8000-EXAMPLE55555',
      username: 'dinas.koperasi.malang',
      'custom:role': 'staff',
      'custom:region': '35.73',
      ...overrides,
    })

    it('reads role and region from custom: attributes of an id token', async () => {
      expect(await cognito(await sign(idToken()))).toEqual({
        kind: 'account',
        sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        role: 'staff',
        region: '35.73',
      })
    })

    it('checks the app client of an access token through client_id', async () => {
      expect(await cognito(await sign(accessToken()))).toMatchObject({ role: 'staff', region: '35.73' })
      await refused(await sign(accessToken({ client_id: 'another-app-client' })), cognito)
    })

    it('checks the app client of an id token through aud', async () => {
      await refused(await sign(idToken({ aud: 'another-app-client' })), cognito)
    })

    it('refuses a token that names no app client when one is configured', async () => {
      await refused(await sign(without(accessToken(), 'client_id')), cognito)
    })

    it('refuses a token of the right app client from another user pool', async () => {
      await refused(await sign(idToken({ iss: `${issuer}x` })), cognito)
    })

    it('refuses custom attributes outside the product’s roles and regions', async () => {
      await refused(await sign(idToken({ 'custom:role': 'superuser' })), cognito)
      await refused(await sign(idToken({ 'custom:region': 'Kota Malang' })), cognito)
    })
  })

  describe('against a JWKS URL', () => {
    let server: Server
    let jwksUrl: string
    let fetches = 0

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url === '/down/jwks.json') {
          response.writeHead(503).end()
          return
        }
        if (request.url !== '/.well-known/jwks.json') {
          response.writeHead(404).end()
          return
        }
        fetches++
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys.jwks))
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
    })

    afterAll(async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    })

    it('fetches the keys from the URL once, and verifies with them', async () => {
      const remote = createTokenVerifier({ jwksUrl, issuer: LOCAL_ISSUER })
      const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
      expect(await remote(token)).toEqual({ kind: 'account', sub: 'staff-1', role: 'staff', region: '35.73' })
      expect(
        await remote(await keys.sign({ sub: 'mentor-1', role: 'mentor', region: '35.73' })),
      ).toMatchObject({
        role: 'mentor',
      })
      expect(fetches).toBe(1)
      await refused(await sign(staffClaims(), (await generateKeyPair('RS256')).privateKey), remote)
    })

    it('answers "try again" (503), not "sign in again" (401), while the key set is down', async () => {
      const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
      const failing = createTokenVerifier({
        jwksUrl: jwksUrl.replace('/.well-known/', '/down/'),
        issuer: LOCAL_ISSUER,
      })
      await expect(failing(token)).rejects.toMatchObject({ status: 503, code: 'service-unavailable' })
      // Nobody listens there: a refused connection is an outage too.
      const closed = createServer()
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
      const port = (closed.address() as AddressInfo).port
      await new Promise((resolve) => closed.close(resolve))
      const unreachable = createTokenVerifier({
        jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        issuer: LOCAL_ISSUER,
      })
      await expect(unreachable(token)).rejects.toBeInstanceOf(ServiceUnavailableError)
      // A bad token is still a 401 once the key set answers.
      await refused(`${token.slice(0, -4)}AAAA`, createTokenVerifier({ jwksUrl, issuer: LOCAL_ISSUER }))
    })
  })
})
