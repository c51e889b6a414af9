import { type Actor, withContext } from '@pendamping/core/actor'
import type { AccountActor, TokenVerifier } from '@pendamping/core/auth'
import { UnauthorizedError } from '@pendamping/core/errors'
import { type Locale, negotiateLocale } from '@pendamping/core/i18n'
import type { MiddlewareHandler } from 'hono'
import { logger } from '../../logger.ts'
import type { AppEnv } from '../env.ts'

export interface RequestContextOptions {
  verifyToken: TokenVerifier
  /**
   * Runs after a token verifies: refuses an account that may no longer act although its token is
   * still valid (a suspended mentor), by throwing.
   */
  checkAccount?: ((actor: AccountActor) => Promise<void>) | undefined
}

const requestIdPattern = /^[\w-]{8,64}$/

/**
 * Establishes who is calling and in which language, for everything downstream: Hono handlers read
 * `c.var`, core reads the same through `AsyncLocalStorage`. A bearer token, when sent, must verify,
 * or the request ends with 401 whatever the route.
 *
 * @example
 * app.use(requestContext({ verifyToken: createTokenVerifier({ jwksUrl, issuer }) }))
 */
export function requestContext(options: RequestContextOptions): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    // `Date.now()`, not `performance.now()`: the first touch of `performance` loads `perf_hooks`
    // (~0.5 ms of a cold start), and the request line rounds to whole milliseconds anyway.
    const started = Date.now()
    const sent = c.req.header('x-request-id')
    const requestId =
      sent && requestIdPattern.test(sent)
        ? sent
        : (c.env?.event?.requestContext?.requestId ?? crypto.randomUUID())
    const locale: Locale = negotiateLocale(c.req.header('accept-language'))
    c.set('requestId', requestId)
    c.set('locale', locale)
    c.header('x-request-id', requestId)
    c.header('content-language', locale)
    c.header('vary', 'Accept-Language', { append: true })

    let actor: Actor = { kind: 'anonymous' }
    const authorization = c.req.header('authorization')
    c.set('actor', actor)
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(' ')
      if (scheme?.toLowerCase() !== 'bearer' || !token)
        throw new UnauthorizedError('Malformed Authorization header')
      const account = await options.verifyToken(token)
      if (options.checkAccount) await options.checkAccount(account)
      actor = account
      c.set('actor', actor)
    }

    try {
      // Every line logged inside carries `requestId`, and no other request's.
      await logger.withKeys({ requestId }, () => withContext({ actor, requestId, locale }, next))
    } finally {
      logger.info('request', {
        requestId,
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Date.now() - started,
        role: actor.kind === 'account' ? actor.role : actor.kind,
      })
    }
  }
}
