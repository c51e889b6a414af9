import { deleteItem, putItem, updateItem, when } from '../entity.ts'
import { keys } from '../keys.ts'

/** A consumer's claim on an event, then the record that it acted (`PROCESSED#<consumer>#<eventId>`, invariant 6). */
export const Processed = {
  key: (consumer: string, eventId: string) => keys.processed(consumer, eventId),
  /**
   * Claims the event until `claimedUntil` (epoch seconds): refused while another claim holds or once
   * it is done; a claim whose holder died is taken over after it lapses.
   */
  claim: (consumer: string, eventId: string, now: number, claimedUntil: number, expiresAt: number) =>
    putItem(
      keys.processed(consumer, eventId),
      { entity: 'processed', version: 1, consumer, eventId, status: 'in-progress', claimedUntil, expiresAt },
      when('attribute_not_exists(pk) OR (#status = :inProgress AND #claimedUntil < :now)', {
        ':inProgress': 'in-progress',
        ':now': now,
      }),
    ),
  /** The event was acted on: kept until `expiresAt`, so later deliveries are duplicates. */
  done: (consumer: string, eventId: string) =>
    updateItem(keys.processed(consumer, eventId), { set: { status: 'done' }, remove: ['claimedUntil'] }),
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
