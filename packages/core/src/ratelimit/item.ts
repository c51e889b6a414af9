/**
 * One fixed window of a rate limit as stored (`entity: 'rateLimit'`): how many hits it has counted.
 * Parsed by hand, not by a schema library: the limits run on every write from the API's cold start,
 * before any route's schemas are loaded.
 */
export interface RateLimitItem {
  entity: 'rateLimit'
  version: 1
  hits: number
  /** Epoch seconds: TTL removes the window shortly after it ends. */
  expiresAt: number
}

/** Parses a stored window; throws on anything that is not one (a bug, never user input). */
export function parseRateLimitItem(raw: unknown): RateLimitItem {
  const item = (raw ?? {}) as Record<string, unknown>
  if (item.entity !== 'rateLimit' || typeof item.hits !== 'number' || typeof item.expiresAt !== 'number')
    throw new TypeError('Not a rate-limit window')
  return { entity: 'rateLimit', version: 1, hits: item.hits, expiresAt: item.expiresAt }
}
