import { type ConsumeOptions, type Consumption, consumeOnce } from '../consumer/consumer.ts'
import type { Clock, Store } from '../store.ts'
import type { Notification, Notifier } from './port.ts'

/** The name the per-recipient send records are kept under (`PROCESSED#Notification#<notification id>`). */
export const SENT_RECORDS = 'Notification'

/**
 * Sends `notification` unless it was sent before: a record per notification id — one per event,
 * recipient and kind — claimed before sending and marked done after. A duty that reaches two people
 * and fails on the second is retried without the first hearing it twice. Leased like the consumer's
 * own claim (pass the invocation's remaining time), so a send cut short by a timeout is retried.
 *
 * A crash between the provider accepting the message and the record being marked done sends it once
 * more on the retry: at least once, never silently lost, and never twice otherwise.
 *
 * Calls: 1 `PutItem` + the send + 1 `UpdateItem`.
 *
 * @returns `duplicate` when it had been sent already
 */
export function sendOnce(
  store: Store,
  clock: Clock,
  notifier: Notifier,
  notification: Notification,
  options: ConsumeOptions = {},
): Promise<Consumption> {
  return consumeOnce(store, clock, SENT_RECORDS, notification.id, () => notifier.send(notification), options)
}
