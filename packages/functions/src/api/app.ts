import type { AccountActor, TokenVerifier } from '@pendamping/core/auth'
import type { CertificateAuthority } from '@pendamping/core/certificate'
import type { AccountDirectory } from '@pendamping/core/directory'
import {
  asOutage,
  DomainError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
} from '@pendamping/core/errors'
import { negotiateLocale } from '@pendamping/core/i18n'
import type { MessageLinks } from '@pendamping/core/link'
import type { QuotaSpentError, RateLimits } from '@pendamping/core/ratelimit'
import type { Clock, Store } from '@pendamping/core/store'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HonoBase } from 'hono/hono-base'
import { HTTPException } from 'hono/http-exception'
import { TrieRouter } from 'hono/router/trie-router'
import { logger } from '../logger.ts'
import type { SignInSettings } from '../pages/session.ts'
import type { AppEnv } from './env.ts'
import { requestContext } from './middleware/context.ts'
import { cors } from './middleware/cors.ts'
import { type RateLimitOptions, readLimits, refusedLimits } from './middleware/read-limits.ts'
import { securityHeaders } from './middleware/security-headers.ts'
import { toProblem } from './problem.ts'
import { metaRoutes } from './routes/meta.ts'

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
  /** Opens the private pages from links in messages (`MessageLinkSecret`); without it only private links do. */
  messageLinks?: MessageLinks | undefined
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
    const { assertInGoodStanding } = await import('@pendamping/core/account')
    await assertInGoodStanding(store, actor)
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The write rate limits (`middleware/rate-limit.ts`), loaded on the first write: a cold start that
 * answers a read never parses them (reads are counted by `middleware/read-limits.ts`).
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
 * Refuses a body over `limit` bytes (413). A read has none, and a body that states its length is
 * judged by `Content-Length` alone, as Hono's `bodyLimit` does, but without asking for the request's
 * body first (which makes `@hono/node-server` build a real `Request` and its stream); a body without
 * a length is counted by Hono's `bodyLimit` as it streams.
 */
function limitBody(limit: number): MiddlewareHandler<AppEnv> {
  const onError = () => {
    throw new PayloadTooLargeError(limit)
  }
  const streamed = bodyLimit({ maxSize: limit, onError })
  return async function limitBody(c, next) {
    if (READS.has(c.req.method)) return next()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    return Number.parseInt(length || '0', 10) > limit ? onError() : next()
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
  // A trie is ready as routes are added; Hono's default compiles every route into one RegExp on the
  // first request, ~5 ms of a cold start, to match ~1 µs faster after (docs/decisions/0012). And
  // `HonoBase`, not `Hono`, whose constructor brings its default routers into the bundle even when
  // given another (~4.5 KB at every cold start).
  const api = new HonoBase<AppEnv>({ router: new TrieRouter() })

  api.use(retryAfterOnOutage)

  api.use(securityHeaders())
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
  const limits = { store: deps.store, clock: deps.clock, limits: deps.rateLimits }
  api.use(refusedLimits(limits))
  api.use(requestContext({ verifyToken: deps.verifyToken, checkAccount: deps.checkAccount }))
  api.use(readLimits(limits))
  api.use(lazyWriteLimits(limits))
  api.use(limitBody(limit))

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
      // A person posting a page's form, or a browser opening a page, reads a page, not a problem.
      const page = !READS.has(c.req.method) || wantsPage(c.req.header('accept'))
      if (!problem.instance.startsWith('/v1/') && page && 'state' in failure) {
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
    // First, like certificates: precise paths under groups that own their prefixes.
    name: 'privacy',
    paths: [
      '/v1/requests/:id/export',
      '/v1/requests/:id/consent',
      '/v1/participants/:id/export',
      '/v1/participants/:id/consent',
      '/v1/participants/:id/data',
      '/v1/me/export',
      '/v1/me/data',
    ],
    load: async () => (await import('./routes/privacy.tsx')).privacyRoutes,
  },
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
    // Issue 17, before `pages` (whose `/en/*` would take `/en/recover-link`): a lost link replaced by a code.
    name: 'link recovery',
    paths: [
      '/v1/link-recovery',
      '/v1/link-recovery/*',
      '/pulihkan-tautan',
      '/pulihkan-tautan/*',
      '/en/recover-link',
      '/en/recover-link/*',
    ],
    load: async () => (await import('./routes/recovery.tsx')).recoveryRoutes,
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
  let loading: Promise<HonoBase<AppEnv>> | undefined
  let loaded: HonoBase<AppEnv> | undefined
  const load = () => {
    loading ??= group.load().then(
      (routes) => {
        const app = new HonoBase<AppEnv>({ router: new TrieRouter() }).route('/', routes(deps))
        app.notFound(() => {
          throw new UnknownRouteError()
        })
        app.onError((error, c) => {
          c.env.handBack?.(error)
          return new Response(null, { status: 500 })
        })
        loaded = app
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
    const response = await (loaded ?? (await load())).fetch(c.req.raw, {
      ...c.env,
      handBack: (error: unknown) => {
        failure = { error }
      },
    })
    // The group's last word was an error nobody inside it answered: the main handler answers it.
    if (failure && response.status === 500 && !response.body) throw failure.error
    answerWith(c, response)
    return response
  }
}

/**
 * Makes a group's answer this context's, with the headers the main app's middleware set before the
 * group ran (request id, language, CORS) copied onto it exactly as Hono's `c.res` setter copies them
 * (all but `content-type`; this context's cookies replace the answer's) — but onto the answer's own
 * headers: the setter rebuilds the response around its body stream, which on `@hono/node-server`
 * turns the lightweight answer into a real `Response` on every request.
 */
function answerWith(c: Context<AppEnv>, response: Response): void {
  // The headers set so far (reading `c.res` makes an empty answer that holds them).
  const headers = c.res.headers
  for (const [name, value] of headers) {
    if (name === 'content-type' || name === 'set-cookie') continue
    response.headers.set(name, value)
  }
  const cookies = headers.getSetCookie()
  if (cookies.length > 0) {
    response.headers.delete('set-cookie')
    for (const cookie of cookies) response.headers.append('set-cookie', cookie)
  }
  // Cleared first, so the setter takes the answer as it is instead of merging into a copy.
  c.res = undefined
  c.res = response
}

/** Every route of every group on one app, for the OpenAPI document and tests. */
export async function allRoutes(deps: AppDependencies): Promise<HonoBase<AppEnv>> {
  const app = new HonoBase<AppEnv>({ router: new TrieRouter() })
  for (const group of routeGroups) app.route('/', (await group.load())(deps))
  return app
}

export type App = ReturnType<typeof createApp>
