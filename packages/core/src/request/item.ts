import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { byProgram, byRegion, keys } from '../adapters/dynamo/keys.ts'
import type { Store } from '../store.ts'

export { segmentSeatRelease } from '../program/seats.ts'

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** Every state a mentoring request can be in (SPEC §3). `submitted` is transient: a stored request is already past it. */
export const REQUEST_STATUSES = [
  'waitlisted',
  'matching',
  'offered',
  'active',
  'completed',
  'cancelled',
  'unmatched',
] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** States from which a request may still be cancelled or become `unmatched`. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['waitlisted', 'matching', 'offered']

/** States in which a program request holds one of its segment's seats. */
export const SEATED_STATUSES: readonly RequestStatus[] = ['matching', 'offered', 'active', 'completed']

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** One weekly slot in the request's time zone: `{ day: 'mon', from: '09:00', to: '12:00' }`. */
export const AvailabilitySlot = z.object({
  day: z.enum(WEEKDAYS),
  from: z.string(),
  to: z.string(),
})
export type AvailabilitySlot = z.infer<typeof AvailabilitySlot>

/** The personal part of a request: erased (set to `null`) when the owner asks (UU PDP). */
export const BusinessProfile = z.object({
  name: z.string(),
  ownerName: z.string(),
  phone: z.string(),
  email: z.nullable(z.string()),
  annualSales: z.nullable(z.number()),
  currentChannels: z.array(z.string()),
})
export type BusinessProfile = z.infer<typeof BusinessProfile>

export const ConsentRecord = z.object({
  accepted: z.literal(true),
  purposeVersion: z.string(),
  recordedAt: z.string(),
})
export type ConsentRecord = z.infer<typeof ConsentRecord>

/**
 * A mentoring request as stored (`entity: 'request'`, `version: 1`). The anonymous facts (status,
 * region, sector, size class, needs…) sit at the top level and survive erasure; the personal ones
 * sit in `business` and `description`, which erasure sets to `null`.
 *
 * Index keys, written by {@link requestIndexKeys}:
 * - `byRegion`: `byRegionPk = REQUEST#<status>`, `byRegionSk = <region>#<submittedAt>#<id>`
 * - `byProgram` (program requests only): `byProgramPk = PROGRAM#<programId>#<status>`,
 *   `byProgramSk = <segment>#<submittedAt>#<id>` — a segment's waitlist is a `begins_with` query, oldest first.
 */
