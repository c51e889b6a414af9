import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Tracking tokens: the owner's only key to their request (docs/contract/security.md). 256 random bits, shown once in the
 * submission's answer, stored only as a SHA-256 hash; revoked by clearing the hash.
 */

/** A new token and the hash to store. */
export function newTrackingToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashTrackingToken(token) }
}

export function hashTrackingToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** Whether `token` opens a request whose stored hash is `hash`, compared in constant time. */
export function trackingTokenMatches(hash: string | null, token: string | undefined): boolean {
  if (hash === null || token === undefined || !TOKEN_SHAPE.test(token)) return false
  const expected = Buffer.from(hash, 'base64url')
  const presented = createHash('sha256').update(token).digest()
  return expected.length === presented.length && timingSafeEqual(expected, presented)
}
