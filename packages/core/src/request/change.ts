import { Segment } from '../adapters/dynamo/entities/program.ts'
import { ProgramPhone } from '../adapters/dynamo/entities/program-phone.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { everyItem, type Step, type TransactItem, transact } from '../adapters/dynamo/index.ts'
import { hashPhone } from '../business/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { answerSecret, type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { PrivacyEvents } from '../privacy/events.ts'
import type { Clock, Store } from '../store.ts'
import { getRequest, openRequest } from './access.ts'
import { RequestEvents } from './events.ts'
import { OPEN_STATUSES, type RequestItem, type RequestStatus, SEATED_STATUSES } from './item.ts'
import { dropContactLinks } from './recovery-links.ts'
import { requestFacts } from './submit.ts'
import { newTrackingToken, type PrivateKey } from './token.ts'

export interface TransitionExtras {
  /** More top-level attributes to set, e.g. `{ acceptedOfferId: 'x' }`; never keys, status or index keys. */
  set?: Record<string, unknown>
  /** Appends a mentor to `excludedMentorIds` (declined or let an offer expire). */
  addExcludedMentor?: string
  /** Adds one to `offerCount`. */
  incrementOffers?: boolean
}

const reserved = new Set(
  'pk sk entity version id status updatedAt byRegionPk byRegionSk byProgramPk byProgramSk'.split(' '),
)

/**
 * The `Update` that moves `request` from its current status to `to`, for another module's
 * transaction (with that module's own steps and event). It succeeds only if the request is still
 * exactly as read — same status, same `updatedAt` — so a concurrent change cancels the whole
 * transaction instead of being overwritten; the entity moves it between its lists.
 *
 * Seats are not touched: a transition that frees a seat adds `Segment.releaseSeat` to the same transaction.
 *
 * @example
 * // offers: the mentor declined; the request goes back to matching without that mentor
 * ['request', requestTransition(request, 'matching', now, { addExcludedMentor: offer.mentorId })]
 */
export function requestTransition(
  request: RequestItem,
  to: RequestStatus,
  now: Date,
  extra: TransitionExtras = {},
): TransactItem {
  for (const name of Object.keys(extra.set ?? {}))
    if (reserved.has(name)) throw new Error(`requestTransition may not set ${name}`)
  return Request.update(
    request,
    {
      set: { ...extra.set, status: to, updatedAt: now.toISOString() },
      append:
        extra.addExcludedMentor === undefined ? undefined : { excludedMentorIds: [extra.addExcludedMentor] },
      add: extra.incrementOffers ? { offerCount: 1 } : undefined,
    },
    { when: Request.unchanged(request) },
  )
}

/**
 * Gives the request's phone claim on its program back (one person, one open request per program), so
 * the same phone may ask again; none for a request outside a program or already erased.
 */
function phoneRelease(request: RequestItem): Step[] {
  if (request.programId === null || request.business === null) return []
  return [['phone', ProgramPhone.release(request.programId, hashPhone(request.business.phone), request.id)]]
}

/** The steps that cancel an open request: its transition, its seat or queue place, its phone's claim, and the event. */
/** The steps that cancel an open request (its seat, its phone claim, `RequestCancelled`), for other modules' transactions. */
export const cancellationSteps = (request: RequestItem, now: Date, set?: Record<string, unknown>): Step[] =>
  cancellation(request, now, set)

function cancellation(
  request: RequestItem,
  now: Date,
  set?: Record<string, unknown>,
  reason?: 'program-closed',
): Step[] {
  const { programId, segment } = request
  const seated = SEATED_STATUSES.includes(request.status)
  const place =
    programId === null || segment === null
      ? undefined
      : request.status === 'waitlisted'
        ? Segment.leaveWaitlist(programId, segment)
        : seated
          ? Segment.releaseSeat(programId, segment)
          : undefined
  const freedSeat = place !== undefined && seated
  const event = createEvent(
    RequestEvents.Cancelled,
    { ...requestFacts(request), previousStatus: request.status, freedSeat, ...(reason && { reason }) },
    now,
  )
  return [
    ['request', requestTransition(request, 'cancelled', now, set ? { set } : {})],
    ...(place ? [['seat', place] as const] : []),
    ...phoneRelease(request),
    ['event', outbox(event)],
  ]
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
  token: PrivateKey | undefined,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<{ id: string; status: 'cancelled' }> {
  const { request } = await openRequest(store, id, token, { staff: true })
  if (!OPEN_STATUSES.includes(request.status)) throw new ConflictError('Request not open', 'request-not-open')
  const now = clock.now()
  const answer = { id, status: 'cancelled' as const }
  await transact(store, cancellation(request, now), {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: answer }, now),
  })
  return answer
}

