import type { Actor } from '@pendamping/core/actor/index'
import type { Locale } from '@pendamping/core/i18n/index'
import type { LambdaContext } from 'hono/aws-lambda'

/** What every handler of the app can read from `c.var` and, on Lambda, `c.env`. */
export interface AppEnv {
  Bindings: {
    event?: { requestContext?: { requestId?: string } }
    lambdaContext?: LambdaContext
    /** Inside a lazily loaded route group: hands an unanswered error back to the main app. */
    handBack?: (error: unknown) => void
  }
  Variables: { requestId: string; locale: Locale; actor: Actor }
}
