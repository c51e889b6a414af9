/**
 * The pages' sign-in session: an encrypted cookie, never a token in a URL, a log line or a page.
 *
 * Two cookies, both `__Host-` (Secure, `Path=/`, no `Domain`: only this exact origin ever gets them,
 * and browsers accept Secure on `http://localhost` too), HttpOnly, SameSite=Lax (the sign-in comes
 * back from the identity provider as a cross-site top-level navigation, which Strict would strip):
 *
 * - `__Host-pd_signin`, for the ten minutes of one sign-in: the `state`, `nonce` and PKCE verifier
 *   the callback must match, and where to go after;
 * - `__Host-pd_session`: who is signed in (`sub`, `role`, `region`, read from the verified ID
 *   token), when that ID token expires, and the refresh token that renews it.
 *
 * Both are JWEs (`dir` + A256GCM, jose) under the session key from configuration (an SST Secret on
 * AWS), so the browser holds them but can neither read nor alter them. openid-client is not loaded
 * here: renewing a session imports the sign-in module only when a refresh is due.
 */
import type { Role } from '@pendamping/core/actor'
import type { AccountActor, TokenVerifier } from '@pendamping/core/auth'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { EncryptJWT, jwtDecrypt } from 'jose'
import { logger } from '../logger.ts'

export const SESSION_COOKIE = '__Host-pd_session'
export const FLOW_COOKIE = '__Host-pd_signin'

/** How long a sign-in may take, from the button to the callback. */
export const FLOW_SECONDS = 10 * 60
/** How long a page session lasts at most, renewed or not; then the person signs in again. */
export const SESSION_SECONDS = 7 * 24 * 3600
/** Renew the ID token this long before it expires, so a form post never meets an expired session. */
export const REFRESH_AHEAD_SECONDS = 120

/**
 * What the pages need to sign people in: the identity provider (Cognito's user pool, or the local
 * provider), the app's client at it, and the key that seals the session cookies.
 */
export interface SignInSettings {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` says everything else. */
  issuer: string
  clientId: string
  clientSecret: string
  /** 32 random bytes, base64url: encrypts the session cookies. */
  sessionSecret: string
  /** The public base URL of the pages: the callback is `<publicUrl>/auth/callback`. */
  publicUrl: string
  /**
   * Where the provider ends its own login session when the provider publishes no
   * `end_session_endpoint` (Cognito's managed login: `https://<domain>/logout`).
   */
  logoutUrl?: string | undefined
  /** Scopes asked for; `openid email profile` by default. */
  scope?: string | undefined
}

/** Who signs in through a flow: mentors at `/masuk`, staff and admins at `/reports`. */
export type Audience = 'mentor' | 'staff'

export const AUDIENCE_ROLES: Record<Audience, readonly Role[]> = {
  mentor: ['mentor'],
  staff: ['staff', 'admin'],
}

/** One sign-in under way. */
export interface SignInFlow {
  state: string
  nonce: string
  verifier: string
  audience: Audience
  /** A path on this site to go to afterwards. */
  next: string
}

/** A signed-in person, as the session cookie holds them. */
export interface PageSession {
  sub: string
  role: Role
  region: string
  /** When the ID token the session was made from expires (seconds since the epoch). */
  expiresAt: number
  /** Renews the session; revoked at the provider on sign-out. */
  refreshToken?: string | undefined
  /** When the session began (seconds), for its absolute lifetime. */
  since: number
}

function keyOf(settings: SignInSettings): Uint8Array {
  const key = Buffer.from(settings.sessionSecret, 'base64url')
  if (key.length !== 32) throw new Error('The session secret must be 32 bytes, base64url')
  return key
}

async function seal(settings: SignInSettings, claims: object, until: number): Promise<string> {
  return new EncryptJWT({ ...claims })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(until)
    .encrypt(keyOf(settings))
}

async function unseal<T>(settings: SignInSettings, value: string | undefined): Promise<T | undefined> {
  if (!value) return undefined
  try {
    const { payload } = await jwtDecrypt(value, keyOf(settings), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    return payload as T
  } catch {
    // Expired, tampered with, or sealed under an older key: as good as absent.
    return undefined
  }
}

const cookie = (maxAge: number) =>
  ({ path: '/', httpOnly: true, secure: true, sameSite: 'Lax', maxAge, prefix: 'host' }) as const

/** Keeps a sign-in's checks for its callback (ten minutes). */
export async function keepFlow(c: Context, settings: SignInSettings, flow: SignInFlow) {
  const now = Math.floor(Date.now() / 1000)
  setCookie(c, 'pd_signin', await seal(settings, flow, now + FLOW_SECONDS), cookie(FLOW_SECONDS))
}

/** The sign-in under way, read once: the cookie is removed whatever the callback makes of it. */
export async function takeFlow(c: Context, settings: SignInSettings): Promise<SignInFlow | undefined> {
  const flow = await unseal<SignInFlow>(settings, getCookie(c, FLOW_COOKIE))
  deleteCookie(c, 'pd_signin', { path: '/', secure: true, prefix: 'host' })
  return flow
}

/** The session cookie's value: the session sealed until its absolute end. */
export function sealSession(settings: SignInSettings, session: PageSession): Promise<string> {
  return seal(settings, session, session.since + SESSION_SECONDS)
}

export async function keepSession(c: Context, settings: SignInSettings, session: PageSession) {
  const seconds = session.since + SESSION_SECONDS - Math.floor(Date.now() / 1000)
  if (seconds <= 0) return endSession(c)
  setCookie(c, 'pd_session', await sealSession(settings, session), cookie(seconds))
}

export function endSession(c: Context) {
  deleteCookie(c, 'pd_session', { path: '/', secure: true, prefix: 'host' })
}

/** The session as the cookie holds it (not renewed), for signing out. */
export function heldSession(c: Context, settings: SignInSettings): Promise<PageSession | undefined> {
  return unseal<PageSession>(settings, getCookie(c, SESSION_COOKIE))
}

export interface SessionDependencies {
  signIn?: SignInSettings | undefined
  verifyToken: TokenVerifier
  /** Refuses an account that may no longer act (a suspended mentor); the API's bearer check does the same. */
  checkAccount?: ((actor: AccountActor) => Promise<void>) | undefined
}

/**
 * The person signed in to the pages, if any, with one of `roles`. A session whose ID token is about to
 * expire is renewed with its refresh token first (the provider refuses it once the account is disabled
 * or signed out everywhere, and then the session ends); an account refused by `checkAccount` ends it
 * too.
 */
export async function signedIn(
  c: Context,
  deps: SessionDependencies,
  roles: readonly Role[],
): Promise<AccountActor | undefined> {
  const settings = deps.signIn
  if (!settings) return undefined
  let session = await heldSession(c, settings)
  if (!session) return undefined
  if (session.expiresAt - REFRESH_AHEAD_SECONDS <= Math.floor(Date.now() / 1000)) {
    const { renewSession } = await import('./oidc.ts')
    const renewed = await renewSession(settings, deps.verifyToken, session).catch((error: unknown) => {
      logger.info('session not renewed', { reason: error instanceof Error ? error.name : 'unknown' })
      return undefined
    })
    if (!renewed) {
      endSession(c)
      return undefined
    }
    session = renewed
    await keepSession(c, settings, session)
  }
  const actor: AccountActor = {
    kind: 'account',
    sub: session.sub,
    role: session.role,
    region: session.region,
  }
  if (!roles.includes(actor.role)) return undefined
  if (deps.checkAccount) {
    try {
      await deps.checkAccount(actor)
    } catch {
      endSession(c)
      return undefined
    }
  }
  return actor
}
