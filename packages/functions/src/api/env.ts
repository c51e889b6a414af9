import type { Actor } from '@pendamping/core/actor'
import type { Locale } from '@pendamping/core/i18n'
import type { LambdaContext } from 'hono/aws-lambda'

/** What every handler of the app can read from `c.var` and, on Lambda, `c.env`. */
export interface AppEnv {
  Bindings: {
    /** API Gateway's event (payload v2): its request id, and the client's address as the gateway saw it. */
    event?: { requestContext?: { requestId?: string; http?: { sourceIp?: string } } }
    /** On Node (`@hono/node-server`, the local stack): the incoming request, whose socket has the client's address. */
    incoming?: { socket?: { remoteAddress?: string | undefined } }
    lambdaContext?: LambdaContext
    /** Inside a lazily loaded route group: hands an unanswered error back to the main app. */
    handBack?: (error: unknown) => void
  }
  Variables: { requestId: string; locale: Locale; actor: Actor }
}
