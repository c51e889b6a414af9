/**
 * The record of messages sent to each person (their export's "messages sent", UU PDP;
 * docs/contract/data-protection.md#export), and the provider's copy forgotten on erasure. Kept by
 * wrapping the notifier once, in the runtime, so no consumer has to remember it.
 */
import { SentMessage, type SentMessageItem } from '../adapters/dynamo/entities/sent-message.ts'
import { query, write } from '../adapters/dynamo/index.ts'
import type { Clock, Store } from '../store.ts'
import type { Notification, Notifier } from './port.ts'

/** A notifier that can also drop what it holds of one person (`ref`): the local recorder does. */
export interface ForgettingNotifier extends Notifier {
  forget(ref: string): Promise<void>
}

const isForgetting = (notifier: Notifier): notifier is ForgettingNotifier =>
  typeof (notifier as Partial<ForgettingNotifier>).forget === 'function'

/** Refs of people whose messages are kept for them; staff alerts (`staff:…`) are not about a person. */
const PERSON_REF = /^(owner|participant|mentor):/

/**
 * Wraps `notifier` so each message sent to a person leaves a {@link SentMessageItem} (kind, channel,
 * time; never text or address) under `SENT#<ref>`, written after the provider accepted it. `forget`
 * deletes those and asks the provider to drop its copy when it keeps one.
 */
export function recordSends(store: Store, clock: Clock, notifier: Notifier): ForgettingNotifier {
  if ((notifier as { records?: true }).records) return notifier as ForgettingNotifier
  return {
    records: true,
    async send(notification: Notification) {
      await notifier.send(notification)
      const { to } = notification
      if (!PERSON_REF.test(to.ref)) return
      await write(
        store,
        SentMessage.put({
          entity: 'sentMessage',
          version: 1,
          ref: to.ref,
          id: notification.id,
          kind: notification.kind,
          channel: to.channel ?? (to.phone ? 'whatsapp' : 'email'),
          sentAt: clock.now().toISOString(),
        }),
      )
    },
    async forget(ref: string) {
      await eraseSentMessages(store, ref)
      if (isForgetting(notifier)) await notifier.forget(ref)
    },
  } as ForgettingNotifier
}

/** Messages sent to `ref`, oldest first (at most 500: an export, not an archive). */
export async function sentMessagesOf(store: Store, ref: string): Promise<SentMessageItem[]> {
  const items: SentMessageItem[] = []
  let cursor: string | undefined
  do {
    const page = await query(store, SentMessage.ofPerson(ref), { limit: 100, cursor })
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor && items.length < 500)
  return items
}

/** Deletes every record of messages sent to `ref`. One `Query` + one `DeleteItem` per record. */
export async function eraseSentMessages(store: Store, ref: string): Promise<number> {
  let erased = 0
  for (;;) {
    const page = await query(store, SentMessage.ofPerson(ref), { limit: 100 })
    for (const item of page.items) {
      await write(store, SentMessage.remove(item))
      erased++
    }
    if (!page.nextCursor) return erased
  }
}
