import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'

export interface CorsOptions {
  /** The origin to allow for this `Origin` header, or `null` for none. */
  origin: (origin: string) => string | null
  allowMethods: readonly string[]
  allowHeaders: readonly string[]
  exposeHeaders: readonly string[]
  /** Seconds a browser may keep a preflight's answer. */
  maxAge: number
}

/**
 * CORS, answering exactly as Hono's `cors` middleware does with the same options (a preflight is a
 * 204; every other answer carries `Access-Control-Expose-Headers`, the allowed origin when there is
 * one, and `Vary: Origin`), but without copying the answer: Hono's version reads `c.res` before the
 * handler runs and calls `c.header` after it, and each makes Hono rebuild the response around its
 * body stream (a real `Request`/`Response` pair per request on `@hono/node-server`). Here the headers
 * go with the others set before the handler, and `Vary` onto the finished answer's own headers.
 *
 * @example
 * app.use(cors({ origin: (o) => (allowed.includes(o) ? o : null), allowMethods: ['GET'], allowHeaders: [], exposeHeaders: [], maxAge: 600 }))
 */
export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const allowMethods = options.allowMethods.join(',')
  const allowHeaders = options.allowHeaders.join(',')
  const exposeHeaders = options.exposeHeaders.join(',')
  return async function cors(c, next) {
    const allowOrigin = options.origin(c.req.header('origin') || '')
    if (c.req.method === 'OPTIONS') {
      // A preflight is rare: answered from `c.res`'s headers, as Hono does.
      const headers = c.res.headers
      if (allowOrigin) headers.set('Access-Control-Allow-Origin', allowOrigin)
      if (exposeHeaders) headers.set('Access-Control-Expose-Headers', exposeHeaders)
      headers.append('Vary', 'Origin')
      headers.set('Access-Control-Max-Age', String(options.maxAge))
      if (allowMethods) headers.set('Access-Control-Allow-Methods', allowMethods)
      if (allowHeaders) {
        headers.set('Access-Control-Allow-Headers', allowHeaders)
        headers.append('Vary', 'Access-Control-Request-Headers')
      }
      headers.delete('Content-Length')
      headers.delete('Content-Type')
      return new Response(null, { headers, status: 204, statusText: 'No Content' })
    }
    if (allowOrigin) c.header('Access-Control-Allow-Origin', allowOrigin)
    if (exposeHeaders) c.header('Access-Control-Expose-Headers', exposeHeaders)
    await next()
    c.res.headers.append('Vary', 'Origin')
  }
}
