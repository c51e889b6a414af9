import { MESSAGE_LINK_TOKEN } from '@pendamping/core/link'
import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { keepPrivateToken } from './common.ts'

/** How long a browser keeps a participant's cookie: a class series and its certificate, with room. */
export const PARTICIPANT_COOKIE_SECONDS = 180 * 24 * 3600

/** A participant token as links carry it: 256 random bits, base64url (43 characters). */
export const PARTICIPANT_TOKEN = /^[A-Za-z0-9_-]{43}$/

/**
 * The private link's token, once exchanged, lives in a cookie of that participant:
 * `__Host-participant-<id>` (a `__Host-` cookie must have `Path=/`, so the id is in its name), HttpOnly,
 * Secure, and SameSite=Lax so the link opened from WhatsApp (a cross-site navigation) still finds it
 * after the redirect. As the tracking page's cookie (docs/contract/security.md#participant-tokens).
 */
const cookieName = (id: string) => `participant-${id}`

/** Keeps the participant's token — or a message link's, until it expires (`maxAge`) — in their cookie. */
export function keepParticipantToken(
  c: Context,
  id: string,
  token: string,
  maxAge = PARTICIPANT_COOKIE_SECONDS,
): void {
  keepPrivateToken(c, cookieName(id), token, maxAge)
}

/** The token (or message link's token) this browser holds for participant `id`, if any. */
export function heldParticipantToken(c: Context, id: string): string | undefined {
  const token = getCookie(c, cookieName(id), 'host')
  return token && (PARTICIPANT_TOKEN.test(token) || MESSAGE_LINK_TOKEN.test(token)) ? token : undefined
}

export function forgetParticipantToken(c: Context, id: string): void {
  deleteCookie(c, cookieName(id), { path: '/', secure: true, prefix: 'host' })
}
