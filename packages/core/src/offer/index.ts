/**
 * Offers: a request proposed to one mentor, with the score that explains why, open until the mentor
 * accepts, declines or the program's window passes. Accepting makes the engagement.
 *
 * Invariants kept here by DynamoDB conditions, never by reading first:
 * - 1: the accept transaction adds one to the mentor's load only while `active < capacity`;
 * - 2: it puts the request's acceptance marker only if none exists, and only while the offer is open
 *   and `validUntil > now`.
 */
import { createHash } from 'node:crypto'
import * as z from 'zod/mini'
import { visibleTo } from '../account/access.ts'
import { requireAccount } from '../actor/index.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { MentorLoad } from '../adapters/dynamo/entities/mentor-load.ts'
import { Acceptance, Offer } from '../adapters/dynamo/entities/offer.ts'
import {
  type Condition,
  get,
  type Page,
  query,
  type Step,
  type TransactItem,
  transact,
} from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { type EngagementInfo, engagementInfo, newEngagement } from '../engagement/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, type EventEnvelope, outbox } from '../event/index.ts'
import { followUpStep } from '../followup/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { PageLimit } from '../program/index.ts'
import { getRequest, type RequestItem, requestTransition } from '../request/index.ts'
import type { Clock, Store } from '../store.ts'
import { plainText } from '../text/index.ts'
import { OfferEvents } from './events.ts'
import {
  type AcceptanceItem,
  DECLINE_REASONS,
  type DeclineReason,
  DeclineRecord,
  OFFER_STATUSES,
  OfferedRequest,
  OfferItem,
  type OfferStatus,
  Score,
} from './item.ts'

export {
  AcceptanceItem,
  DECLINE_REASONS,
  type DeclineReason,
  OFFER_STATUSES,
  OfferedRequest,
  OfferItem,
  type OfferStatus,
  Score,
} from './item.ts'
export { OfferEvents }

/** `POST /v1/offers/{id}/decline`. */
export const DeclineInput = z.strictObject({
  reason: z.enum(DECLINE_REASONS),
  note: z.optional(z.string().check(z.trim(), z.maxLength(500), plainText())),
})
export type DeclineInput = z.infer<typeof DeclineInput>

