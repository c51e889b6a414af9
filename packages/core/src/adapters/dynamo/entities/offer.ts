import { AcceptanceItem, OfferItem, type OfferStatus } from '../../../offer/item.ts'
import { deleteItem, entity, equals, putItem, type Readable, when } from '../entity.ts'
import { byOwner, keys } from '../keys.ts'
import type { List } from '../read.ts'

const offer = entity('offer', OfferItem, {
  key: (of: { id: string }) => keys.offer(of.id),
  /** `byOwner` under its mentor, by creation: a mentor's offers. */
  indexes: (of: OfferItem) => byOwner(keys.mentor(of.mentorId).pk, 'OFFER', of.createdAt, of.id),
})

const undecided = { ':open': 'open' }

/** Offers (`OFFER#<id>`): a mentor's list, and the conditions that guard deciding one. */
export const Offer = {
  ...offer,
  /** Not decided yet, whatever its window says (decline, withdrawal). */
  undecided: when('#status = :open', undecided),
  /** Undecided and inside its window at `now`: it may still be accepted. */
  open: (now: Date) =>
    when('#status = :open AND #validUntil > :now', { ...undecided, ':now': now.toISOString() }),
  /** Undecided and past its window at `now`: the sweeper may expire it. */
  due: (now: Date) =>
    when('#status = :open AND #validUntil <= :now', { ...undecided, ':now': now.toISOString() }),
  /** A mentor's offers, newest first; only those in `status` when given (filtered on the page). */
  ofMentor: (mentorId: string, options: { status?: OfferStatus | undefined } = {}): List<OfferItem> => ({
    index: 'byOwner',
    partition: keys.mentor(mentorId).pk,
    prefix: 'OFFER#',
    filter: options.status === undefined ? undefined : equals({ status: options.status }),
    newestFirst: true,
    parse: offer.parse,
  }),
  /**
   * The id of the offer a request was last made (`offerId`, set on the request by the offer's
   * transaction and not part of the request's schema), or `undefined`.
   */
  lastOfRequest: {
    key: (of: { requestId: string }) => keys.request(of.requestId),
    attributes: ['offerId'],
    parse: (raw: unknown) => {
      const id = (raw as { offerId?: unknown }).offerId
      return typeof id === 'string' ? id : undefined
    },
  } satisfies Readable<string | undefined, { requestId: string }>,
}

const acceptanceKey = (of: { requestId: string }) => keys.requestAcceptance(of.requestId)

/**
 * A request's acceptance marker (invariant 2). Its request id is its key, not one of its attributes,
 * so `put` takes it beside the marker.
 */
export const Acceptance = {
  key: acceptanceKey,
  parse: (raw: unknown) => AcceptanceItem.parse(raw),
  /** The marker's `Put`, refused if the request already has one: the second accept loses. */
  put: (requestId: string, marker: AcceptanceItem) => putItem(acceptanceKey({ requestId }), marker),
  /**
   * Lifts the marker when staff hand the request to another mentor (its mentor was suspended): the
   * next accepted offer puts a new one. Invariant 2 holds, as the old engagement is no longer active.
   */
  remove: (requestId: string) => deleteItem(acceptanceKey({ requestId })),
} satisfies Readable<AcceptanceItem, { requestId: string }> & Record<string, unknown>
