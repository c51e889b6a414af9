import type { AccountDirectory } from '@pendamping/core/account/index'
import type { TokenVerifier } from '@pendamping/core/auth/index'
import { MalformedBodyError, NotFoundError, PayloadTooLargeError } from '@pendamping/core/errors/index'
import { negotiateLocale } from '@pendamping/core/i18n/index'
import type { Clock, Store } from '@pendamping/core/store'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { logger } from '../logger.ts'
import type { AppEnv } from './env.ts'
import { requestContext } from './middleware/context.ts'
import { toProblem } from './problem.ts'
import { engagementRoutes } from './routes/engagements.ts'
import { mentorRoutes } from './routes/mentors.ts'
import { metaRoutes } from './routes/meta.tsx'
import { offerRoutes } from './routes/offers.ts'
import { pageRoutes } from './routes/pages.tsx'
import { programRoutes } from './routes/programs.ts'
import { reportRoutes } from './routes/reports.tsx'
import { requestRoutes } from './routes/requests.ts'
import { sessionRoutes } from './routes/sessions.ts'

export interface AppDependencies {
  store: Store
  clock?: Clock
  verifyToken: TokenVerifier
  /** Where approved mentors get their accounts: Cognito on AWS, the local directory elsewhere. */
  accounts?: AccountDirectory
  /** Origins allowed by CORS; an empty list allows none. */
  corsOrigins: string[]
  /** Largest accepted body, in bytes. */
  bodyLimit?: number
}

export const DEFAULT_BODY_LIMIT = 64 * 1024

/**
 * The whole HTTP product as one Hono app: the Lambda handler and the local Node server both serve
 * exactly this. Dependencies come in as arguments so tests build it against their own table.
 */
export function createApp(deps: AppDependencies) {
  const limit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT
  const api = new Hono<AppEnv>()

  api.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  )
  api.use(
    cors({
      origin: (origin) => (deps.corsOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'X-Tracking-Token',
        'Accept-Language',
      ],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    }),
  )
  api.use(requestContext({ verifyToken: deps.verifyToken }))
  api.use(
    bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new PayloadTooLargeError(limit)
      },
    }),
  )

  api.notFound(() => {
    throw new NotFoundError('No such route')
  })
  api.onError((error, c) => {
    let failure: unknown = error
    if (error instanceof HTTPException && error.status === 400)
      failure = new MalformedBodyError(error.message)
    const locale = c.var.locale ?? negotiateLocale(c.req.header('accept-language'))
    const problem = toProblem(failure, locale)
    if (problem.status >= 500) logger.error('unhandled error', { error, route: c.req.routePath })
    else logger.info('refused', { code: problem.type, status: problem.status, route: c.req.routePath })
    problem.instance = new URL(c.req.url).pathname
    if (c.var.requestId) problem.requestId = c.var.requestId
    const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8' }
    if (problem.status === 401) {
      headers['www-authenticate'] = c.req.header('authorization') ? 'Bearer error="invalid_token"' : 'Bearer'
    }
    return c.body(JSON.stringify(problem), problem.status as 400, headers)
  })

  api.route('/', metaRoutes(api))
  api.route('/', programRoutes(deps))
  api.route('/', requestRoutes(deps))
  api.route('/', mentorRoutes(deps))
  api.route('/', offerRoutes(deps))
  api.route('/', engagementRoutes(deps))
  api.route('/', sessionRoutes(deps))
  api.route('/', reportRoutes(deps))
  api.route('/', pageRoutes(deps))
  return api
}

export type App = ReturnType<typeof createApp>
