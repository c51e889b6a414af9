import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Role } from '@pendamping/core/actor'
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose'

export const LOCAL_ISSUER = 'http://localhost/pendamping-local'

/** What a local token says about its holder; the same claims Cognito tokens carry. */
export interface LocalClaims {
  sub: string
  role: Role
  region: string
  /** Lifetime in seconds; 8 hours by default. */
  ttl?: number
}

/**
 * The local stand-in for Cognito's signing keys: one RS256 key pair whose public half is served as a
 * JWKS, so the API verifies local tokens with exactly the code that verifies Cognito's.
 */
export class LocalKeySet {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwks: JSONWebKeySet,
    private readonly kid: string,
  ) {}

  static async generate(): Promise<LocalKeySet> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const kid = crypto.randomUUID()
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
    return new LocalKeySet(privateKey, { keys: [jwk] }, kid)
  }

  /** Loads the key pair kept at `file`, making and saving one on first use. */
  static async persistent(file: string): Promise<LocalKeySet> {
    if (existsSync(file)) {
      const saved = JSON.parse(await readFile(file, 'utf8')) as {
        privateJwk: JWK
        jwks: JSONWebKeySet
        kid: string
      }
      // Extractable: the local OpenID Connect provider signs with this key as a JWK (`signingJwk`).
      const privateKey = (await importJWK(saved.privateJwk, 'RS256', { extractable: true })) as CryptoKey
      return new LocalKeySet(privateKey, saved.jwks, saved.kid)
    }
    const keys = await LocalKeySet.generate()
    await mkdir(dirname(file), { recursive: true })
    const privateJwk = await exportJWK(keys.privateKey)
    await writeFile(file, JSON.stringify({ privateJwk, jwks: keys.jwks, kid: keys.kid }), { mode: 0o600 })
    return keys
  }

  /**
   * The private key as a JWK, with its `kid`: the local OpenID Connect provider signs its ID and
   * access tokens with it, so they verify against the same published key set as `npm run token`'s.
   */
  async signingJwk(): Promise<JWK> {
    return { ...(await exportJWK(this.privateKey)), kid: this.kid, alg: 'RS256', use: 'sig' }
  }

  /** A key resolver for `createTokenVerifier({ keys })`, for tests that need no HTTP. */
  resolver() {
    return createLocalJWKSet(this.jwks)
  }

  async sign(claims: LocalClaims): Promise<string> {
    return await new SignJWT({ role: claims.role, region: claims.region, token_use: 'access' })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(LOCAL_ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${claims.ttl ?? 8 * 3600}s`)
      .sign(this.privateKey)
  }
}
