import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { useActor } from '@pendamping/core/actor'
import { normalizePhone } from '@pendamping/core/business'
import { DEFAULT_RATE_LIMITS, type RateLimits, spendQuota } from '@pendamping/core/ratelimit'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { announce, clientAddressOf, type RateLimitOptions } from './read-limits.ts'

export { announce, clientAddressOf, type RateLimitOptions }

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Rate limits on every write (docs/contract/fairness.md), held in the table so they hold across Lambda instances: a
 * signed-in account's writes count per account, everyone else's (public writes, owners with a
 * tracking token, the pages' forms) per client address. Reads have their own quota (`read-limits.ts`).
 * The quota is spent before the body is read, so a flood of bad bodies is cut as early as good ones.
 * One `UpdateItem` per write; answers carry `RateLimit-Policy` and `RateLimit`; a spent quota is a
 * 429 `rate-limited` problem (or page) with `Retry-After`.
 *
 * @example
 * app.use(writeLimits({ store, limits: DEFAULT_RATE_LIMITS }))
 */
export function writeLimits(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const clock = options.clock ?? systemClock
  const limits = options.limits ?? DEFAULT_RATE_LIMITS
  return async function writeLimits(c, next) {
    if (!limits || SAFE_METHODS.has(c.req.method)) return next()
    const actor = useActor()
    const state =
      actor.kind === 'account'
        ? await spendQuota(options.store, limits.account, `account:${actor.sub}`, clock.now())
        : await spendQuota(options.store, limits.client, `address:${clientAddressOf(c)}`, clock.now())
    await next()
    announce(c, state)
  }
}

/**
 * The per-phone quota of a public write that carries a phone (a request, a mentor application): one
 * `UpdateItem`, counted on the normalised phone (`0812…` and `+62 812…` are one person). A phone that
 * does not normalise is left to validation. Call it after the body is validated.
 *
 * @throws QuotaSpentError (429) when the phone's quota is spent
 * @example
 * await spendPhoneQuota(c, deps, body.business.phone)
 */
export async function spendPhoneQuota(
  c: Context,
  options: { store: Store; clock?: Clock | undefined; rateLimits?: RateLimits | false | undefined },
  phone: string,
): Promise<void> {
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS
  const normalised = normalizePhone(phone)
  if (!limits || !normalised) return
  const state = await spendQuota(
    options.store,
    limits.phone,
    `phone:${normalised}`,
    (options.clock ?? systemClock).now(),
  )
  announce(c, state)
}
