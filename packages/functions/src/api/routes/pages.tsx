import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { QuotaSpentError, type RateLimits } from '@pendamping/core/ratelimit'
import type { Clock, Store } from '@pendamping/core/store'
import { Hono } from 'hono'
import { logger } from '../../logger.ts'
import { pageLocale } from '../../pages/common.ts'
import { pageFailure } from '../../pages/failure.ts'
import { Layout } from '../../pages/layout.tsx'
import { limitedPage } from '../../pages/limited.tsx'
import { mentorApplicationPages } from '../../pages/mentor-application.tsx'
import { offerPages } from '../../pages/offers.tsx'
import { privacyPages } from '../../pages/privacy.tsx'
import { programPages } from '../../pages/programs.tsx'
import { requestPages } from '../../pages/request.tsx'
import type { SessionDependencies } from '../../pages/session.ts'
import { signInPages } from '../../pages/sign-in.tsx'
import { trackingPages } from '../../pages/tracking.tsx'
import type { AppEnv } from '../env.ts'

export interface PageDependencies extends SessionDependencies {
  store: Store
  clock?: Clock | undefined
  rateLimits?: RateLimits | false | undefined
}

/**
 * The web pages of owners and mentors, server-rendered on the same app as the API: they call the
 * same core functions with the same schemas. Their errors are pages, not problem documents.
 */
export function pageRoutes(deps: PageDependencies) {
  const pages = new Hono<AppEnv>()
    .route('/', requestPages(deps))
    .route('/', trackingPages(deps))
    .route('/', mentorApplicationPages(deps))
    .route('/', signInPages(deps))
    .route('/', offerPages(deps))
    .route('/', privacyPages())
    .route('/', programPages(deps))
  pages.onError((error, c) => {
    if (error instanceof QuotaSpentError) {
      logger.info('page refused', { status: 429, route: c.req.routePath })
      return limitedPage(c, error)
    }
    const locale = pageLocale(c)
    const { status, title, text } = pageFailure(error, locale)
    // The route pattern only: a URL here could carry a tracking token.
    if (status >= 500) logger.error('page failed', { error, route: c.req.routePath })
    else logger.info('page refused', { status, route: c.req.routePath })
    c.header('cache-control', 'no-store')
    return c.html(
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        <p>{text}</p>
      </Layout>,
      status as 400,
    )
  })
  return pages
}
