import { useContext } from '@pendamping/core/actor'
import { ValidationError } from '@pendamping/core/errors'
import {
  type AnswerLookup,
  answerOnce,
  IDEMPOTENCY_KEY_PATTERN,
  type IdempotencyClaim,
  IdempotencyRaceLostError,
  idempotencyClaim,
  type StoredAnswer,
} from '@pendamping/core/idempotency'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { trackingTokenScope } from './owner.ts'

export interface IdempotencyOptions {
  store: Store
  clock?: Clock | undefined
  /**
   * When the stored answer is read (`AnswerLookup` in core's idempotency): before the handler
   * (`'first'`, the default), or only when the handler fails (`'on-refusal'`), for a handler whose
   * every write is one transaction carrying the answer, so a first call costs no extra read.
   */
  lookup?: AnswerLookup | undefined
}

const claims = new WeakMap<object, IdempotencyClaim>()

/**
 * The `Idempotency-Key` claim of this request, for the domain function to store its answer in its own
 * transaction; `undefined` when the client sent no key.
 *
 * @example
 * const program = await createProgram(store, clock, input, { idempotency: idempotencyClaimOf(c) })
 */
export function idempotencyClaimOf(c: Context): IdempotencyClaim | undefined {
  return claims.get(c.req)
}

function replay(c: Context, answer: StoredAnswer): Response {
  const headers = { 'idempotency-replayed': 'true', 'cache-control': 'no-store' }
  if (answer.status === 204 || answer.body === undefined) return c.body(null, answer.status as 204, headers)
  return c.json(answer.body, answer.status as 200, headers)
}

/**
 * Makes a POST safe to retry (docs/contract/invariants.md, invariant 7), by core's one protocol (`answerOnce`). With an
 * `Idempotency-Key` (1–64 of `[A-Za-z0-9_-]`), the answer stored for that key, caller (account, or
 * tracking token's hash, or the public) and route is
 * replayed when the request is the same (SHA-256 of method, path and body), with
 * `Idempotency-Replayed: true`; the same key with a different request is a 422. Otherwise the handler
 * runs and its domain function stores the answer inside its own transaction
 * ({@link idempotencyClaimOf}); if a concurrent retry stored one first, the winner's is replayed.
 *
 * Costs one `GetItem` when a key is sent (and one more for the loser of a race); none otherwise. With
 * `lookup: 'on-refusal'`, one only when the handler fails (a retry, or a refused call).
 * Place it after validation, so refused input costs no DynamoDB call.
 *
 * @example
 * app.post('/v1/programs', validate('json', NewProgram), idempotency({ store }), handler)
 */
export function idempotency(options: IdempotencyOptions): MiddlewareHandler<AppEnv> {
  const clock = options.clock ?? systemClock
  const lookup = options.lookup ?? 'first'
  return async function idempotency(c, next) {
    const key = c.req.header('idempotency-key')
    if (key === undefined || c.req.method !== 'POST') return next()
    if (!IDEMPOTENCY_KEY_PATTERN.test(key))
      throw new ValidationError([{ path: 'Idempotency-Key', key: 'field.idempotency_key' }])
    const { actor } = useContext()
    // The caller's identity scopes the stored answer: an account, else the holder of the tracking
    // token sent (by its hash), else the public. A replay without the same credentials finds nothing
    // to replay, runs, and is refused as any call without them would be (a rotated token stays secret).
    const who = actor?.kind === 'account' ? `account:${actor.sub}` : (trackingTokenScope(c) ?? 'public')
    const claim = idempotencyClaim({ who, path: c.req.path, key, body: await c.req.text() })
    claims.set(c.req, claim)
    const outcome = await answerOnce(
      options.store,
      clock,
      claim,
      async () => {
        await next()
        // Hono leaves a handler's error on the context instead of throwing it through middleware;
        // reading only on refusal, any error may be a retry the domain refused.
        if (c.error instanceof IdempotencyRaceLostError || (lookup === 'on-refusal' && c.error)) throw c.error
      },
      { lookup },
    )
    if ('replayed' in outcome) {
      c.error = undefined
      c.res = undefined
      c.res = replay(c, outcome.replayed)
    }
  }
}
