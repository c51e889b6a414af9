/**
 * Idempotent calls (docs/contract/invariants.md, invariant 7): the first answer to a client's key is stored and every
 * retry gets it back, with nothing created twice. One protocol for the API's `Idempotency-Key` and
 * the pages' submission ids:
 * 1. {@link answerOnce} reads the stored answer first (or, for an attempt that is one transaction,
 *    only when the attempt is refused: {@link AnswerLookup}): a match is replayed, a different
 *    request under the same key is refused ({@link IdempotencyKeyReusedError}).
 * 2. Otherwise the call runs, and its domain function writes the answer it is about to give *inside
 *    its own* transaction ({@link storeAnswer} as `transact`'s `idempotency`). Of two concurrent
 *    retries exactly one commits; the other's record is refused, `transact` throws
 *    {@link IdempotencyRaceLostError}, and `answerOnce` replays the winner's stored answer.
 *
 * The stored body is encrypted with a key derived from the raw key and the request's fingerprint,
 * and the record's key holds only a hash of the client's key. An answer carrying a secret (a tracking
 * token) does not store it at all, even sealed (UU PDP; docs/contract/data-protection.md#idempotency):
 * the secret is made from the claim and a random salt ({@link answerSecret}), the record keeps the
 * salt and a marker where the secret was, and a replay makes the same secret again — so only whoever
 * can retry the request (the client's key and the exact body) ever gets it back.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import * as z from 'zod/mini'
import { IdempotencyRecord } from '../adapters/dynamo/entities/idempotency.ts'
import { get, IdempotencyRaceLostError, type TransactItem } from '../adapters/dynamo/index.ts'
import { DomainError } from '../errors/index.ts'
import { registerMessages } from '../i18n/index.ts'
import { ID_PATTERN } from '../id/index.ts'
import type { Clock, Store } from '../store.ts'

export { IdempotencyRaceLostError }

/** How long a stored answer is replayed: 24 hours, then TTL removes it. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600

/** What a client may send as `Idempotency-Key`. */
export const IDEMPOTENCY_KEY_PATTERN = ID_PATTERN

/** One idempotent attempt: who asked (scope), under which key, for exactly which request (fingerprint). */
export interface IdempotencyClaim {
  /** The caller's identity and the route, e.g. `account:<sub> POST /v1/programs` or `public POST /v1/requests`. */
  scope: string
  /** The raw `Idempotency-Key`; never stored. */
  key: string
  /** SHA-256 of method, path and body: a retry must match it exactly. */
  fingerprint: string
}

/** The answer given to the first attempt, replayed to every retry. */
export interface StoredAnswer {
  status: number
  body: unknown
}

/** The same key was sent with a different request: 422, the client has a bug. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'idempotency-key-reused'
  readonly status = 422
}

registerMessages({
  'problem.idempotency-key-reused': {
    id: 'Idempotency-Key sudah dipakai',
    en: 'Idempotency-Key already used',
  },
  'problem.idempotency-key-reused.detail': {
    id: 'Kunci ini sudah dipakai untuk permintaan lain. Gunakan kunci baru untuk permintaan baru.',
    en: 'This key was used for a different request. Use a new key for a new request.',
  },
  'problem.idempotency-in-progress': {
    id: 'Permintaan yang sama sedang diproses',
    en: 'The same request is in progress',
  },
  'problem.idempotency-in-progress.detail': {
    id: 'Permintaan dengan Idempotency-Key yang sama sedang diproses. Coba lagi sebentar lagi.',
    en: 'A request with the same Idempotency-Key is being processed. Try again shortly.',
  },
})

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest()
}

/** The fingerprint of one HTTP request: method, path and exact body bytes. */
export function fingerprintOf(method: string, path: string, body: string): string {
  return sha256(method.toUpperCase(), path, body).toString('base64url')
}

/** Where the record lives: the scope and a hash of the client's key, so the table never holds the key itself. */
const recordId = (claim: IdempotencyClaim) => ({
  scope: claim.scope,
  keyHash: sha256('key', claim.key).toString('base64url'),
})

function cipherKey(claim: IdempotencyClaim): Buffer {
  return sha256('answer-v1', claim.key, claim.fingerprint)
}

function seal(claim: IdempotencyClaim, answer: StoredAnswer): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', cipherKey(claim), iv)
  const sealed = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.')
}

const Answer = z.object({ status: z.int(), body: z.unknown() })

function open(claim: IdempotencyClaim, sealed: string): StoredAnswer {
  const [iv = '', tag = '', data = ''] = sealed.split('.')
  const decipher = createDecipheriv('aes-256-gcm', cipherKey(claim), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
    'utf8',
  )
  const { status, body } = z.parse(Answer, JSON.parse(text))
  return { status, body }
}

/** A secret an answer carries, made from the claim so that a replay can make it again. */
export interface AnswerSecret {
  /** 32 bytes, base64url (43 characters): a tracking token's shape. */
  token: string
  /** Random, stored in the record: without the client's key and body it makes nothing. */
  salt: string
}

