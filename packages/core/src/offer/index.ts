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
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { visibleTo } from '../account/access.ts'
import { requireAccount } from '../actor/index.ts'
import { ownedBy } from '../adapters/dynamo/entities/owned.ts'
import { type Page, query, type TransactItem, transact } from '../adapters/dynamo/index.ts'
import { byOwner, keys, newId } from '../adapters/dynamo/keys.ts'
import { type EngagementInfo, engagementInfo, engagementPut, newEngagement } from '../engagement/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { PageLimit } from '../program/index.ts'
import { getRequest, type RequestItem, requestTransition } from '../request/index.ts'
import type { Clock, Store } from '../store.ts'
import { OfferEvents } from './events.ts'

export { OfferEvents }

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired', 'withdrawn'] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

/** Why a mentor declines; the note says more if they wish. */
export const DECLINE_REASONS = [
  'no_time',
  'topic_mismatch',
  'too_far',
  'language',
  'conflict_of_interest',
  'other',
] as const
export type DeclineReason = (typeof DECLINE_REASONS)[number]

/** `POST /v1/offers/{id}/decline`. */
export const DeclineInput = z.strictObject({
  reason: z.enum(DECLINE_REASONS),
  note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
})
export type DeclineInput = z.infer<typeof DeclineInput>

