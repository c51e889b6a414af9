import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { LinkKey } from '../link/index.ts'

/**
 * Tracking tokens: the owner's only key to their request (docs/contract/security.md). 256 random bits, shown once in the
 * submission's answer, stored only as a SHA-256 hash; revoked by clearing the hash.
 */

/**
 * A new token and the hash to store: random, or the one an idempotent call's answer will carry
 * (`answerSecret`, so its stored answer need not hold it).
 */
export function newTrackingToken(made?: { token: string } | undefined): { token: string; hash: string } {
  const token = made?.token ?? randomBytes(32).toString('base64url')
  return { token, hash: hashTrackingToken(token) }
}

export function hashTrackingToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/**
 * What opens a private page: its token, or the key of a link in a message (`link/index.ts`), which
 * opens it while the token it was signed over is the current one.
 */
export type PrivateKey = string | LinkKey

/** Whether `token` opens a request (or participant) whose stored hash is `hash`, in constant time. */
export function trackingTokenMatches(hash: string | null, token: PrivateKey | undefined): boolean {
  if (hash === null || token === undefined) return false
  if (typeof token !== 'string') return token.matches(hash)
  if (!TOKEN_SHAPE.test(token)) return false
  const expected = Buffer.from(hash, 'base64url')
  const presented = createHash('sha256').update(token).digest()
  return expected.length === presented.length && timingSafeEqual(expected, presented)
}
