import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { keys } from '../adapters/dynamo/keys.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, type EventEnvelope, outboxPut } from '../event/index.ts'
import {
  failedItems,
  type IdempotencyClaim,
  IdempotencyRaceLostError,
  idempotencyPut,
  retryOnConflict,
} from '../idempotency/index.ts'
import { segmentSeatRelease, segmentWaitlistLeave } from '../program/index.ts'
import type { Clock, Store } from '../store.ts'
import { openRequest } from './access.ts'
import { RequestEvents } from './events.ts'
import {
  OPEN_STATUSES,
  type RequestItem,
  requestTransition,
  SEATED_STATUSES,
  type TransactItem,
} from './item.ts'
import { requestFacts } from './submit.ts'
import { newTrackingToken } from './token.ts'

/** Runs one transaction of named items; maps its cancellation to the domain's errors. */
async function commit(
  store: Store,
  named: Array<[string, TransactItem]>,
  claim: IdempotencyClaim | undefined,
): Promise<void> {
  try {
    await retryOnConflict(() =>
      store.doc.send(new TransactWriteCommand({ TransactItems: named.map(([, item]) => item) })),
    )
  } catch (error) {
    const failed = failedItems(
      error,
      named.map(([name]) => name),
    )
    if (!failed) throw error
    if (claim && failed.conditions.has('idempotency')) throw new IdempotencyRaceLostError(claim)
    throw new ConflictError('The request changed meanwhile', 'stale', { cause: error })
  }
}

/** The counter updates and event facts for a request leaving its program's seat or queue. */
function leaveProgram(tableName: string, request: RequestItem): { item?: TransactItem; freedSeat: boolean } {
  if (request.programId === null || request.segment === null) return { freedSeat: false }
  if (request.status === 'waitlisted')
    return { item: segmentWaitlistLeave(tableName, request.programId, request.segment), freedSeat: false }
  if (SEATED_STATUSES.includes(request.status))
    return { item: segmentSeatRelease(tableName, request.programId, request.segment), freedSeat: true }
  return { freedSeat: false }
}

/** The items that cancel an open request: its transition, its seat or queue place, and the event. */
function cancellation(
  tableName: string,
  request: RequestItem,
  now: Date,
  set?: Record<string, unknown>,
): { named: Array<[string, TransactItem]>; event: EventEnvelope } {
  const { item, freedSeat } = leaveProgram(tableName, request)
  const event = createEvent(
    RequestEvents.Cancelled,
    { ...requestFacts(request), previousStatus: request.status, freedSeat },
    now,
  )
  const named: Array<[string, TransactItem]> = [
    ['request', requestTransition(tableName, request, 'cancelled', now, set ? { set } : {})],
  ]
  if (item) named.push(['seat', item])
  named.push(['event', outboxPut(tableName, event)])
  return { named, event }
}

/**
 * Cancels an open request (`waitlisted`, `matching`, `offered`) for its owner or its region's staff.
 * One transaction frees the seat (`admitted - 1`) or the queue place, moves the request and writes
 * `RequestCancelled` with `freedSeat`, on which the waitlist consumer promotes the next request and the
 * offers module withdraws an open offer. One `GetItem` and one `TransactWriteItems`.
 *
 * @throws ConflictError `request-not-open` when it is already under way, finished or cancelled
 */
export async function cancelRequest(
  store: Store,
  clock: Clock,
  id: string,
  token: string | undefined,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<{ id: string; status: 'cancelled' }> {
  const { request } = await openRequest(store, id, token, { staff: true })
  if (!OPEN_STATUSES.includes(request.status)) throw new ConflictError('Request not open', 'request-not-open')
  const now = clock.now()
  const answer = { id, status: 'cancelled' as const }
  const { named } = cancellation(store.tableName, request, now)
  const claim = options.idempotency
  if (claim)
    named.push(['idempotency', idempotencyPut(store.tableName, claim, { status: 200, body: answer }, now)])
  await commit(store, named, claim)
  return answer
}

/**
 * Erases the owner's personal data (UU PDP right to erasure): business name, owner's name, phone,
 * email, sales, channels and description are removed; the anonymous facts (status, region, sector,
 * size class, needs, dates) stay so reports remain true. The tracking token is revoked. An open
 * request is cancelled in the same transaction (no one can be matched without contact details), with
 * `RequestCancelled` beside `RequestDeleted`. One `GetItem` and one `TransactWriteItems`.
 */
export async function eraseRequest(
  store: Store,
  clock: Clock,
  id: string,
  token: string | undefined,
): Promise<void> {
  const { request } = await openRequest(store, id, token, { staff: false })
  const now = clock.now()
  const erased = { business: null, description: null, tokenHash: null, erasedAt: now.toISOString() }
  const deleted = createEvent(RequestEvents.Deleted, { requestId: id, programId: request.programId }, now)
  const named: Array<[string, TransactItem]> = OPEN_STATUSES.includes(request.status)
    ? cancellation(store.tableName, request, now, erased).named
    : [['request', requestTransition(store.tableName, request, request.status, now, { set: erased })]]
  named.push(['deleted', outboxPut(store.tableName, deleted)])
  await commit(store, named, undefined)
}

/**
 * Replaces the owner's tracking token (a link shared too widely); the old one stops working at once.
 * Conditioned on the old hash, so two rotations cannot both win. No domain event: nothing about the
 * request changes for anyone else. One `GetItem` and one `TransactWriteItems`.
 */
export async function rotateTrackingToken(
  store: Store,
  clock: Clock,
  id: string,
  token: string | undefined,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<{ id: string; trackingToken: string }> {
  const { request } = await openRequest(store, id, token, { staff: false })
  const fresh = newTrackingToken()
  const answer = { id, trackingToken: fresh.token }
  const named: Array<[string, TransactItem]> = [
    ['request', tokenUpdate(store.tableName, request, fresh.hash)],
  ]
  const claim = options.idempotency
  if (claim)
    named.push([
      'idempotency',
      idempotencyPut(store.tableName, claim, { status: 200, body: answer }, clock.now()),
    ])
  await commit(store, named, claim)
  return answer
}

/** Revokes a request's tracking token, e.g. when staff learn it leaked. One `UpdateItem` in a transaction. */
export async function revokeTrackingToken(store: Store, request: RequestItem): Promise<void> {
  await commit(store, [['request', tokenUpdate(store.tableName, request, null)]], undefined)
}

function tokenUpdate(tableName: string, request: RequestItem, hash: string | null): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.request(request.id),
      UpdateExpression: 'SET #tokenHash = :hash',
      ConditionExpression: '#tokenHash = :previous',
      ExpressionAttributeNames: { '#tokenHash': 'tokenHash' },
      ExpressionAttributeValues: { ':hash': hash, ':previous': request.tokenHash },
    },
  }
}
