import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { type Actor, useContext, withContext } from '@pendamping/core/actor'
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { CookieOptions } from 'hono/utils/cookie'

/** The CSRF cookie's name; sent as `__Host-pd_csrf` (Secure, `Path=/`, no `Domain`: this exact origin only). */
export const CSRF_COOKIE = 'pd_csrf'
export const CSRF_FIELD = '_csrf'

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
  const held = getCookie(c, CSRF_COOKIE, 'host')
  if (held && /^[\w-]{43}$/.test(held)) return held
  const token = randomBytes(32).toString('base64url')
  // `__Host-` must be Secure; browsers keep Secure cookies from http://localhost too.
  setCookie(c, CSRF_COOKIE, token, { ...cookieOptions(c), secure: true, prefix: 'host' })
  return token
}

/** Equal strings in constant time: hashing first makes the lengths equal and leaks nothing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(a), digest(b)) && a.length > 0
}

/**
 * Whether the browser says the post comes from one of our own pages. `Sec-Fetch-Site` must be
 * `same-origin` (not `same-site`: a sibling subdomain is another party); a browser too old to send it
 * is judged by `Origin`, which must be ours when sent. Neither header (very old browsers, scripts)
 * leaves the decision to the double-submit token alone.
 */
function sameOriginPost(c: Context): boolean {
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined) return site === 'same-origin'
  const origin = c.req.header('origin')
  return origin === undefined || origin === new URL(c.req.url).origin
}

/**
 * Reads a page's form post and checks its CSRF token against the cookie (double submit). SameSite
 * alone is not enough: older Android browsers ignore it. A post the browser does not call
 * same-origin ({@link sameOriginPost}) is refused too. The token field is removed before the form
 * reaches a schema.
 */
export async function readCheckedForm(c: Context): Promise<URLSearchParams> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (mediaType !== 'application/x-www-form-urlencoded') throw new CsrfError('Not a form post')
  if (!sameOriginPost(c)) throw new CsrfError('Not a same-origin post')
  const fields = new URLSearchParams(await c.req.text())
  const sent = fields.get(CSRF_FIELD) ?? ''
  const held = getCookie(c, CSRF_COOKIE, 'host') ?? ''
  if (!sameSecret(sent, held)) throw new CsrfError('CSRF token mismatch')
  fields.delete(CSRF_FIELD)
  return fields
}

/** Runs core as `actor`, in the page's language, inside the request's context. */
export function actingAs<T>(actor: Actor, locale: 'id' | 'en', fn: () => T): T {
  return withContext({ ...useContext(), actor, locale }, fn)
}