export const RequestItem = z.object({
  entity: z.literal('request'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(REQUEST_STATUSES),
  programId: z.nullable(z.string()),
  segment: z.nullable(z.string()),
  region: z.string(),
  sector: z.string(),
  sizeClass: z.enum(['mikro', 'kecil', 'menengah']),
  needs: z.array(z.string()),
  mode: z.enum(['online', 'offline', 'either']),
  languages: z.array(z.string()),
  availability: z.array(AvailabilitySlot),
  timeZone: z.string(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  /** Mentors who declined this request or let an offer for it expire: never offered again. */
  excludedMentorIds: z.array(z.string()),
  offerCount: z.number(),
  /** SHA-256 (base64url) of the tracking token; `null` once revoked. */
  tokenHash: z.nullable(z.string()),
  business: z.nullable(BusinessProfile),
  description: z.nullable(z.string()),
  consent: ConsentRecord,
  erasedAt: z.nullable(z.string()),
})
export type RequestItem = z.infer<typeof RequestItem>

/** Parses a stored item into a request; throws on anything that is not one (a bug, never user input). */
export function parseRequest(item: unknown): RequestItem {
  return z.parse(RequestItem, item)
}

/** The index keys a request carries in `status`: which lists it appears in. */
export function requestIndexKeys(
  request: Pick<RequestItem, 'id' | 'status' | 'programId' | 'segment' | 'region' | 'submittedAt'>,
) {
  return {
    ...byRegion(`REQUEST#${request.status}`, request.region, request.submittedAt, request.id),
    ...(request.programId !== null && request.segment !== null
      ? byProgram(request.programId, request.status, request.segment, request.submittedAt, request.id)
      : {}),
  }
}

/** Reads one request (strongly consistent), or `undefined` when there is none. One `GetItem`. */
export async function getRequest(store: Store, id: string): Promise<RequestItem | undefined> {
  const { Item } = await store.doc.send(
    new GetCommand({ TableName: store.tableName, Key: keys.request(id), ConsistentRead: true }),
  )
  return Item ? parseRequest(Item) : undefined
}

export interface TransitionExtras {
  /** More top-level attributes to set, e.g. `{ acceptedOfferId: 'x' }`; never keys, status or index keys. */
  set?: Record<string, unknown>
  /** Appends a mentor to `excludedMentorIds` (declined or let an offer expire). */
  addExcludedMentor?: string
  /** Adds one to `offerCount`. */
  incrementOffers?: boolean
}

const reserved = new Set([
  'pk',
  'sk',
  'entity',
  'version',
  'id',
  'status',
  'updatedAt',
  'byRegionPk',
  'byRegionSk',
  'byProgramPk',
  'byProgramSk',
])

/**
 * The `Update` that moves `request` from its current status to `to`, for another module's
 * `TransactWriteItems` (with that module's own items and event). It succeeds only if the request is
 * still exactly as read — same status, same `updatedAt` — so a concurrent change cancels the whole
 * transaction instead of being overwritten. It also moves the request between the `byRegion` and
 * `byProgram` lists of its old and new status.
 *
 * Seats are not touched: a transition that frees a seat adds `segmentSeatRelease` to the same transaction.
 *
 * @example
 * // offers: the mentor declined; the request goes back to matching without that mentor
 * TransactItems: [
 *   requestTransition(table, request, 'matching', now, { addExcludedMentor: offer.mentorId }),
 *   offerUpdate, outboxPut(table, declinedEvent),
 * ]
 */
export function requestTransition(
  tableName: string,
  request: RequestItem,
  to: RequestStatus,
  now: Date,
  extra: TransitionExtras = {},
): TransactItem {
  return transitionUpdate(tableName, request, to, now, extra, true)
}

/** {@link requestTransition}, optionally conditioned on the status alone (for copies read from an index). */
export function transitionUpdate(
  tableName: string,
  request: RequestItem,
  to: RequestStatus,
  now: Date,
  extra: TransitionExtras,
  checkUpdatedAt: boolean,
): TransactItem {
  const names: Record<string, string> = {
    '#status': 'status',
    '#updatedAt': 'updatedAt',
    '#byRegionPk': 'byRegionPk',
  }
  const values: Record<string, unknown> = {
    ':from': request.status,
    ':to': to,
    ':now': now.toISOString(),
  }
  if (checkUpdatedAt) values[':prevUpdatedAt'] = request.updatedAt
  const moved = requestIndexKeys({ ...request, status: to })
  values[':byRegionPk'] = moved.byRegionPk
  const sets = ['#status = :to', '#updatedAt = :now', '#byRegionPk = :byRegionPk']
  if ('byProgramPk' in moved) {
    names['#byProgramPk'] = 'byProgramPk'
    values[':byProgramPk'] = moved.byProgramPk
    sets.push('#byProgramPk = :byProgramPk')
  }
  for (const [index, [name, value]] of Object.entries(extra.set ?? {}).entries()) {
    if (reserved.has(name)) throw new Error(`requestTransition may not set ${name}`)
    names[`#x${index}`] = name
    values[`:x${index}`] = value
    sets.push(`#x${index} = :x${index}`)
  }
  if (extra.addExcludedMentor !== undefined) {
    names['#excluded'] = 'excludedMentorIds'
    values[':excluded'] = [extra.addExcludedMentor]
    sets.push('#excluded = list_append(#excluded, :excluded)')
  }
  let update = `SET ${sets.join(', ')}`
  if (extra.incrementOffers) {
    names['#offerCount'] = 'offerCount'
    values[':one'] = 1
    update += ' ADD #offerCount :one'
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.request(request.id),
      UpdateExpression: update,
      ConditionExpression: checkUpdatedAt
        ? '#status = :from AND #updatedAt = :prevUpdatedAt'
        : '#status = :from',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }
}
