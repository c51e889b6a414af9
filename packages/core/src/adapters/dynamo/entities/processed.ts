import { deleteItem, putItem, type Readable, updateItem, when } from '../entity.ts'
import { keys } from '../keys.ts'

/** A consumer's claim on an event, then the record that it acted (`PROCESSED#<consumer>#<eventId>`, invariant 6). */
export const Processed = {
  key: (consumer: string, eventId: string) => keys.processed(consumer, eventId),
  /**
   * Claims the event until `leaseUntil` (epoch milliseconds): refused while another claim holds or
   * once it is done; a claim whose holder died (timed out, ran out of memory) is taken over once its
   * lease has passed. A claim written before leases existed (`claimedUntil` in seconds, no
   * `leaseUntil`) counts as lapsed. `holder` names the attempt, so an attempt whose claim was written
   * but whose answer was lost (a timeout, then the SDK's retry refused) can tell the claim is its own.
   */
  claim: (
    consumer: string,
    eventId: string,
    holder: string,
    nowMs: number,
    leaseUntil: number,
    expiresAt: number,
  ) =>
    putItem(
      keys.processed(consumer, eventId),
      {
        entity: 'processed',
        version: 1,
        consumer,
        eventId,
        status: 'in-progress',
        holder,
        leaseUntil,
        expiresAt,
      },
      when(
        'attribute_not_exists(pk) OR (#status = :inProgress AND (attribute_not_exists(#leaseUntil) OR #leaseUntil < :now))',
        { ':inProgress': 'in-progress', ':now': nowMs },
      ),
    ),
  /** The event was acted on: kept until `expiresAt`, so later deliveries are duplicates. */
  done: (consumer: string, eventId: string) =>
    updateItem(keys.processed(consumer, eventId), {
      set: { status: 'done' },
      remove: ['leaseUntil', 'claimedUntil'],
    }),
  /**
   * Records the event as acted on, in the same transaction as the action itself (the report counters):
   * refused if it was already, so the action happens once without a claim first.
   */
  record: (consumer: string, eventId: string, expiresAt: number) =>
    putItem(keys.processed(consumer, eventId), {
      entity: 'processed',
      version: 1,
      consumer,
      eventId,
      status: 'done',
      expiresAt,
    }),
  /** Drops a claim whose action failed, so the retry acts. */
  release: (consumer: string, eventId: string) => deleteItem(keys.processed(consumer, eventId)),
}

/** A claim as read back when it refused ours: done, or held by whom and until when. */
export interface ClaimState {
  status: 'in-progress' | 'done'
  holder: string | undefined
  /** Epoch milliseconds; undefined for a claim written before leases existed. */
  leaseUntil: number | undefined
}

/** The claim on an event, read back when a claim is refused. */
export const ClaimOf = {
  key: (of: { consumer: string; eventId: string }) => keys.processed(of.consumer, of.eventId),
  attributes: ['status', 'holder', 'leaseUntil'],
  parse: (raw: unknown): ClaimState => {
    const { status, holder, leaseUntil } = raw as Record<string, unknown>
    return {
      status: status === 'done' ? 'done' : 'in-progress',
      holder: typeof holder === 'string' ? holder : undefined,
      leaseUntil: typeof leaseUntil === 'number' ? leaseUntil : undefined,
    }
  },
} satisfies Readable<ClaimState, { consumer: string; eventId: string }>