/** `GET /v1/me/offers`. */
export const OfferListQuery = z.strictObject({
  status: z.optional(z.enum(OFFER_STATUSES)),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type OfferListQuery = z.infer<typeof OfferListQuery>

/** How long an offer stays open when the program does not say: 48 hours (SPEC §3). */
export const DEFAULT_OFFER_WINDOW_HOURS = 48

/** The explainable score of a match: its total and each part (need coverage, proximity, …). */
export const Score = z.object({ total: z.number(), breakdown: z.record(z.string(), z.number()) })
export type Score = z.infer<typeof Score>

/** What a mentor learns of the business before accepting: its needs and shape, nothing personal. */
export const OfferedRequest = z.object({
  needs: z.array(z.string()),
  mode: z.enum(['online', 'offline', 'either']),
  languages: z.array(z.string()),
  region: z.string(),
  sector: z.string(),
  sizeClass: z.enum(['mikro', 'kecil', 'menengah']),
  timeZone: z.string(),
})
export type OfferedRequest = z.infer<typeof OfferedRequest>

/**
 * An offer as stored (`entity: 'offer'`). The deadline is `validUntil` (ISO), not `expiresAt`: that
 * name is the table's TTL attribute, and TTL must never delete an open offer. Listed under its mentor
 * in `byOwner` (`MENTOR#<mentorId>`, `OFFER#<createdAt>#<id>`).
 */
export const OfferItem = z.object({
  entity: z.literal('offer'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(OFFER_STATUSES),
  requestId: z.string(),
  mentorId: z.string(),
  /** The mentor's account `sub`: who may accept or decline. */
  mentorSub: z.string(),
  programId: z.nullable(z.string()),
  region: z.string(),
  request: OfferedRequest,
  score: Score,
  createdAt: z.string(),
  validUntil: z.string(),
  updatedAt: z.string(),
  decidedAt: z.nullable(z.string()),
  decline: z.nullable(z.object({ reason: z.enum(DECLINE_REASONS), note: z.nullable(z.string()) })),
  engagementId: z.nullable(z.string()),
})
export type OfferItem = z.infer<typeof OfferItem>

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
  decline: z.nullable(z.object({ reason: z.enum(DECLINE_REASONS), note: z.nullable(z.string()) })),
  engagementId: z.nullable(z.string()),
})
export type Info = z.infer<typeof Info>

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
 * to `offered`, and `OfferMade`. For matching and the cohort commit to put in one transaction.
 */
export function offerItems(
  tableName: string,
  request: RequestItem,
  mentor: OfferedMentor,
  score: Score,
  now: Date,
  windowHours: number = DEFAULT_OFFER_WINDOW_HOURS,
): { offer: OfferItem; items: { offer: TransactItem; request: TransactItem; event: TransactItem } } {
  const createdAt = now.toISOString()
  const offer: OfferItem = {
    entity: 'offer',
    version: 1,
    id: offerIdFor(request.id, request.offerCount),
    status: 'open',
    requestId: request.id,
    mentorId: mentor.mentorId,
    mentorSub: mentor.mentorSub,
    programId: request.programId,
    region: request.region,
    request: {
      needs: request.needs,
      mode: request.mode,
      languages: request.languages,
      region: request.region,
      sector: request.sector,
      sizeClass: request.sizeClass,
      timeZone: request.timeZone,
    },
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
    {
      offerId: offer.id,
      requestId: request.id,
      mentorId: mentor.mentorId,
      programId: request.programId,
      region: request.region,
      expiresAt: offer.validUntil,
      score: score.total,
    },
    now,
  )
  return {
    offer,
    items: {
      offer: {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.offer(offer.id),
            ...offer,
            ...byOwner(`MENTOR#${offer.mentorId}`, 'OFFER', createdAt, offer.id),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      request: requestTransition(request, 'offered', now, {
        incrementOffers: true,
        set: { offerId: offer.id },
      }),
      event: outbox(event),
    },
  }
}

/** One offer, strongly consistent, or `undefined`. One `GetItem`. */
export async function getOffer(store: Store, id: string): Promise<OfferItem | undefined> {
  const { Item } = await store.doc.send(
    new GetCommand({ TableName: store.tableName, Key: keys.offer(id), ConsistentRead: true }),
  )
  return Item ? z.parse(OfferItem, Item) : undefined
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
  const list = ownedBy(`MENTOR#${mentorId}`, 'OFFER', { status: options.status, newestFirst: true })
  const page = await query(store, list, { limit: options.limit, cursor: options.cursor })
  return { items: page.items.map((item) => offerInfo(z.parse(OfferItem, item))), nextCursor: page.nextCursor }
}

function closedError(offer: Pick<OfferItem, 'status' | 'validUntil'>, now: Date): ConflictError {
  if (offer.status === 'expired' || (offer.status === 'open' && offer.validUntil <= now.toISOString()))
    return new ConflictError('The offer expired', 'offer-expired')
  return new ConflictError(`The offer is ${offer.status}`, 'offer-closed')
}

/** The `Update` that closes an open offer (`declined`, `expired`, `withdrawn`, `accepted`). */
function closeOffer(
  tableName: string,
  offer: OfferItem,
  to: Exclude<OfferStatus, 'open'>,
  now: Date,
  set: Record<string, unknown> = {},
  condition = '',
): TransactItem {
  const names: Record<string, string> = { '#status': 'status' }
  const values: Record<string, unknown> = { ':open': 'open', ':to': to, ':now': now.toISOString() }
  const sets = ['#status = :to', 'updatedAt = :now', 'decidedAt = :now']
  for (const [index, [name, value]] of Object.entries(set).entries()) {
    names[`#s${index}`] = name
    values[`:s${index}`] = value
    sets.push(`#s${index} = :s${index}`)
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.offer(offer.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `#status = :open${condition}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }
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
  if (offer.status !== 'open' || offer.validUntil <= now.toISOString()) throw closedError(offer, now)
  const request = await getRequest(store, offer.requestId)
  if (request?.status !== 'offered')
    throw new ConflictError('The request no longer waits for this offer', 'offer-taken')

  const engagement = newEngagement({ id: newId(), offer, request, now })
  const event = createEvent(
    OfferEvents.Accepted,
    {
      ...offerDetail(offer),
      engagementId: engagement.id,
      submittedAt: request.submittedAt,
      acceptedAt: now.toISOString(),
    },
    now,
  )
  const info = engagementInfo(engagement)
  await transact(
    store,
    [
      [
        'offer',
        closeOffer(
          store.tableName,
          offer,
          'accepted',
          now,
          { engagementId: engagement.id },
          ' AND validUntil > :now',
        ),
      ],
      [
        'request',
        requestTransition(request, 'active', now, {
          set: { engagementId: engagement.id, mentorId: offer.mentorId },
        }),
      ],
      [
        'acceptance',
        {
          Put: {
            TableName: store.tableName,
            Item: {
              ...keys.requestAcceptance(request.id),
              entity: 'requestAcceptance',
              version: 1,
              offerId: offer.id,
              mentorId: offer.mentorId,
              engagementId: engagement.id,
              acceptedAt: now.toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      [
        'load',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.mentorLoad(offer.mentorId),
            UpdateExpression: 'ADD active :one SET updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND active < #capacity',
            ExpressionAttributeNames: { '#capacity': 'capacity' },
            ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString() },
          },
        },
      ],
      [
        'mentor',
        {
          ConditionCheck: {
            TableName: store.tableName,
            Key: keys.mentor(offer.mentorId),
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active' },
          },
        },
      ],
      ['engagement', engagementPut(store.tableName, engagement)],
      ['event', outbox(event)],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: info }, now),
      explain: ({ conditions, items }) => {
        if (conditions.has('offer')) {
          const current = items.offer ? z.safeParse(OfferItem, items.offer) : undefined
          return closedError(
            current?.success ? current.data : { status: 'open', validUntil: now.toISOString() },
            now,
          )
        }
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
  const closed: OfferItem = {
    ...offer,
    status: 'declined',
    decidedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    decline: record,
  }
  const items: Array<readonly ['offer' | 'request' | 'event', TransactItem]> = [
    ['offer', closeOffer(store.tableName, offer, 'declined', now, { decline: record })],
    [
      'event',
      outbox(createEvent(OfferEvents.Declined, { ...offerDetail(offer), reason: decline.reason }, now)),
    ],
  ]
  // The request moves on only if it still waits on this offer (a cancelled request keeps its state).
  if (request?.status === 'offered')
    items.push([
      'request',
      requestTransition(request, 'matching', now, { addExcludedMentor: offer.mentorId }),
    ])
  const info = offerInfo(closed)
  await transact(store, items, {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: info }, now),
    explain: ({ conditions, items: current }) => {
      if (conditions.has('offer')) {
        const parsed = current.offer ? z.safeParse(OfferItem, current.offer) : undefined
        return closedError(parsed?.success ? parsed.data : offer, now)
      }
      return new ConflictError('The request changed meanwhile; try again', 'stale')
    },
  })
  return info
}

export type ClosedBySystem =
  | { outcome: 'expired' | 'withdrawn'; offer: Info }
  | { outcome: 'skipped'; reason: string }

/**
 * Expires an open offer whose window has passed: `expired`, the request back to `matching` with the
 * mentor excluded, `OfferExpired` (which asks matching for the next mentor). For the follow-up sweeper;
 * safe to repeat: an offer no longer open, or not yet due, is left alone.
 * Calls: 2 `GetItem` + 1 `TransactWriteItems`.
 */
export async function expireOffer(store: Store, clock: Clock, offerId: string): Promise<ClosedBySystem> {
  const offer = await getOffer(store, offerId)
  const now = clock.now()
  if (!offer) return { outcome: 'skipped', reason: 'not-found' }
  if (offer.status !== 'open') return { outcome: 'skipped', reason: offer.status }
  if (offer.validUntil > now.toISOString()) return { outcome: 'skipped', reason: 'not-due' }
  const request = await getRequest(store, offer.requestId)
  const items: Array<readonly ['offer' | 'request' | 'event', TransactItem]> = [
    ['offer', closeOffer(store.tableName, offer, 'expired', now, {}, ' AND validUntil <= :now')],
    ['event', outbox(createEvent(OfferEvents.Expired, offerDetail(offer), now))],
  ]
  if (request?.status === 'offered')
    items.push([
      'request',
      requestTransition(request, 'matching', now, { addExcludedMentor: offer.mentorId }),
    ])
  try {
    await transact(store, items, { explain: () => new ConflictError('Offer changed', 'stale') })
  } catch (error) {
    if (error instanceof ConflictError) return { outcome: 'skipped', reason: 'changed' }
    throw error
  }
  return {
    outcome: 'expired',
    offer: offerInfo({ ...offer, status: 'expired', decidedAt: now.toISOString() }),
  }
}

/**
 * The items that withdraw `offer` when its request is cancelled: for the request module's cancel
 * transaction (with its own request transition), so the offer closes with the request.
 */
export function offerWithdrawalItems(
  tableName: string,
  offer: OfferItem,
  reason: string,
  now: Date,
): TransactItem[] {
  return [
    closeOffer(tableName, offer, 'withdrawn', now),
    outbox(createEvent(OfferEvents.Withdrawn, { ...offerDetail(offer), reason }, now)),
  ]
}

/**
 * Withdraws an open offer on its own (e.g. from a `RequestCancelled` consumer); safe to repeat.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function withdrawOffer(
  store: Store,
  clock: Clock,
  offerId: string,
  reason: string,
): Promise<ClosedBySystem> {
  const offer = await getOffer(store, offerId)
  if (!offer) return { outcome: 'skipped', reason: 'not-found' }
  if (offer.status !== 'open') return { outcome: 'skipped', reason: offer.status }
  const now = clock.now()
  const [close, event] = offerWithdrawalItems(store.tableName, offer, reason, now)
  if (!close || !event) throw new Error('unreachable')
  try {
    await transact(
      store,
      [
        ['offer', close],
        ['event', event],
      ],
      { explain: () => new ConflictError('Offer changed', 'stale') },
    )
  } catch (error) {
    if (error instanceof ConflictError) return { outcome: 'skipped', reason: 'changed' }
    throw error
  }
  return {
    outcome: 'withdrawn',
    offer: offerInfo({ ...offer, status: 'withdrawn', decidedAt: now.toISOString() }),
  }
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
  const { Item } = await store.doc.send(
    new GetCommand({
      TableName: store.tableName,
      Key: keys.request(requestId),
      ProjectionExpression: 'offerId',
      ConsistentRead: true,
    }),
  )
  const offerId = Item?.offerId
  if (typeof offerId !== 'string') return { outcome: 'skipped', reason: 'no-offer' }
  return withdrawOffer(store, clock, offerId, reason)
}
