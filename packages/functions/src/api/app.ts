import type { AccountDirectory } from '@pendamping/core/account/directory'
import type { AccountActor, TokenVerifier } from '@pendamping/core/auth/index'
import type { CertificateAuthority } from '@pendamping/core/certificate/signing'
import {
  asOutage,
  DomainError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
} from '@pendamping/core/errors/index'
import { negotiateLocale } from '@pendamping/core/i18n/index'
import type { QuotaSpentError, RateLimits } from '@pendamping/core/ratelimit/index'
import type { Clock, Store } from '@pendamping/core/store'
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { logger } from '../logger.ts'
import type { SignInSettings } from '../pages/session.ts'
import type { AppEnv } from './env.ts'
import { requestContext } from './middleware/context.ts'
import type { RateLimitOptions } from './middleware/rate-limit.ts'
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
  /** Signs and publishes certificates; on AWS read from the linked secret when first needed. */
  certificates?: CertificateAuthority | undefined
  /** The pages' sign-in (OpenID Connect provider, client, session key); without it nobody signs in to pages. */
  signIn?: SignInSettings | undefined
  /**
   * Refuses an account whose token still verifies but who may no longer act (a suspended mentor), on
   * the API and in the pages. By default the account standing check on `store`.
   */
  checkAccount?: ((actor: AccountActor) => Promise<void>) | undefined
  /**
   * The app's rate limits (per client address, phone and account, held in the table); the defaults
   * when absent, `false` for none (tests of other things).
   */
  rateLimits?: RateLimits | false | undefined
}

/**
 * The default account check: a mentor's account read (cached per process, `account/index.ts`) must
 * not be suspended. Its module is imported on a mentor's first request, not at cold start.
 */