/** Where the secret was in a stored answer. */
const SECRET_MARKER = '~answer-secret~'

function secretOf(claim: IdempotencyClaim, salt: string): string {
  return createHmac('sha256', sha256('secret-v1', claim.key, claim.fingerprint))
    .update(salt)
    .digest('base64url')
}

/**
 * The secret (a tracking token) an answer to `claim` will carry, made so that the stored answer need
 * not hold it; `undefined` without a claim (then the caller makes a random one). Pass it to
 * {@link storeAnswer} too.
 */
export function answerSecret(claim: IdempotencyClaim | undefined): AnswerSecret | undefined {
  if (!claim) return undefined
  const salt = randomBytes(16).toString('base64url')
  return { token: secretOf(claim, salt), salt }
}

/**
 * The idempotency record that stores `answer` for `claim`, for `transact`'s `idempotency` option: it
 * goes in the same transaction as the write it answers, and is refused if another attempt stored one
 * first. `undefined` without a claim (the caller sent no key).
 *
 * @example
 * await transact(store, steps, { idempotency: storeAnswer(claim, { status: 201, body: info }, now) })
 */
export function storeAnswer(
  claim: IdempotencyClaim | undefined,
  answer: StoredAnswer,
  now: Date,
  /** The secret the answer carries ({@link answerSecret}): stored as a marker, made again on replay. */
  secret?: AnswerSecret | undefined,
): TransactItem | undefined {
  if (!claim) return undefined
  const kept: StoredAnswer = secret
    ? JSON.parse(JSON.stringify(answer).split(secret.token).join(SECRET_MARKER))
    : answer
  return IdempotencyRecord.put(recordId(claim), {
    entity: 'idempotency',
    version: 1,
    fingerprint: claim.fingerprint,
    answer: seal(claim, kept),
    ...(secret ? { salt: secret.salt } : {}),
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  })
}

/**
 * The stored answer for `claim` (one strongly consistent `GetItem`): `undefined` when none is stored
 * or it expired; throws {@link IdempotencyKeyReusedError} when the key answered a different request.
 */
export async function readStoredAnswer(
  store: Store,
  claim: IdempotencyClaim,
  now: Date,
): Promise<StoredAnswer | undefined> {
  const record = await get(store, IdempotencyRecord, recordId(claim))
  // TTL deletes lazily (up to days late): an expired record is as good as gone.
  if (!record || record.expiresAt * 1000 <= now.getTime()) return undefined
  if (record.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError('Key reused')
  const answer = open(claim, record.answer)
  if (!record.salt) return answer
  const secret = secretOf(claim, record.salt)
  return JSON.parse(JSON.stringify(answer).split(SECRET_MARKER).join(secret))
}

/**
 * The claim of one call: who calls (`account:<sub>`, `public`, `public page`), on which route, under
 * which key, with which body; the scope keeps one caller's keys apart from another's.
 */
export function idempotencyClaim(call: {
  who: string
  path: string
  key: string
  body: string
}): IdempotencyClaim {
  return {
    scope: `${call.who} POST ${call.path}`,
    key: call.key,
    fingerprint: fingerprintOf('POST', call.path, call.body),
  }
}

/**
 * When {@link answerOnce} reads the stored answer: `'first'`, before every attempt (one `GetItem` on
 * every call with a key); or `'on-refusal'`, only when the attempt fails. `'on-refusal'` is for an
 * attempt whose every effect is one transaction carrying {@link storeAnswer}: a retry cannot commit
 * (its own record refuses it, or the domain refuses the state the first attempt left, such as an
 * offer already accepted), so the stored answer is read only then, and a first call costs no read.
 */
export type AnswerLookup = 'first' | 'on-refusal'

/**
 * Runs `attempt` at most once per claim: replays the stored answer when there is one; otherwise runs
 * it (its transaction stores the answer, see {@link storeAnswer}), and when a concurrent attempt with
 * the same key won the race, replays the winner's answer. Costs one `GetItem` (two for a race's
 * loser); with `lookup: 'on-refusal'`, none unless the attempt fails, then one.
 *
 * @throws IdempotencyKeyReusedError when the key answered a different request
 * @throws IdempotencyRaceLostError when the winner's answer cannot be read yet (the client retries)
 */
export async function answerOnce<T>(
  store: Store,
  clock: Clock,
  claim: IdempotencyClaim,
  attempt: () => Promise<T>,
  options: { lookup?: AnswerLookup } = {},
): Promise<{ replayed: StoredAnswer } | { fresh: T }> {
  const lookup = options.lookup ?? 'first'
  if (lookup === 'first') {
    const stored = await readStoredAnswer(store, claim, clock.now())
    if (stored) return { replayed: stored }
  }
  try {
    return { fresh: await attempt() }
  } catch (error) {
    if (lookup === 'first' && !(error instanceof IdempotencyRaceLostError)) throw error
    const stored = await readStoredAnswer(store, claim, clock.now())
    if (!stored) throw error
    return { replayed: stored }
  }
}