/** Requests read per page when a closed program lets its waitlist go. */
const RELEASE_PAGE = 100

/**
 * Its program closed: every request still waiting for a seat in it is cancelled — its queue place and
 * its phone's claim given back — with `RequestCancelled` (`reason: program-closed`), on which its owner
 * is told. Requests already holding a seat keep it and go on being matched. Safe to repeat: each is
 * read again (strongly consistent) and skipped unless still waitlisted, and one a concurrent change
 * got to first (a promotion) is left as it is. Calls: 1 `Query` per 100 waiting, then 1 `GetItem` and
 * 1 `TransactWriteItems` each.
 *
 * @returns how many requests it cancelled
 */
export async function releaseWaitlist(store: Store, clock: Clock, programId: string): Promise<number> {
  let released = 0
  for await (const listed of everyItem(store, Request.inProgram(programId, 'waitlisted'), RELEASE_PAGE)) {
    const request = await getRequest(store, listed.id)
    if (request?.status !== 'waitlisted') continue
    try {
      await transact(store, cancellation(request, clock.now(), undefined, 'program-closed'))
      released++
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
    }
  }
  return released
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
  token: PrivateKey | undefined,
): Promise<void> {
  const { request } = await openRequest(store, id, token, { staff: false })
  await eraseRequestItem(store, clock, request, 'request')
}

/**
 * The erasure itself, for the owner's call and for the retention duty (`reason: 'retention'`): the
 * request's personal fields, its phone claim, an open request cancelled, and in the same transaction
 * `RequestDeleted` (the report counters) and `PersonErased`, on which each consumer erases its own
 * part (sessions, notes, feedback, certificates, messages; a running engagement ends).
 */
export async function eraseRequestItem(
  store: Store,
  clock: Clock,
  request: RequestItem,
  reason: 'request' | 'retention',
): Promise<void> {
  const now = clock.now()
  const id = request.id
  const erased = { business: null, description: null, tokenHash: null, erasedAt: now.toISOString() }
  const deleted = createEvent(RequestEvents.Deleted, { requestId: id, programId: request.programId }, now)
  const person = createEvent(PrivacyEvents.PersonErased, { person: 'owner', personId: id, reason }, now)
  const steps: Step[] = OPEN_STATUSES.includes(request.status)
    ? cancellation(request, now, erased)
    : [
        ['request', requestTransition(request, request.status, now, { set: erased })],
        ...phoneRelease(request),
      ]
  await transact(store, [
    ...steps,
    // Issue 17: link recovery no longer finds the request by the erased phone or e-mail.
    ...dropContactLinks(request),
    ['deleted', outbox(deleted)],
    ['person', outbox(person)],
  ])
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
  token: PrivateKey | undefined,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<{ id: string; trackingToken: string }> {
  const { request } = await openRequest(store, id, token, { staff: false })
  const secret = answerSecret(options.idempotency)
  const fresh = newTrackingToken(secret)
  const answer = { id, trackingToken: fresh.token }
  await transact(store, [['request', tokenUpdate(request, fresh.hash)]], {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: answer }, clock.now(), secret),
  })
  return answer
}

/** Revokes a request's tracking token, e.g. when staff learn it leaked. One `UpdateItem` in a transaction. */
export async function revokeTrackingToken(store: Store, request: RequestItem): Promise<void> {
  await transact(store, [['request', tokenUpdate(request, null)]])
}

/**
 * Staff revoke a request's tracking token (a link that leaked): it stops working at once and no new
 * one is made. Only staff whose region covers the request, and admins; anyone else gets what
 * {@link openRequest} answers (404 outside the region, 403 for a mentor). Revoking a revoked token
 * changes nothing. One `GetItem` and one `TransactWriteItems`.
 */
export async function revokeTrackingTokenAsStaff(store: Store, id: string): Promise<void> {
  const { request } = await openRequest(store, id, undefined, { staff: true })
  if (request.tokenHash === null) return
  await revokeTrackingToken(store, request)
}

function tokenUpdate(request: RequestItem, hash: string | null): TransactItem {
  return Request.update(request, { set: { tokenHash: hash } }, { when: Request.tokenIs(request.tokenHash) })
}
