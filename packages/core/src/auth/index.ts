import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import * as v from 'valibot'
import type { Actor } from '../actor/index.ts'
import { isOutage, ServiceUnavailableError, UnauthorizedError } from '../errors/index.ts'

const regionCode = v.pipe(v.string(), v.regex(/^(\*|\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)$/))

/**
 * The claims an account token must carry. Cognito puts custom attributes under `custom:`; a
 * pre-token-generation trigger (or the local key set) may put them at the top level.
 */
const AccountClaims = v.object({
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  role: v.picklist(['mentor', 'staff', 'admin']),
  region: regionCode,
})

export interface TokenVerifierOptions {
  /** Cognito's `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`, or the local key set. */
  jwksUrl: string
  /**
   * The tokens' `iss`. Locally two issuers sign with the same key set: the local OpenID Connect
   * provider (sign-in) and `npm run token` (API scripts); on AWS only the user pool.
   */
  issuer: string | readonly string[]
  /** When set, the token's `aud` (id tokens) or `client_id` (access tokens) must equal it. */
  audience?: string | undefined
  /** For tests: a key resolver instead of fetching `jwksUrl`. */
  keys?: JWTVerifyGetKey
  /** How many verified tokens are remembered, each until it expires ({@link VERIFIED_TOKENS} by default). */
  remember?: number
}

/** Seconds of clock skew forgiven on `exp` and `nbf`. */
const CLOCK_TOLERANCE = 5

/**
 * Verified tokens remembered per verifier. A signed-in person sends the same token with every call
 * for up to an hour; checking its RSA signature and claims again each time is most of what a read
 * costs beyond DynamoDB (docs/contract/budgets.md). 1 000 entries of ~1 KB.
 */
export const VERIFIED_TOKENS = 1_000

export type AccountActor = Extract<Actor, { kind: 'account' }>
export type TokenVerifier = (token: string) => Promise<AccountActor>

/**
 * Verifies account tokens against a JWKS: RS256 only (so an `alg: none` or an HS256 token signed
 * with the public key is refused), issuer checked, expiry checked with 5 s of clock tolerance.
 * Keys are fetched once and cached by jose; an unknown `kid` triggers a refetch at most every 30 s.
 * A token that verified is remembered (the last `remember` of them) and answered again without
 * verifying until it expires; one that failed is judged afresh every time.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.keys ?? remoteKeySet(new URL(options.jwksUrl))
  const remember = options.remember ?? VERIFIED_TOKENS
  /**
   * Tokens that verified, by the whole token (its signature covers the rest, but a token is only ever
   * answered from here when every character is the one that verified), with the instant they stop
   * being accepted, as jose would judge it. Oldest first, so the first is the one to forget.
   */
  const verified = new Map<string, { actor: AccountActor; until: number }>()
  return async (token) => {
    const known = verified.get(token)
    if (known) {
      if (Date.now() < known.until) return known.actor
      verified.delete(token)
    }
    const { actor, exp } = await verifyToken(token, keys, options)
    if (remember > 0) {
      if (verified.size >= remember) verified.delete(verified.keys().next().value as string)
      verified.set(token, { actor, until: (exp + CLOCK_TOLERANCE) * 1000 })
    }
    return actor
  }
}

/**
 * jose, loaded with the first token to verify rather than at cold start: a cold start that answers
 * a call without a token never parses it (docs/decisions/0012-lazy-lambda-request.md).
 */
let jose: Promise<typeof import('jose')> | undefined
const loadJose = () => {
  jose ??= import('jose')
  return jose
}

/** jose's remote key set (fetched once, cached; an unknown `kid` refetches at most every 30 s), made on first use. */
function remoteKeySet(url: URL): JWTVerifyGetKey {
  let keySet: JWTVerifyGetKey | undefined
  return async (header, token) => {
    keySet ??= (await loadJose()).createRemoteJWKSet(url, { cooldownDuration: 30_000 })
    return keySet(header, token)
  }
}

/** Verifies one token (signature, issuer, expiry, audience, claims): the actor, and when the token expires. */
async function verifyToken(
  token: string,
  keys: JWTVerifyGetKey,
  options: TokenVerifierOptions,
): Promise<{ actor: AccountActor; exp: number }> {
  let payload: JWTPayload
  try {
    const { jwtVerify } = await loadJose()
    ;({ payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      issuer: typeof options.issuer === 'string' ? options.issuer : [...options.issuer],
      clockTolerance: CLOCK_TOLERANCE,
      requiredClaims: ['sub', 'exp'],
    }))
  } catch (error) {
    // The key set could not be fetched (unreachable, timed out, not a 200): nothing says the token
    // is bad, so the caller is asked to try again (503) rather than told to sign in again (401).
    if (keySetUnavailable(error))
      throw new ServiceUnavailableError('Key set unavailable', undefined, { cause: error })
    throw new UnauthorizedError('Token verification failed', { cause: error })
  }
  if (options.audience && payload.aud !== options.audience && payload.client_id !== options.audience) {
    throw new UnauthorizedError('Token audience mismatch')
  }
  const claims = v.safeParse(AccountClaims, {
    sub: payload.sub,
    role: payload.role ?? payload['custom:role'],
    region: payload.region ?? payload['custom:region'],
  })
  if (!claims.success) throw new UnauthorizedError('Token lacks role or region')
  const { sub, role, region } = claims.output
  if (region === '*' && role !== 'admin') throw new UnauthorizedError('Only admins cover every region')
  return {
    // Frozen: one remembered actor answers every later call with the same token.
    actor: Object.freeze({ kind: 'account', sub, role, region: role === 'admin' ? '*' : region }),
    // `requiredClaims` made jose check it is there and a number.
    exp: payload.exp as number,
  }
}

/**
 * Whether verification failed because the key set could not be had, not because of the token: jose
 * times out (`ERR_JWKS_TIMEOUT`), says the key set's answer was not a 200 or not JSON (its generic
 * error), or lets the network error through (`fetch failed`, a refused connection).
 */
function keySetUnavailable(error: unknown): boolean {
  // By jose's stable error codes, not its classes: importing `errors` puts every jose error class
  // (26 KB) on the API's cold path.
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ERR_JWKS_TIMEOUT') return true
  if (code === 'ERR_JOSE_GENERIC')
    return /JSON Web Key Set HTTP response/.test(error instanceof Error ? error.message : '')
  return isOutage(error)
}
