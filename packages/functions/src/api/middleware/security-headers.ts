import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'

/**
 * The Content-Security-Policy of every answer: our own scripts, styles and images only (inline
 * styles for the server-rendered pages), never framed, forms posted only to us.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

/**
 * Every answer's security headers: the defaults of Hono's `secureHeaders` (helmet's), with
 * `Referrer-Policy: no-referrer` and {@link CONTENT_SECURITY_POLICY}. Written out rather than built
 * by Hono's middleware, whose options code (CSP directives, nonces, permissions and reporting
 * policies) the API never uses and every cold start loaded; a test holds this list to what Hono's
 * middleware sets with the same options, so a Hono upgrade that changes its defaults is noticed.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [name: string, value: string]> = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
]

/**
 * Sets {@link SECURITY_HEADERS} on every finished answer, replacing any a route set, and drops
 * `X-Powered-By`: what Hono's `secureHeaders` does with the same options.
 *
 * @example
 * app.use(securityHeaders())
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    await next()
    const headers = c.res.headers
    for (const [name, value] of SECURITY_HEADERS) headers.set(name, value)
    headers.delete('X-Powered-By')
  }
}
