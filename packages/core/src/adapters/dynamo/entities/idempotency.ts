import { IdempotencyItem } from '../../../idempotency/item.ts'
import type { Readable } from '../entity.ts'
import { putItem } from '../entity.ts'
import { keys } from '../keys.ts'

/** Where a record lives: the caller's scope and a hash of the client's key (never the key itself). */
export interface IdempotencyId {
  scope: string
  keyHash: string
}

const key = (id: IdempotencyId) => keys.idempotency(id.scope, id.keyHash)

/**
 * The stored first answer to an idempotent call (invariant 7). Unlike other entities its key is not
 * in its attributes, so `put` takes the id beside the record.
 */
export const IdempotencyRecord = {
  key,
  parse: (raw: unknown) => IdempotencyItem.parse(raw),
  /** The record's `Put`, refused if an answer is already stored: that refusal is a lost race. */
  put: (id: IdempotencyId, record: IdempotencyItem) => putItem(key(id), record),
} satisfies Readable<IdempotencyItem, IdempotencyId> & Record<string, unknown>
