import * as z from 'zod/mini'

/** A stored first answer (`entity: 'idempotency'`); its key holds the scope and a hash of the client's key. */
export const IdempotencyItem = z.object({
  entity: z.literal('idempotency'),
  version: z.literal(1),
  fingerprint: z.string(),
  /** The answer, sealed with a key only the client's `Idempotency-Key` and request derive. */
  answer: z.string(),
  /** When the answer carries a secret: the salt that makes it again on replay (the secret is not stored). */
  salt: z.optional(z.string()),
  createdAt: z.string(),
  /** Epoch seconds; TTL removes the record a day after it was stored. */
  expiresAt: z.number(),
})
export type IdempotencyItem = z.infer<typeof IdempotencyItem>
