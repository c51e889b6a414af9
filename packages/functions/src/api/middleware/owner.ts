import type { Context, MiddlewareHandler } from 'hono'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'

/** `?token=` on an owner's link (opened from WhatsApp); other parameters a messenger appends are ignored. */
export const TrackingTokenQuery = z.object({
  token: z.optional(z.string().check(z.maxLength(64))),
})

/**
 * The tracking token the business owner presented: header `X-Tracking-Token`, else query `?token=`.
 * Only read here; whether it opens the request is decided by the request module, in constant time.
 */
export function trackingTokenOf(c: Context): string | undefined {
  const token = c.req.header('x-tracking-token') || c.req.query('token')
  return token ? token : undefined
}

/**
 * For routes an owner reaches with their token: the answer carries personal data and the URL may carry
 * the token, so nothing may be cached or leaked through `Referer`.
 */
export function ownerRoute(): MiddlewareHandler<AppEnv> {
  return async function ownerRoute(c, next) {
    await next()
    c.header('cache-control', 'no-store')
    c.header('referrer-policy', 'no-referrer')
  }
}
