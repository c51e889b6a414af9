import { ContactStatus } from '../adapters/dynamo/entities/contact.ts'
import { get } from '../adapters/dynamo/read.ts'
import { write } from '../adapters/dynamo/transact.ts'
import type { Clock, Store } from '../store.ts'
import { addressHash } from './address.ts'
import {
  type ChannelSender,
  type ContactChannel,
  channelsOf,
  type Notification,
  type Notifier,
} from './port.ts'

/**
 * What one try on one channel came to: `sent`; `refused` for good by the provider (the address is
 * marked); `failed` (worth retrying later); `skipped` because the address was marked refused before.
 */
export type AttemptOutcome = 'sent' | 'refused' | 'failed' | 'skipped'

/** One try, as recorded (logs, metrics, the local recorder): no address, only its channel. */
export interface DeliveryAttempt {
  notificationId: string
  kind: Notification['kind']
  ref: string
  channel: ContactChannel
  outcome: AttemptOutcome
  /** The provider's error name on `failed` or `refused`. */
  error?: string | undefined
}

/** Addresses a channel refused for good, so they are not tried again (docs/contract/channels.md#delivery). */
export interface ContactBook {
  isRefused(channel: ContactChannel, address: string): Promise<boolean>
  markRefused(channel: ContactChannel, address: string): Promise<void>
}

/** How long a refusal is kept: a number given up by one person may be given to another after a year. */
const REFUSAL_KEPT_SECONDS = 365 * 86_400

/** The contact book in the table: one `GetItem` per channel tried, one `PutItem` per refusal. */
export function storedContacts(store: Store, clock: Clock): ContactBook {
  return {
    async isRefused(channel, address) {
      return (await get(store, ContactStatus, { channel, addressHash: addressHash(address) })) !== undefined
    },
    async markRefused(channel, address) {
      const now = clock.now()
      await write(
        store,
        ContactStatus.refuse(
          channel,
          addressHash(address),
          now.toISOString(),
          Math.floor(now.getTime() / 1000) + REFUSAL_KEPT_SECONDS,
        ),
      )
    },
  }
}

/** Every channel allowed was tried and at least one failed in a way worth retrying. */
export class DeliveryFailedError extends Error {
  constructor(readonly attempts: readonly DeliveryAttempt[]) {
    super(`Notification not delivered: ${attempts.map((a) => `${a.channel} ${a.outcome}`).join(', ')}`)
    this.name = 'DeliveryFailedError'
  }
}

export interface ChannelNotifierOptions {
  senders: readonly ChannelSender[]
  contacts: ContactBook
  /** Told of every attempt (metrics by channel and outcome, a log line), and of a person no channel reached. */
  observe?: ((attempt: DeliveryAttempt) => void) | undefined
  unreachable?: ((notification: Notification, attempts: readonly DeliveryAttempt[]) => void) | undefined
}

/**
 * The notifier that sends by each person's channel (docs/contract/channels.md#delivery): the channel
 * they chose first, then each other channel they gave an address for. An address marked refused is
 * skipped; a provider's permanent refusal marks it and moves on; a failure moves on too. The first
 * `sent` ends it. When nothing was sent and something failed, it throws {@link DeliveryFailedError}
 * so the consumer's retry tries again; when every channel refused (or there is none), the person is
 * unreachable: reported, not retried.
 */
export class ChannelNotifier implements Notifier {
  private readonly senders: Map<ContactChannel, ChannelSender>

  constructor(private readonly options: ChannelNotifierOptions) {
    this.senders = new Map(options.senders.map((sender) => [sender.channel, sender]))
  }

  async send(notification: Notification): Promise<void> {
    const attempts: DeliveryAttempt[] = []
    const record = (channel: ContactChannel, outcome: AttemptOutcome, error?: unknown) => {
      const attempt: DeliveryAttempt = {
        notificationId: notification.id,
        kind: notification.kind,
        ref: notification.to.ref,
        channel,
        outcome,
        ...(error === undefined ? {} : { error: (error as { name?: string }).name ?? String(error) }),
      }
      attempts.push(attempt)
      this.options.observe?.(attempt)
    }
    for (const { channel, address } of channelsOf(notification.to)) {
      const sender = this.senders.get(channel)
      if (!sender) continue
      if (await this.options.contacts.isRefused(channel, address)) {
        record(channel, 'skipped')
        continue
      }
      try {
        const outcome = await sender.send(notification, address)
        record(channel, outcome)
        if (outcome === 'sent') return
        await this.options.contacts.markRefused(channel, address)
      } catch (error) {
        record(channel, 'failed', error)
      }
    }
    if (attempts.some((attempt) => attempt.outcome === 'failed')) throw new DeliveryFailedError(attempts)
    this.options.unreachable?.(notification, attempts)
  }
}
