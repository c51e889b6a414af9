/**
 * The read quota and what every quota's answer shares (docs/contract/fairness.md), apart from the
 * write limits (`rate-limit.ts`) so that a cold start answering a read loads only this and the table
 * counter.
 */
import { useActor } from '@pendamping/core/actor'
import {
  countHit,
  DEFAULT_RATE_LIMITS,
  policyOf,
  QuotaSpentError,
  type RateLimitState,
  type RateLimits,
  spendQuota,
  stateOf,
} from '@pendamping/core/ratelimit'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import type { Context, MiddlewareHandler } from 'hono'
import { logger } from '../../logger.ts'
import type { AppEnv } from '../env.ts'

export interface RateLimitOptions {
  store: Store
  clock?: Clock | undefined
  /** The quotas (the defaults when absent); `false` turns the app's limits off (tests of other things, a load bench). */
  limits?: RateLimits | false | undefined
}

/** What the read quota counts: a CORS preflight is the browser's, not a read of ours. */
const READ_METHODS = new Set(['GET', 'HEAD'])

/**
 * Reads the quota leaves alone: the health check and the API's own description, answered from memory
 * with no table call. Counting them would make every uptime probe a DynamoDB write, and a cold start
 * on `/health` wait for one; API Gateway's throttle still bounds them.
 */
const UNCOUNTED_PATHS = new Set(['/health', '/openapi.json', '/docs'])

/**
 * The client's address: API Gateway's `requestContext.http.sourceIp` on Lambda, the socket's address
 * on Node. Never `X-Forwarded-For`, which any client can write. `unknown` when neither is there
 * (`app.request()` in tests): those callers share one quota.
 */
export function clientAddressOf(c: Context<AppEnv>): string {
  return c.env?.event?.requestContext?.http?.sourceIp ?? c.env?.incoming?.socket?.remoteAddress ?? 'unknown'
}

/**
 * Adds a quota's `RateLimit-Policy` and `RateLimit` items to the answer (lists: one item per quota):
 * before the handler with the headers it will answer with, after it onto the finished answer's own
 * headers, since `c.header` on a finished answer copies the whole `Response`.
 */
export function announce(c: Context, state: RateLimitState): void {
  if (c.finalized) {
    c.res.headers.append('ratelimit-policy', policyOf(state.rule))
    c.res.headers.append('ratelimit', stateOf(state))
    return
  }
  c.header('ratelimit-policy', policyOf(state.rule), { append: true })
  c.header('ratelimit', stateOf(state), { append: true })
}

/** Most subjects one instance remembers as spent; past it the memory starts again (they are counted again). */
const SPENT_READS_MAX = 10_000

/**
 * The read quota (docs/contract/fairness.md): every `GET` and `HEAD` but {@link UNCOUNTED_PATHS}
 * counts per signed-in account, else per client address, in the same table counter as writes, so one
 * client cannot take the share of API Gateway's whole-API throttle everyone else needs. The hit is
 * counted while the read runs (a read changes nothing, so its answer waits for the slower of the two,
 * not their sum); an answer over the quota is replaced by the 429 problem (or page). A counter the
 * table cannot answer lets the read through, logged: reads fail open, writes closed.
 *
 * @example
 * app.use(readLimits({ store, limits: DEFAULT_RATE_LIMITS }))
 */
export function readLimits(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const clock = options.clock ?? systemClock
  const limits = options.limits ?? DEFAULT_RATE_LIMITS
  // Subjects this instance saw spend their read quota, until their window ends: refused with no table
  // call, so a flood of reads costs one counter hit per instance and window, not one per read.
  const spentReads = new Map<string, RateLimitState & { until: number }>()
  return async function readLimits(c, next) {
    if (!limits || !READ_METHODS.has(c.req.method) || UNCOUNTED_PATHS.has(c.req.path)) return next()
    const actor = useActor()
    const who = actor.kind === 'account' ? `account:${actor.sub}` : `address:${clientAddressOf(c)}`
    const now = clock.now()
    const spent = spentReads.get(who)
    if (spent && spent.until > now.getTime())
      throw new QuotaSpentError({
        ...spent,
        resetSeconds: Math.max(1, Math.ceil((spent.until - now.getTime()) / 1000)),
      })
    const counting = countHit(options.store, limits.read, who, now).then(
      (state) => ({ state }),
      (error: unknown) => ({ error }),
    )
    await next()
    const counted = await counting
    if ('error' in counted) {
      logger.warn('read not counted', { error: counted.error })
      return
    }
    if (!counted.state.allowed) {
      if (spentReads.size >= SPENT_READS_MAX) spentReads.clear()
      spentReads.set(who, { ...counted.state, until: now.getTime() + counted.state.resetSeconds * 1000 })
      throw new QuotaSpentError(counted.state)
    }
    announce(c, counted.state)
  }
}

/**
 * Answers refused before the quotas could tell whose they are (a bearer token that does not verify is
 * a 401 before anyone is known) count against the client address under the method's quota, so
 * guessing tokens is limited like everything else and every 401 carries the rate-limit headers too.
 * Runs outside the request context.
 */
export function refusedLimits(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const clock = options.clock ?? systemClock
  const limits = options.limits ?? DEFAULT_RATE_LIMITS
  return async function refusedLimits(c, next) {
    await next()
    if (!limits || c.res.status !== 401 || c.res.headers.has('ratelimit') || c.req.method === 'OPTIONS')
      return
    const rule = READ_METHODS.has(c.req.method) ? limits.read : limits.client
    announce(c, await spendQuota(options.store, rule, `address:${clientAddressOf(c)}`, clock.now()))
  }
}
