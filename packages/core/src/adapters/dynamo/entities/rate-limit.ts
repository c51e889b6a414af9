import { parseRateLimitItem, type RateLimitItem } from '../../../ratelimit/item.ts'
import { type Readable, updateItem } from '../entity.ts'
import { keys } from '../keys.ts'

/** Which window: the rule, a hash of the subject counted, the window's start in epoch seconds. */
export interface RateLimitWindowId {
  rule: string
  subject: string
  window: number
}

const key = (id: RateLimitWindowId) => keys.rateLimit(id.rule, id.subject, id.window)

/**
 * A fixed-window rate-limit counter (`RATELIMIT#<rule>#<subject> / WINDOW#<start>`). Every hit is one
 * unconditional `ADD hits 1` ({@link counted}), which DynamoDB serialises on the item: no read, no
 * transaction, so a burst on one counter is never a `TransactionConflict`.
 */
export const RateLimitWindow = {
  key,
  parse: parseRateLimitItem,
  /** One more hit in the window, creating it (with its TTL) on the first. */
  hit: (id: RateLimitWindowId, expiresAt: number) =>
    updateItem(key(id), { set: { entity: 'rateLimit', version: 1, expiresAt }, add: { hits: 1 } }),
} satisfies Readable<RateLimitItem, RateLimitWindowId> & Record<string, unknown>