/** `GET /v1/me/offers`. */
export const OfferListQuery = z.strictObject({
  status: z.optional(z.enum(OFFER_STATUSES)),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type OfferListQuery = z.infer<typeof OfferListQuery>

/** How long an offer stays open when the program does not say: 48 hours (docs/contract/entities.md). */
export const DEFAULT_OFFER_WINDOW_HOURS = 48

/** An offer as the API shows it. */
export const Info = z.object({
  id: z.string(),
  status: z.enum(OFFER_STATUSES),
  requestId: z.string(),
  mentorId: z.string(),
  programId: z.nullable(z.string()),
  request: OfferedRequest,
  score: Score,
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.nullable(z.string()),
  decline: z.nullable(DeclineRecord),
  engagementId: z.nullable(z.string()),
})
export type Info = z.infer<typeof Info>

/** The offer as the API shows it: its deadline is `expiresAt` there (see {@link OfferItem} for why not here). */
export function offerInfo(offer: OfferItem): Info {
  return {
    id: offer.id,
    status: offer.status,
    requestId: offer.requestId,
    mentorId: offer.mentorId,
    programId: offer.programId,
    request: offer.request,
    score: offer.score,
    createdAt: offer.createdAt,
    expiresAt: offer.validUntil,
    decidedAt: offer.decidedAt,
    decline: offer.decline,
    engagementId: offer.engagementId,
  }
}

const messages = {
  'problem.offer-expired': { id: 'Tawaran sudah kedaluwarsa', en: 'The offer has expired' },
  'problem.offer-expired.detail': {
    id: 'Batas waktu menerima tawaran ini sudah lewat.',
    en: 'The time to accept this offer has passed.',
  },
  'problem.offer-taken': { id: 'Permintaan sudah diambil', en: 'The request is taken' },
  'problem.offer-taken.detail': {
    id: 'Permintaan ini sudah didampingi mentor lain atau tidak lagi menunggu mentor.',
    en: 'Another mentor has this request, or it no longer waits for a mentor.',
  },
  'problem.offer-closed': { id: 'Tawaran sudah ditutup', en: 'The offer is closed' },
  'problem.offer-closed.detail': {
    id: 'Tawaran ini sudah diterima, ditolak atau ditarik.',
    en: 'This offer was already accepted, declined or withdrawn.',
  },
  'problem.capacity-full': { id: 'Kapasitas mentor penuh', en: 'Mentor capacity is full' },
  'problem.capacity-full.detail': {
    id: 'Anda sudah mendampingi sebanyak kapasitas Anda. Selesaikan pendampingan atau naikkan kapasitas.',
    en: 'You are mentoring as many businesses as your capacity. Finish one or raise your capacity.',
  },
  'problem.mentor-not-active': { id: 'Akun mentor tidak aktif', en: 'The mentor account is not active' },
  'problem.mentor-not-active.detail': {
    id: 'Aktifkan kembali akun Anda (bukan jeda) untuk menerima tawaran.',
    en: 'Resume your account (it is paused or suspended) to accept offers.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))

/**
 * The id of the request's `n`-th offer: derived, not random, so two runs of matching for the same
 * request state put the same offer and the second is refused by its condition. Unguessable because
 * the request id is.
 */
export function offerIdFor(requestId: string, offerCount: number): string {
  return createHash('sha256').update(`offer\0${requestId}\0${offerCount}`).digest('base64url').slice(0, 22)
}

/** The mentor an offer goes to, as matching found them. */
export interface OfferedMentor {
  mentorId: string
  mentorSub: string
}

/**
 * The items that offer `request` (status `matching`) to `mentor`: the open offer, the request's move
 * to `offered`, `OfferMade` and the offer's expiry duty. For matching and the cohort commit to put in
 * one transaction.
 *
 * @param _tableName unused: `transact` (or `withTable`) names the table. Kept while matching still
 *   passes it, so this module and matching can move onto the data layer one at a time.
 */
export function offerItems(
  _tableName: string,
  request: RequestItem,
  mentor: OfferedMentor,
  score: Score,
  now: Date,
  windowHours: number = DEFAULT_OFFER_WINDOW_HOURS,
): {
  offer: OfferItem
  items: { offer: TransactItem; request: TransactItem; event: TransactItem; expiry: TransactItem }
} {
  const createdAt = now.toISOString()
  const { needs, mode, languages, region, sector, sizeClass, timeZone } = request
  const offer: OfferItem = {
    entity: 'offer',
    version: 1,
    id: offerIdFor(request.id, request.offerCount),
    status: 'open',
    requestId: request.id,
    mentorId: mentor.mentorId,
    mentorSub: mentor.mentorSub,
    programId: request.programId,
    region,
    request: { needs, mode, languages, region, sector, sizeClass, timeZone },
    score,
    createdAt,
    validUntil: new Date(now.getTime() + windowHours * 3600_000).toISOString(),
    updatedAt: createdAt,
    decidedAt: null,
    decline: null,
    engagementId: null,
  }
  const event = createEvent(
    OfferEvents.Made,
    { ...offerDetail(offer), expiresAt: offer.validUntil, score: score.total },
    now,
  )
  return {
    offer,
    items: {
      offer: Offer.put(offer),
      request: requestTransition(request, 'offered', now, {
        incrementOffers: true,
        set: { offerId: offer.id },
      }),
      event: outbox(event),
      // The expiry is scheduled with the offer, never by a later consumer: it cannot be lost, nor
      // arrive after the accept that cancels it.
      expiry: followUpStep('offer-expiry', offer.id, new Date(offer.validUntil)),
    },
  }
}

/** One offer, strongly consistent, or `undefined`. One `GetItem`. */
export function getOffer(store: Store, id: string): Promise<OfferItem | undefined> {
  return get(store, Offer, { id })
}

/** Who took a request: its acceptance marker (offer, mentor, engagement), or `undefined`. One `GetItem`. */
export function getAcceptance(store: Store, requestId: string): Promise<AcceptanceItem | undefined> {
  return get(store, Acceptance, { requestId })
}

export interface ListOptions {
  limit: number
  cursor?: string | undefined
  status?: OfferStatus | undefined
}

/**
 * A mentor's offers, newest first, optionally of one status (filtered on the page, so a page may hold
 * fewer than `limit`; the cursor still moves on). One `Query` on `byOwner`.
 */
export async function listOffersOfMentor(
  store: Store,
  mentorId: string,
  options: ListOptions,
): Promise<Page<Info>> {
  const page = await query(store, Offer.ofMentor(mentorId, { status: options.status }), options)
  return { items: page.items.map(offerInfo), nextCursor: page.nextCursor }
}

function closedError(offer: Pick<OfferItem, 'status' | 'validUntil'>, now: Date): ConflictError {
  if (offer.status === 'expired' || (offer.status === 'open' && offer.validUntil <= now.toISOString()))
    return new ConflictError('The offer expired', 'offer-expired')
  return new ConflictError(`The offer is ${offer.status}`, 'offer-closed')
}

/** The offer a refused transaction returned, if it is one (it may have vanished). */
function asOffer(raw: unknown): OfferItem | undefined {
  const parsed = z.safeParse(OfferItem, raw)
  return parsed.success ? parsed.data : undefined
}

/** The `Update` that decides `offer` as `to` (with more to `set`), while `guard` holds: undecided by default. */
function decide(
  offer: OfferItem,
  to: Exclude<OfferStatus, 'open'>,
  now: Date,
  set: Partial<OfferItem> = {},
  guard: Condition = Offer.undecided,
): TransactItem {
  const at = now.toISOString()
  return Offer.update(offer, { set: { ...set, status: to, updatedAt: at, decidedAt: at } }, { when: guard })
}

/**
 * The steps of a decline or expiry: the offer's `decision`, its event, and the request back to
 * `matching` without this mentor, only if it still waits on this offer (a cancelled request keeps its state).
 */
function handBack(
  offer: OfferItem,
  request: RequestItem | undefined,
  now: Date,
  decision: TransactItem,
  event: EventEnvelope,
): Step<'offer' | 'request' | 'event'>[] {
  const steps: Step<'offer' | 'request' | 'event'>[] = [
    ['offer', decision],
    ['event', outbox(event)],
  ]
  if (request?.status === 'offered')
    steps.push([
      'request',
      requestTransition(request, 'matching', now, { addExcludedMentor: offer.mentorId }),
    ])
  return steps
}

function offerDetail(offer: OfferItem) {
  return {
    offerId: offer.id,
    requestId: offer.requestId,
    mentorId: offer.mentorId,
    programId: offer.programId,
    region: offer.region,
  }
}

export interface WriteOptions {
  idempotency?: IdempotencyClaim | undefined
}

/**
 * The signed-in mentor accepts their open offer: in ONE transaction the offer becomes `accepted`
 * (only while open and `validUntil > now`), the request `offered → active`, the request's acceptance
 * marker is put (only if absent: invariant 2), the mentor's load gains one (only while
 * `active < capacity`: invariant 1), the mentor is checked active, the engagement is put, and
 * `OfferAccepted` is written. Calls: 2 `GetItem` (offer, request) + 1 `TransactWriteItems`.
 *
 * @throws ConflictError `offer-expired`, `offer-closed`, `offer-taken`, `capacity-full`, `mentor-not-active`
 */
export async function acceptOffer(
  store: Store,
  clock: Clock,
  offerId: string,
  options: WriteOptions = {},
): Promise<EngagementInfo> {
  const account = requireAccount('mentor')
  const offer = visibleTo(account, await getOffer(store, offerId), 'offer', true)
  const now = clock.now()
  const at = now.toISOString()
  if (offer.status !== 'open' || offer.validUntil <= at) throw closedError(offer, now)
  const request = await getRequest(store, offer.requestId)
  if (request?.status !== 'offered')
    throw new ConflictError('The request no longer waits for this offer', 'offer-taken')

  const engagement = newEngagement({ id: newId(), offer, request, now })
  const { id: engagementId } = engagement
  const { mentorId } = offer
  const event = createEvent(
    OfferEvents.Accepted,
    { ...offerDetail(offer), engagementId, submittedAt: request.submittedAt, acceptedAt: at },
    now,
  )
  const marker: AcceptanceItem = {
    entity: 'requestAcceptance',
    version: 1,
    offerId: offer.id,
    mentorId,
    engagementId,
    acceptedAt: at,
  }
  const info = engagementInfo(engagement)
  await transact(
    store,
    [
      ['offer', decide(offer, 'accepted', now, { engagementId }, Offer.open(now))],
      ['request', requestTransition(request, 'active', now, { set: { engagementId, mentorId } })],
      ['acceptance', Acceptance.put(request.id, marker)],
      [
        'load',
        MentorLoad.update(
          { mentorId },
          { add: { active: 1 }, set: { updatedAt: at } },
          { when: MentorLoad.belowCapacity },
        ),
      ],
      ['mentor', MentorLoad.mentorActive(mentorId)],
      ['engagement', Engagement.put(engagement)],
      ['event', outbox(event)],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: info }, now),
      explain: ({ conditions, items }) => {
        if (conditions.has('offer'))
          return closedError(asOffer(items.offer) ?? { status: 'open', validUntil: at }, now)
        if (conditions.has('request') || conditions.has('acceptance'))
          return new ConflictError('The request was taken or closed', 'offer-taken')
        if (conditions.has('mentor'))
          return new ConflictError('The mentor is not active', 'mentor-not-active')
        if (conditions.has('load')) return new ConflictError('The mentor has no free seat', 'capacity-full')
        return new ConflictError('The offer could not be accepted')
      },
    },
  )
  return info
}

export interface Decline {
  reason: DeclineReason
  note?: string | undefined
}

/**
 * The signed-in mentor declines their open offer: the offer becomes `declined`, the request goes back
 * to `matching` with this mentor excluded, and `OfferDeclined` asks matching for the next best mentor.
 * Calls: 2 `GetItem` + 1 `TransactWriteItems`.
 */
export async function declineOffer(
  store: Store,
  clock: Clock,
  offerId: string,
  decline: Decline,
  options: WriteOptions = {},
): Promise<Info> {
  const account = requireAccount('mentor')
  const offer = visibleTo(account, await getOffer(store, offerId), 'offer', true)
  const now = clock.now()
  if (offer.status !== 'open') throw closedError(offer, now)
  const request = await getRequest(store, offer.requestId)
  const record = { reason: decline.reason, note: decline.note ?? null }
  const at = now.toISOString()
  const info = offerInfo({ ...offer, status: 'declined', decidedAt: at, updatedAt: at, decline: record })
  const event = createEvent(OfferEvents.Declined, { ...offerDetail(offer), reason: decline.reason }, now)
  await transact(
    store,
    handBack(offer, request, now, decide(offer, 'declined', now, { decline: record }), event),
    {
      idempotency: storeAnswer(options.idempotency, { status: 200, body: info }, now),
      explain: ({ conditions, items }) =>
        conditions.has('offer')
          ? closedError(asOffer(items.offer) ?? offer, now)
          : new ConflictError('The request changed meanwhile; try again', 'stale'),
    },
  )
  return info
}

export type ClosedBySystem =
  | { outcome: 'expired' | 'withdrawn'; offer: Info }
  | { outcome: 'skipped'; reason: string }

/**
 * Closes an undecided offer for the system (the sweeper, a cancelled request), safe to repeat: an
 * offer gone or decided is skipped, so is one `plan` gives a reason to skip (a string) and one a
 * concurrent change got to first. One `GetItem` + what `plan` reads + 1 `TransactWriteItems`.
 */
async function closeBySystem(
  store: Store,
  clock: Clock,
  offerId: string,
  outcome: 'expired' | 'withdrawn',
  plan: (offer: OfferItem, now: Date) => Promise<Step[] | string>,
): Promise<ClosedBySystem> {
  const offer = await getOffer(store, offerId)
  if (!offer) return { outcome: 'skipped', reason: 'not-found' }
  if (offer.status !== 'open') return { outcome: 'skipped', reason: offer.status }
  const now = clock.now()
  const steps = await plan(offer, now)
  if (typeof steps === 'string') return { outcome: 'skipped', reason: steps }
  try {
    await transact(store, steps, { explain: () => new ConflictError('Offer changed', 'stale') })
  } catch (error) {
    if (error instanceof ConflictError) return { outcome: 'skipped', reason: 'changed' }
    throw error
  }
  return { outcome, offer: offerInfo({ ...offer, status: outcome, decidedAt: now.toISOString() }) }
}

/**
 * Expires an open offer whose window has passed: `expired`, the request back to `matching` with the
 * mentor excluded, `OfferExpired` (which asks matching for the next mentor). For the follow-up sweeper;
 * safe to repeat: an offer no longer open, or not yet due, is left alone.
 * Calls: 2 `GetItem` + 1 `TransactWriteItems`.
 */
export function expireOffer(store: Store, clock: Clock, offerId: string): Promise<ClosedBySystem> {
  return closeBySystem(store, clock, offerId, 'expired', async (offer, now) => {
    if (offer.validUntil > now.toISOString()) return 'not-due'
    const request = await getRequest(store, offer.requestId)
    const event = createEvent(OfferEvents.Expired, offerDetail(offer), now)
    return handBack(offer, request, now, decide(offer, 'expired', now, {}, Offer.due(now)), event)
  })
}

/**
 * Withdraws an open offer on its own (e.g. from a `RequestCancelled` consumer); safe to repeat.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export function withdrawOffer(
  store: Store,
  clock: Clock,
  offerId: string,
  reason: string,
): Promise<ClosedBySystem> {
  return closeBySystem(store, clock, offerId, 'withdrawn', async (offer, now) => [
    ['offer', decide(offer, 'withdrawn', now)],
    ['event', outbox(createEvent(OfferEvents.Withdrawn, { ...offerDetail(offer), reason }, now))],
  ])
}

/** Why an offer is withdrawn when its mentor is suspended; matching acts on it. */
export const SUSPENDED_MENTOR = 'mentor-suspended'
/** Why an offer is withdrawn when its mentor erased their data (UU PDP); matching acts on it the same way. */
export const ERASED_MENTOR = 'mentor-erased'

/**
 * Withdraws an open offer because its mentor was suspended (or erased their data: `reason`
 * {@link ERASED_MENTOR}), for the suspension and erasure consumers: `withdrawn`,
 * the request back to `matching` without that mentor (while it still waits on this offer), and
 * `OfferWithdrawn` with reason {@link SUSPENDED_MENTOR}, on which matching offers the next best
 * mentor. Safe to repeat. Calls: 2 `GetItem` + 1 `TransactWriteItems`.
 */
export function withdrawForSuspension(
  store: Store,
  clock: Clock,
  offerId: string,
  reason: typeof SUSPENDED_MENTOR | typeof ERASED_MENTOR = SUSPENDED_MENTOR,
): Promise<ClosedBySystem> {
  return closeBySystem(store, clock, offerId, 'withdrawn', async (offer, now) => {
    const request = await getRequest(store, offer.requestId)
    const event = createEvent(OfferEvents.Withdrawn, { ...offerDetail(offer), reason }, now)
    return handBack(offer, request, now, decide(offer, 'withdrawn', now), event)
  })
}

/**
 * Withdraws the open offer of a request that was cancelled, for the `RequestCancelled` consumer:
 * finds the offer the request last had (its `offerId`) and withdraws it if still open; safe to repeat.
 * Calls: 1 `GetItem` (request) + {@link withdrawOffer}.
 */
export async function withdrawOpenOffer(
  store: Store,
  clock: Clock,
  requestId: string,
  reason = 'request-cancelled',
): Promise<ClosedBySystem> {
  const offerId = await get(store, Offer.lastOfRequest, { requestId })
  if (offerId === undefined) return { outcome: 'skipped', reason: 'no-offer' }
  return withdrawOffer(store, clock, offerId, reason)
}
