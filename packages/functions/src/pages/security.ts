import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { type Actor, useContext, withContext } from '@pendamping/core/actor/index'
import type { AccountActor, TokenVerifier } from '@pendamping/core/auth/index'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { CookieOptions } from 'hono/utils/cookie'

export const CSRF_COOKIE = 'pd_csrf'
export const CSRF_FIELD = '_csrf'
export const MENTOR_COOKIE = 'pd_mentor'

/** Refused form posts: a missing or wrong CSRF token, a cross-site post. Shown as a 403 page. */
export class CsrfError extends Error {
  override name = 'CsrfError'
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}

/** HttpOnly, SameSite=Strict, Secure whenever the page is served over HTTPS (everywhere but localhost). */
export function cookieOptions(c: Context, maxAge?: number): CookieOptions {
  return { path: '/', httpOnly: true, sameSite: 'Strict', secure: isHttps(c), ...(maxAge ? { maxAge } : {}) }
}

/**
 * The CSRF token for the forms of this page: the one the browser already holds in its cookie, or a
 * new random one (256 bits) set now. Double submit: the same value goes in a hidden field.
 */
export function csrfToken(c: Context): string {
  const held = getCookie(c, CSRF_COOKIE)
  if (held && /^[\w-]{43}$/.test(held)) return held
  const token = randomBytes(32).toString('base64url')
  setCookie(c, CSRF_COOKIE, token, cookieOptions(c))
  return token
}

/** Equal strings in constant time: hashing first makes the lengths equal and leaks nothing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(a), digest(b)) && a.length > 0
}

/**
 * Reads a page's form post and checks its CSRF token against the cookie (double submit). SameSite
 * alone is not enough: older Android browsers ignore it. A browser that says the post is cross-site
 * (`Sec-Fetch-Site`) is refused too. The token field is removed before the form reaches a schema.
 */
export async function readCheckedForm(c: Context): Promise<URLSearchParams> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (mediaType !== 'application/x-www-form-urlencoded') throw new CsrfError('Not a form post')
  if (c.req.header('sec-fetch-site') === 'cross-site') throw new CsrfError('Cross-site post')
  const fields = new URLSearchParams(await c.req.text())
  const sent = fields.get(CSRF_FIELD) ?? ''
  const held = getCookie(c, CSRF_COOKIE) ?? ''
  if (!sameSecret(sent, held)) throw new CsrfError('CSRF token mismatch')
  fields.delete(CSRF_FIELD)
  return fields
}

/** Signs a mentor in: the token (as `npm run token` or Cognito issue it) is kept in an HttpOnly cookie. */
export function keepMentorSession(c: Context, token: string, expiresAt?: number) {
  const seconds = expiresAt ? Math.max(60, Math.floor(expiresAt - Date.now() / 1000)) : 8 * 3600
  setCookie(c, MENTOR_COOKIE, token, cookieOptions(c, seconds))
}

export function endMentorSession(c: Context) {
  deleteCookie(c, MENTOR_COOKIE, { path: '/', secure: isHttps(c) })
}

/**
 * The mentor signed in through the cookie, verified with the same verifier as the API's bearer
 * tokens; `undefined` when there is no cookie or it no longer verifies (expired, other issuer…).
 */
export async function signedInMentor(c: Context, verify: TokenVerifier): Promise<AccountActor | undefined> {
  const token = getCookie(c, MENTOR_COOKIE)
  if (!token) return undefined
  try {
    const actor = await verify(token)
    return actor.role === 'mentor' ? actor : undefined
  } catch {
    return undefined
  }
}

/** Runs core as `actor`, in the page's language, inside the request's context. */
export function actingAs<T>(actor: Actor, locale: 'id' | 'en', fn: () => T): T {
  return withContext({ ...useContext(), actor, locale }, fn)
}

/** Seconds since the epoch at which a JWT expires, read without verifying (it was just verified). */
export function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return typeof payload.exp === 'number' ? payload.exp : undefined
  } catch {
    return undefined
  }
}
