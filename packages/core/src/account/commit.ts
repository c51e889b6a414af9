import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { ConflictError } from '../errors/index.ts'
import {
  failedItems,
  type IdempotencyClaim,
  IdempotencyRaceLostError,
  idempotencyPut,
  retryOnConflict,
  type StoredAnswer,
} from '../idempotency/index.ts'
import type { TransactItem } from '../request/index.ts'
import type { Store } from '../store.ts'

/** Why a transaction was cancelled: the named items whose condition failed, as they were. */
export interface Refusal<Name extends string> {
  conditions: Set<Name>
  items: Partial<Record<Name, Record<string, unknown>>>
}

/** Items of one transaction, by name, so a cancellation is explained in the domain's words. */
export type NamedItems<Name extends string> = Array<readonly [Name, TransactItem]>

export interface CommitOptions<Name extends string> {
  /** Turns the failed conditions into the domain error to answer (a `ConflictError` with a reason). */
  explain: (refusal: Refusal<Name>) => Error
  /** When the caller sent an `Idempotency-Key`: the answer is stored in the same transaction. */
  idempotency?: { claim: IdempotencyClaim; answer: StoredAnswer } | undefined
  now: Date
}

/**
 * Writes `items` in one `TransactWriteItems` (retried, at most twice, when DynamoDB cancels it for a
 * `TransactionConflict` with another transaction in flight, since then no condition was judged).
 * A failed condition becomes the error `explain` picks; losing an idempotency race becomes
 * {@link IdempotencyRaceLostError}, which the edge answers by replaying the winner's answer.
 */
export async function commit<Name extends string>(
  store: Store,
  items: NamedItems<Name>,
  options: CommitOptions<Name>,
): Promise<void> {
  const names: string[] = items.map(([name]) => name)
  const transactItems = items.map(([, item]) => item)
  if (options.idempotency) {
    names.push('idempotency')
    transactItems.push(
      idempotencyPut(store.tableName, options.idempotency.claim, options.idempotency.answer, options.now),
    )
  }
  try {
    await retryOnConflict(() => store.doc.send(new TransactWriteCommand({ TransactItems: transactItems })))
  } catch (error) {
    const failed = failedItems(error, names)
    if (!failed) throw error
    if (options.idempotency && failed.conditions.has('idempotency'))
      throw new IdempotencyRaceLostError(options.idempotency.claim)
    if (failed.conditions.size === 0) throw new ConflictError('Busy, try again', 'busy', { cause: error })
    const refusal = failed as unknown as Refusal<Name>
    throw options.explain(refusal)
  }
}
