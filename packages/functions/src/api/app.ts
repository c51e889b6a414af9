import type { AccountDirectory } from '@pendamping/core/account/directory'
import type { TokenVerifier } from '@pendamping/core/auth/index'
import { MalformedBodyError, NotFoundError, PayloadTooLargeError } from '@pendamping/core/errors/index'
import { negotiateLocale } from '@pendamping/core/i18n/index'
import type { Clock, Store } from '@pendamping/core/store'
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { logger } from '../logger.ts'
import type { AppEnv } from './env.ts'
import { requestContext } from './middleware/context.ts'
import { toProblem } from './problem.ts'
import { metaRoutes } from './routes/meta.tsx'

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

  api.route(
    '/',
    metaRoutes(() => allRoutes(deps)),
  )
  for (const group of routeGroups) {
    const serve = lazyGroup(deps, group)
    for (const path of group.paths) api.all(path, serve)
  }
  return api
}

type Routes = (deps: AppDependencies) => Hono<AppEnv>

/** A resource's routes: the paths that reach them, and their module, loaded on first use. */
export interface RouteGroup {
  name: string
  /** Hono paths (`/v1/requests/*`) that together cover every route of the group. */
  paths: readonly string[]
  load: () => Promise<Routes>
}

/**
 * Every route group of the API. Each module is imported the first time a request reaches one of its
 * paths, so a cold start parses only the platform and the one group it serves (esbuild puts each in
 * its own chunk); a test proves the paths cover every route of every group.
 */
export const routeGroups: readonly RouteGroup[] = [
  {
    name: 'programs',
    paths: ['/v1/programs', '/v1/programs/*'],
    load: async () => (await import('./routes/programs.ts')).programRoutes,
  },
  {
    name: 'requests',
    paths: ['/v1/requests', '/v1/requests/*'],
    load: async () => (await import('./routes/requests.ts')).requestRoutes,
  },
  {
    name: 'mentors',
    paths: ['/v1/mentor-applications', '/v1/mentors', '/v1/mentors/*', '/v1/me'],
    load: async () => (await import('./routes/mentors.ts')).mentorRoutes,
  },
  {
    name: 'offers',
    paths: ['/v1/offers/*', '/v1/me/offers'],
    load: async () => (await import('./routes/offers.ts')).offerRoutes,
  },
  {
    name: 'engagements',
    paths: ['/v1/engagements/*', '/v1/me/engagements'],
    load: async () => (await import('./routes/engagements.ts')).engagementRoutes,
  },
  {
    name: 'sessions',
    paths: ['/v1/sessions/*'],
    load: async () => (await import('./routes/sessions.ts')).sessionRoutes,
  },
  {
    name: 'reports',
    paths: ['/v1/reports', '/reports', '/reports/*'],
    load: async () => (await import('./routes/reports.tsx')).reportRoutes,
  },
  {
    name: 'pages',
    paths: [
      '/minta-pendampingan',
      '/en/*',
      '/privasi',
      '/daftar-mentor',
      '/lacak/*',
      '/masuk',
      '/keluar',
      '/tawaran',
      '/tawaran/*',
    ],
    load: async () => (await import('./routes/pages.tsx')).pageRoutes,
  },
]

/**
 * Serves a group from its own Hono app, built on the first request. It runs inside the main app's
 * middleware, so the caller, language and request id are already in request context. Inside the group
 * an error behaves as Hono's always does (middleware after `next()` sees `c.error` and may answer
 * instead, as the idempotency middleware does for a lost race); whatever error is left is then thrown
 * to the main app's one error handler, and so are the group's unknown paths.
 */
function lazyGroup(deps: AppDependencies, group: RouteGroup): MiddlewareHandler<AppEnv> {
  let loading: Promise<Hono<AppEnv>> | undefined
  const load = () => {
    loading ??= group.load().then(
      (routes) => {
        const app = new Hono<AppEnv>().route('/', routes(deps))
        app.notFound(() => {
          throw new NotFoundError('No such route')
        })
        app.onError((error, c) => {
          c.env.handBack?.(error)
          return new Response(null, { status: 500 })
        })
        return app
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  return async function routeGroup(c) {
    let failure: { error: unknown } | undefined
    const response = await (await load()).fetch(c.req.raw, {
      ...c.env,
      handBack: (error: unknown) => {
        failure = { error }
      },
    })
    // The group's last word was an error nobody inside it answered: the main handler answers it.
    if (failure && response.status === 500 && !response.body) throw failure.error
    return response
  }
}

/** Every route of every group on one app, for the OpenAPI document and tests. */
export async function allRoutes(deps: AppDependencies): Promise<Hono<AppEnv>> {
  const app = new Hono<AppEnv>()
  for (const group of routeGroups) app.route('/', (await group.load())(deps))
  return app
}

export type App = ReturnType<typeof createApp>
