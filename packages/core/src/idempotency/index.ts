/**
 * Idempotent POSTs (SPEC §4, invariant 7). A client may send `Idempotency-Key`; the first answer to
 * that key is stored and every retry gets it back, with nothing created twice.
 *
 * How the pieces fit:
 * 1. The HTTP edge reads the stored answer first ({@link readStoredAnswer}): a match replays it, a
 *    different request under the same key is refused ({@link IdempotencyKeyReusedError}).
 * 2. Otherwise the domain function writes the answer it is about to give *inside its own*
 *    `TransactWriteItems` ({@link idempotencyPut}, condition `attribute_not_exists(pk)`). Of two
 *    concurrent retries exactly one transaction commits; the other is cancelled on that condition,
 *    which {@link failedItems} detects, and the loser throws {@link IdempotencyRaceLostError} so the
 *    edge replays the winner's stored answer.
 *
 * The stored body is encrypted with a key derived from the raw `Idempotency-Key` and the request's
 * fingerprint, and the record's key holds only a hash of the `Idempotency-Key`: an answer carrying a
 * secret (a tracking token) is readable by whoever can retry the request, and by no one reading the table.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { keys } from '../adapters/dynamo/keys.ts'
import { ConflictError, DomainError } from '../errors/index.ts'
import { registerMessages } from '../i18n/index.ts'
import type { Store } from '../store.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** How long a stored answer is replayed: 24 hours, then TTL removes it. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600

/** What a client may send as `Idempotency-Key`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

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

/**
 * A concurrent attempt with the same key committed first. The edge answers with that attempt's stored
 * answer; if it cannot find it (not yet visible), the client retries this 409.
 */
export class IdempotencyRaceLostError extends ConflictError {
  constructor(readonly claim: IdempotencyClaim) {
    super('A concurrent request with the same Idempotency-Key won', 'idempotency-in-progress')
  }
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

/** The record's key: the scope and a hash of the client's key, so the table never holds the key itself. */
function recordKey(claim: IdempotencyClaim) {
  return keys.idempotency(claim.scope, sha256('key', claim.key).toString('base64url'))
}

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

const IdempotencyItem = z.object({
  entity: z.literal('idempotency'),
  version: z.literal(1),
  fingerprint: z.string(),
  answer: z.string(),
  expiresAt: z.number(),
})

/**
 * The `Put` that stores `answer` for `claim`, to go in the same `TransactWriteItems` as the write it
 * answers. Its condition makes the whole transaction fail if another attempt already stored one.
 *
 * @example
 * const items = [putRequest, outboxPut(table, event)]
 * if (claim) items.push(idempotencyPut(table, claim, { status: 201, body }, now))
 */
export function idempotencyPut(
  tableName: string,
  claim: IdempotencyClaim,
  answer: StoredAnswer,
  now: Date,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...recordKey(claim),
        entity: 'idempotency',
        version: 1,
        fingerprint: claim.fingerprint,
        answer: seal(claim, answer),
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }
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
  const { Item } = await store.doc.send(
    new GetCommand({ TableName: store.tableName, Key: recordKey(claim), ConsistentRead: true }),
  )
  if (!Item) return undefined
  const record = z.parse(IdempotencyItem, Item)
  // TTL deletes lazily (up to days late): an expired record is as good as gone.
  if (record.expiresAt * 1000 <= now.getTime()) return undefined
  if (record.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError('Key reused')
  return open(claim, record.answer)
}

/** Why one item of a cancelled transaction failed, with the item as it was when the condition failed. */
export interface CancellationReason {
  /** `ConditionalCheckFailed`, `TransactionConflict`, `None` … */
  code: string
  item: Record<string, unknown> | undefined
}

/** The per-item reasons of a `TransactionCanceledException`, in item order; `undefined` for other errors. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined
  const reasons = (error as Error & { CancellationReasons?: Array<{ Code?: string; Item?: unknown }> })
    .CancellationReasons
  if (!Array.isArray(reasons)) return undefined
  return reasons.map((reason) => ({
    code: reason.Code ?? 'None',
    item: reason.Item === undefined ? undefined : unmarshallItem(reason.Item),
  }))
}

/**
 * Names the items of a cancelled transaction whose condition failed. Pass the names of the items in
 * the order they were sent; returns the names with `ConditionalCheckFailed`, and whether any item hit
 * a `TransactionConflict` (another transaction in flight on it: retry, the condition was not judged).
 *
 * @example
 * const failed = failedItems(error, ['request', 'seat', 'event', 'idempotency'])
 * if (failed?.conditions.has('idempotency')) throw new IdempotencyRaceLostError(claim)
 */
export function failedItems<Name extends string>(
  error: unknown,
  names: readonly Name[],
):
  | { conditions: Set<Name>; conflict: boolean; items: Partial<Record<Name, Record<string, unknown>>> }
  | undefined {
  const reasons = cancellationReasons(error)
  if (!reasons) return undefined
  const conditions = new Set<Name>()
  const items: Partial<Record<Name, Record<string, unknown>>> = {}
  let conflict = false
  reasons.forEach((reason, index) => {
    const name = names[index]
    if (name === undefined) return
    if (reason.code === 'ConditionalCheckFailed') {
      conditions.add(name)
      if (reason.item) items[name] = reason.item
    } else if (reason.code === 'TransactionConflict') conflict = true
  })
  return { conditions, conflict, items }
}

/** Reads DynamoDB's wire format (`{ S: 'x' }`, `{ N: '1' }` …), which error payloads keep. */
function unmarshall(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  const [[type, inner] = []] = Object.entries(value)
  switch (type) {
    case 'S':
    case 'BOOL':
      return inner
    case 'N':
      return Number(inner)
    case 'NULL':
      return null
    case 'L':
      return Array.isArray(inner) ? inner.map(unmarshall) : []
    case 'M':
      return unmarshallItem(inner)
    case 'SS':
      return new Set(Array.isArray(inner) ? inner : [])
    case 'NS':
      return new Set(Array.isArray(inner) ? inner.map(Number) : [])
    default:
      return undefined
  }
}

function unmarshallItem(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {}
  return Object.fromEntries(Object.entries(value).map(([name, attribute]) => [name, unmarshall(attribute)]))
}

/**
 * Runs a transaction-building attempt again when DynamoDB cancelled it for a `TransactionConflict`
 * (another transaction was writing the same item at that instant; no condition was judged). At most
 * `attempts` tries with a short jittered pause, so a request path stays bounded.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt()
    } catch (error) {
      const reasons = cancellationReasons(error)
      const conflicted = reasons?.some((reason) => reason.code === 'TransactionConflict')
      const judged = reasons?.some((reason) => reason.code === 'ConditionalCheckFailed')
      if (!conflicted || judged || tried >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * tried))
    }
  }
}