export function accountStanding(store: Store) {
  return async function checkAccount(actor: AccountActor): Promise<void> {
    if (actor.role !== 'mentor') return
    const { assertInGoodStanding } = await import('@pendamping/core/account/standing')
    await assertInGoodStanding(store, actor)
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The write rate limits (`middleware/rate-limit.ts`), loaded on the first write: a cold start that
 * answers a read never parses them or the table counter behind them.
 */
function lazyWriteLimits(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  let limiter: Promise<MiddlewareHandler<AppEnv>> | undefined
  return async function writeLimits(c, next) {
    if (options.limits === false || READS.has(c.req.method)) return next()
    limiter ??= import('./middleware/rate-limit.ts').then((module) => module.writeLimits(options))
    return (await limiter)(c, next)
  }
}

/**
 * The whole HTTP product as one Hono app: the Lambda handler and the local Node server both serve
 * exactly this. Dependencies come in as arguments so tests build it against their own table.
 */
export function createApp(dependencies: AppDependencies) {
  const deps = {
    ...dependencies,
    checkAccount: dependencies.checkAccount ?? accountStanding(dependencies.store),
  }
  const limit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT
  const api = new Hono<AppEnv>()

  api.use(retryAfterOnOutage)

  api.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
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
      exposeHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
      maxAge: 600,
    }),
  )
  api.use(requestContext({ verifyToken: deps.verifyToken, checkAccount: deps.checkAccount }))
  api.use(lazyWriteLimits({ store: deps.store, clock: deps.clock, limits: deps.rateLimits }))
  api.use(
    bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new PayloadTooLargeError(limit)
      },
    }),
  )

  api.notFound(() => {
    throw new UnknownRouteError()
  })
  api.onError(async (error, c) => {
    let failure: unknown = error
    if (error instanceof HTTPException && error.status === 400)
      failure = new MalformedBodyError(error.message)
    // A throttled, timed-out or unreachable dependency is a 503 to try again, never a 500.
    if (!(failure instanceof DomainError)) failure = asOutage(failure) ?? failure
    const locale = c.var.locale ?? negotiateLocale(c.req.header('accept-language'))
    const problem = toProblem(failure, locale)
    if (failure instanceof ServiceUnavailableError)
      logger.warn('dependency unavailable', { error: failure.cause ?? failure, route: c.req.routePath })
    else if (problem.status >= 500) logger.error('unhandled error', { error, route: c.req.routePath })
    else logger.info('refused', { code: problem.type, status: problem.status, route: c.req.routePath })
    problem.instance = new URL(c.req.url).pathname
    if (c.var.requestId) problem.requestId = c.var.requestId
    const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8' }
    if (problem.status === 401) {
      headers['www-authenticate'] = c.req.header('authorization') ? 'Bearer error="invalid_token"' : 'Bearer'
    }
    if (failure instanceof ServiceUnavailableError) {
      headers['retry-after'] = String(failure.retryAfterSeconds)
      if (!problem.instance.startsWith('/v1/') && wantsPage(c.req.header('accept'))) {
        const { unavailablePage } = await import('../pages/unavailable.tsx')
        return unavailablePage(c, failure)
      }
    }
    // A browser that asked for an address nobody serves reads a page; any other client a problem.
    if (failure instanceof UnknownRouteError && wantsPage(c.req.header('accept'))) {
      const { notFoundPage } = await import('../pages/unavailable.tsx')
      return notFoundPage(c)
    }
    if (failure instanceof RateLimitedError) {
      Object.assign(headers, failure.headers)
      // A person posting a page's form reads a page, not a problem document.
      if (!problem.instance.startsWith('/v1/') && 'state' in failure) {
        const { limitedPage } = await import('../pages/limited.tsx')
        return limitedPage(c, failure as QuotaSpentError)
      }
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

/** No route of the app serves this method and path (a 404 problem, or a page for a browser). */
class UnknownRouteError extends NotFoundError {
  constructor() {
    super('No such route')
  }
}

/** Whether the client asked for HTML (a browser), rather than JSON or anything (`*\/*`). */
function wantsPage(accept: string | undefined): boolean {
  return accept?.includes('text/html') ?? false
}

/**
 * Every 503 says when to try again: the problems this app answers carry `Retry-After` already; this
 * adds it to the pages that route groups render themselves.
 */
const retryAfterOnOutage: MiddlewareHandler<AppEnv> = async function retryAfterOnOutage(c, next) {
  await next()
  if (c.res.status === 503 && !c.res.headers.has('retry-after'))
    c.res.headers.set('retry-after', String(new ServiceUnavailableError().retryAfterSeconds))
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
    // First: its paths under `/v1/requests/*`, `/v1/participants/*` and `/en/*` are more precise than
    // the groups that own those prefixes.
    name: 'certificates',
    paths: [
      '/v1/certificates',
      '/v1/certificates/*',
      '/v1/me/certificates',
      '/v1/requests/:id/certificates',
      '/v1/participants/:id/certificates',
      '/v1/status-lists/*',
      '/sertifikat/*',
      '/en/certificate/*',
      '/.well-known/openbadges-keys.json',
      '/openbadges/*',
    ],
    load: async () => (await import('./routes/certificates.tsx')).certificateRoutes,
  },
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
    name: 'staff',
    paths: ['/v1/staff'],
    load: async () => (await import('./routes/staff.ts')).staffRoutes,
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
    name: 'classes',
    paths: ['/v1/classes', '/v1/classes/*', '/v1/participants/*', '/v1/registrations/*'],
    load: async () => (await import('./routes/classes.ts')).classRoutes,
  },
  {
    // Before `pages`: its `/en/*` would otherwise take `/en/classes`.
    name: 'class pages',
    paths: ['/kelas', '/kelas/*', '/peserta/*', '/en/classes', '/en/classes/*'],
    load: async () => (await import('./routes/class-pages.tsx')).classPageRoutes,
  },
  {
    name: 'pages',
    paths: [
      '/minta-pendampingan',
      '/program',
      '/en/*',
      '/privasi',
      '/daftar-mentor',
      '/lacak/*',
      '/masuk',
      '/keluar',
      '/auth/*',
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
          throw new UnknownRouteError()
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
