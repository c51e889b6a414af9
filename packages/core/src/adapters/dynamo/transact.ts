import {
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteItem,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { ConflictError, ServiceUnavailableError } from '../../errors/index.ts'
import type { Store } from './client.ts'
import type { TransactItem } from './entity.ts'

/**
 * A concurrent attempt with the same `Idempotency-Key` committed first: its idempotency record
 * refused this attempt's transaction. The edge answers with the winner's stored answer; if it cannot
 * find it (not yet visible), the client retries this 409.
 */
export class IdempotencyRaceLostError extends ConflictError {
  constructor(options?: ErrorOptions) {
    super('A concurrent request with the same Idempotency-Key won', 'idempotency-in-progress', options)
  }
}

/** One named write of a transaction: the name is how a refusal is explained in the domain's words. */
export type Step<Name extends string = string> = readonly [Name, TransactItem]

/** Why a transaction was refused: the named steps whose condition failed, with their items as they were. */
export interface Refusal<Name extends string> {
  conditions: Set<Name>
  items: Partial<Record<Name, Record<string, unknown>>>
}

export interface TransactOptions<Name extends string> {
  /** The domain error for a refusal; a `ConflictError('stale')` when absent. */
  explain?: ((refusal: Refusal<Name>) => Error) | undefined
  /**
   * The idempotency record storing this call's answer (`idempotency`'s `storeAnswer`), written in
   * the same transaction; if another attempt stored one first, {@link IdempotencyRaceLostError}.
   */
  idempotency?: TransactItem | undefined
  /**
   * How often it is sent when DynamoDB cancels it for a `TransactionConflict`, {@link ATTEMPTS} by
   * default; more for writes to items every event touches (the report counters' national month).
   */
  attempts?: number | undefined
}

/** How often a transaction is sent when DynamoDB cancels it for a `TransactionConflict`. */
const ATTEMPTS = 3

/**
 * Writes `steps` in one `TransactWriteItems`, all or nothing. When DynamoDB cancels it for a
 * `TransactionConflict` (another transaction on the same item at that instant, no condition judged)
 * it is sent again, at most {@link ATTEMPTS} times with a short jittered pause, so a request stays
 * bounded. A refusal becomes: {@link IdempotencyRaceLostError} when the idempotency record already
 * existed (the edge replays the winner's answer); the error `explain` picks when a step's condition
 * failed; `ServiceUnavailableError` (503) when DynamoDB throttled one of its items;
 * `ConflictError('busy')` when nothing was judged. Other errors pass through.
 *
 * @example
 * await transact(store, [
 *   ['request', Request.update(request, { set: { status: 'cancelled' } }, { when: Request.unchanged(request) })],
 *   ['event', outbox(event)],
 * ], { explain: () => new ConflictError('Changed meanwhile', 'stale'), idempotency: storeAnswer(claim, answer, now) })
 */
export async function transact<Name extends string>(
  store: Store,
  steps: ReadonlyArray<Step<Name>>,
  options: TransactOptions<Name> = {},
): Promise<void> {
  const names: string[] = steps.map(([name]) => name)
  const items = steps.map(([, item]) => item)
  if (options.idempotency) {
    names.push('idempotency')
    items.push(options.idempotency)
  }
  const input = { TransactItems: withTable(store.tableName, items) }
  for (let attempt = 1; ; attempt++) {
    try {
      await store.doc.send(new TransactWriteCommand(input))
      return
    } catch (error) {
      const refusal = refusalOf(error, names)
      if (!refusal) throw error
      if (options.idempotency && refusal.conditions.has('idempotency')) throw new IdempotencyRaceLostError()
      if (refusal.conditions.size > 0)
        throw (
          options.explain?.(refusal as Refusal<string> as Refusal<Name>) ??
          new ConflictError('Changed meanwhile', 'stale', { cause: error })
        )
      // DynamoDB throttled an item of the transaction: nothing was judged, and nothing is wrong with
      // the request; the SDK does not retry a cancellation, so it is an outage to retry later (503).
      if (refusal.throttled)
        throw new ServiceUnavailableError('Transaction throttled', undefined, { cause: error })
      if (!refusal.conflict || attempt >= (options.attempts ?? ATTEMPTS))
        throw new ConflictError('Busy, try again', 'busy', { cause: error })
      // Doubling pauses: the first two as they always were, later ones spread a crowd on a hot item.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10 * 2 ** attempt))
    }
  }
}

/**
 * Names the steps of a cancelled transaction whose condition failed (with the item as it was), and
 * whether any hit a `TransactionConflict`; `undefined` for any error but `TransactionCanceledException`.
 */
export function refusalOf<Name extends string>(
  error: unknown,
  names: readonly Name[],
): (Refusal<Name> & { conflict: boolean; throttled: boolean }) | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string; Item?: unknown }> })
    .CancellationReasons
  if (!Array.isArray(reasons)) return undefined
  const refusal = {
    conditions: new Set<Name>(),
    items: {} as Refusal<Name>['items'],
    conflict: false,
    throttled: false,
  }
  reasons.forEach((reason, index) => {
    const name = names[index]
    if (name === undefined) return
    if (reason.Code === 'ConditionalCheckFailed') {
      refusal.conditions.add(name)
      // Error payloads are not unmarshalled by the document client: they keep the wire format.
      if (reason.Item) refusal.items[name] = unmarshall(reason.Item as Parameters<typeof unmarshall>[0])
    } else if (reason.Code === 'TransactionConflict') refusal.conflict = true
    else if (reason.Code === 'ThrottlingError' || reason.Code === 'ProvisionedThroughputExceeded')
      refusal.throttled = true
  })
  return refusal
}

/**
 * `items` as the SDK takes them, in `tableName`; for code that sends its own `TransactWriteCommand`
 * (tests, scripts). A `TableName` already set is kept.
 */
export function withTable(tableName: string, items: readonly TransactItem[]): TransactWriteItem[] {
  return items.map((item) => {
    const [[operation, write] = []] = Object.entries(item)
    return {
      [operation as string]: { ...write, TableName: write?.TableName ?? tableName },
    } as TransactWriteItem
  })
}

/**
 * Sends one `Put`, `Update` or `Delete` on its own, outside a transaction (a consumer's claim on an
 * event). Resolves `false` when its condition failed, `true` when it was written.
 */
export async function write(store: Store, item: TransactItem): Promise<boolean> {
  const TableName = store.tableName
  try {
    if (item.Put) await store.doc.send(new PutCommand({ ...item.Put, TableName }))
    else if (item.Update) await store.doc.send(new UpdateCommand({ ...item.Update, TableName }))
    else if (item.Delete) await store.doc.send(new DeleteCommand({ ...item.Delete, TableName }))
    else throw new Error('write takes a Put, an Update or a Delete')
    return true
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false
    throw error
  }
}
