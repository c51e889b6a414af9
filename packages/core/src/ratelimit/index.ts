/**
 * Rate limits that hold on Lambda (docs/contract/fairness.md): no instance shares memory with another, so every count
 * lives in the table, one fixed-window counter per rule and subject (`RateLimitWindow`), removed by TTL
 * soon after its window ends. A hit is one `UpdateItem` (`ADD hits 1`, answering the new count): no
 * read before it and no transaction, so a burst from one client queues on its counter instead of
 * cancelling itself, and the cold path loads nothing the data layer does not already load.
 *
 * A fixed window lets a client spend its quota at the end of one window and again at the start of the
 * next (at most twice the quota within one window's length); the quotas below are set with that in mind.
 */
import { createHash } from 'node:crypto'
import { RateLimitWindow } from '../adapters/dynamo/entities/rate-limit.ts'
import { counted } from '../adapters/dynamo/index.ts'
import { RateLimitedError } from '../errors/index.ts'
import type { Store } from '../store.ts'

/** One quota: at most `limit` hits per `windowSeconds`, counted per subject under `name`. */
export interface RateLimitRule {
  /** The policy's name, shown to clients in `RateLimit-Policy` (`client`, `phone`, `account`). */
  name: string
  limit: number
  windowSeconds: number
}

/** The quotas of the API and the pages. */
export interface RateLimits {
  /** Writes by a client that is not signed in (public writes, owners with a tracking token), per IP. */
  client: RateLimitRule
  /** Public writes that carry a phone (a request, a mentor application, a class registration), per normalised phone. */
  phone: RateLimitRule
  /** Writes by a signed-in account (mentor, staff, admin), per account. */
  account: RateLimitRule
  /**
   * Reads (`GET`, `HEAD`), per account when signed in, else per client address: one client may not
   * take the share of API Gateway's whole-API throttle that everyone else needs.
   */
  read: RateLimitRule
}

/**
 * Defaults sized for people, not scripts: 30 writes a minute from one address leaves room for a
 * family or a warung sharing a carrier's NAT address; 5 an hour per phone is several honest retries
 * of a form; 120 a minute lets staff work quickly through a list; 1 200 reads a minute (20 a second)
 * from one address is far more than any person's browsing, even many people's behind one carrier NAT
 * address, and at most 4 % of production's 500 requests a second.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  client: { name: 'client', limit: 30, windowSeconds: 60 },
  phone: { name: 'phone', limit: 5, windowSeconds: 3600 },
  account: { name: 'account', limit: 120, windowSeconds: 60 },
  read: { name: 'read', limit: 1200, windowSeconds: 60 },
}

/** Where a subject stands in a rule's current window, after counting this hit. */
export interface RateLimitState {
  rule: RateLimitRule
  /** Hits left in this window (0 once the quota is spent). */
  remaining: number
  /** Seconds until the window ends and the quota is whole again (≥ 1). */
  resetSeconds: number
  /** Whether this hit is within the quota. */
  allowed: boolean
}

/** Who is counted, as stored: a hash, so the table holds no IP, phone or account id in clear. */
export function rateLimitSubject(rule: RateLimitRule, who: string): string {
  return createHash('sha256').update(rule.name).update('\0').update(who).digest('base64url').slice(0, 32)
}

/**
 * Counts one hit of `who` under `rule` in the window `now` falls in, and says whether it is within the
 * quota. One `UpdateItem`; the window is created by its first hit and removed by TTL a minute after it
 * ends.
 */
export async function countHit(
  store: Store,
  rule: RateLimitRule,
  who: string,
  now: Date,
): Promise<RateLimitState> {
  const nowSeconds = now.getTime() / 1000
  const window = Math.floor(nowSeconds / rule.windowSeconds) * rule.windowSeconds
  const ends = window + rule.windowSeconds
  const { hits } = await counted(
    store,
    RateLimitWindow,
    RateLimitWindow.hit({ rule: rule.name, subject: rateLimitSubject(rule, who), window }, ends + 60),
  )
  return {
    rule,
    remaining: Math.max(0, rule.limit - hits),
    resetSeconds: Math.max(1, Math.ceil(ends - nowSeconds)),
    allowed: hits <= rule.limit,
  }
}

/**
 * A hit over its quota: {@link RateLimitedError} (429) with the seconds until the window ends, and the
 * state the edge turns into `RateLimit` headers.
 */
export class QuotaSpentError extends RateLimitedError {
  constructor(readonly state: RateLimitState) {
    super(state.resetSeconds)
  }

  override get headers(): Record<string, string> {
    return { ...super.headers, 'ratelimit-policy': policyOf(this.state.rule), ratelimit: stateOf(this.state) }
  }
}

/** `RateLimit-Policy` items (draft-ietf-httpapi-ratelimit-headers): `"client";q=30;w=60`. */
export const policyOf = (rule: RateLimitRule) => `"${rule.name}";q=${rule.limit};w=${rule.windowSeconds}`
/** `RateLimit` items: `"client";r=29;t=41` (remaining quota, seconds until it is whole again). */
export const stateOf = (state: RateLimitState) =>
  `"${state.rule.name}";r=${state.remaining};t=${state.resetSeconds}`

/**
 * Counts one hit and refuses it when the quota is spent.
 *
 * @throws QuotaSpentError when this hit is over the quota
 */
export async function spendQuota(
  store: Store,
  rule: RateLimitRule,
  who: string,
  now: Date,
): Promise<RateLimitState> {
  const state = await countHit(store, rule, who, now)
  if (!state.allowed) throw new QuotaSpentError(state)
  return state
}
