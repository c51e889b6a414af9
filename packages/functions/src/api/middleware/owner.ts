import { createHash } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'

/**
 * The query of an owner's route: nothing of ours. The tracking token is a credential and travels only
 * in `X-Tracking-Token`, never in a URL (where logs, history and `Referer` would keep it); parameters
 * a messenger appends to a link are ignored. The pages exchange a link's `?token=` for a cookie
 * (`/lacak/{id}`), the API never reads it.
 */
export const TrackingTokenQuery = z.object({})

/**
 * The tracking token the business owner presented in `X-Tracking-Token`. Only read here; whether it
 * opens the request is decided by the request module, in constant time.
 */
export function trackingTokenOf(c: Context): string | undefined {
  const token = c.req.header('x-tracking-token')
  return token ? token : undefined
}

/** A hash of the presented tracking token, to scope what is stored for its holder (idempotent answers). */
export function trackingTokenScope(c: Context): string | undefined {
  const token = trackingTokenOf(c)
  if (token === undefined) return undefined
  // Not the token: an answer stored for one holder is never replayed to another.
  return `owner:${createHash('sha256').update(token).digest('base64url')}`
}

/**
 * For routes an owner reaches with their token: the answer carries personal data, so nothing may be
 * cached or leaked through `Referer`.
 */
export function ownerRoute(): MiddlewareHandler<AppEnv> {
  return async function ownerRoute(c, next) {
    await next()
    // On the answer's own headers: `c.header` after the handler would copy the whole response.
    c.res.headers.set('cache-control', 'no-store')
    c.res.headers.set('referrer-policy', 'no-referrer')
  }
}
