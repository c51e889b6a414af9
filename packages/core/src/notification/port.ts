import { type Locale, registerMessages, translate } from '../i18n/index.ts'
import { templates } from './templates.ts'

export { SUBJECT_PLACEHOLDERS, templates } from './templates.ts'

/**
 * What Pendamping tells people: one port, {@link Notifier}, in front of WhatsApp, SMS and e-mail
 * (docs/contract/channels.md). On AWS the {@link ChannelNotifier} (`deliver.ts`) sends by each
 * person's channel through one {@link ChannelSender} per channel (End User Messaging Social, End User
 * Messaging SMS, SES) and falls back to the next channel they allowed; locally the recorder stands in
 * for all three (`npm run notifications`). Events carry ids only: a consumer looks the recipient up
 * when it sends.
 */

import { CONTACT_CHANNELS, type ContactChannel } from './channels.ts'

export { CONTACT_CHANNELS, type ContactChannel } from './channels.ts'

export interface Recipient {
  /** Who this is, for the record: `mentor:<id>`, `owner:<requestId>`, `staff:<sub>`. Never a name. */
  ref: string
  email?: string | undefined
  /** E.164 `+62…`: the usual channel for owners. */
  phone?: string | undefined
  locale: Locale
  /** The channel the person chose; absent: WhatsApp when there is a phone, else e-mail. */
  channel?: ContactChannel | undefined
}

export type MessageKind = keyof typeof templates

export interface Notification {
  /** Unique per (event, recipient, kind): adapters and consumers use it to send once. */
  id: string
  kind: MessageKind
  to: Recipient
  params: Record<string, string | number>
}

/** A message rendered in the recipient's language. */
export interface RenderedMessage {
  subject: string
  body: string
}

export interface Notifier {
  send(notification: Notification): Promise<void>
}

/**
 * What a channel's provider answered: `sent` (accepted for delivery) or `refused` — the address will
 * never take a message (an invalid number, an opted-out phone), so it is marked and not tried again.
 * A failure worth retrying (throttling, an outage) is thrown.
 */
export type SendOutcome = 'sent' | 'refused'

/** One channel's adapter: sends one rendered notification to one address of that channel. */
export interface ChannelSender {
  readonly channel: ContactChannel
  send(notification: Notification, address: string): Promise<SendOutcome>
}

/**
 * Where `to` may be reached, in order: the channel they chose first, then every other channel they
 * gave an address for (WhatsApp, SMS, e-mail). A phone allows WhatsApp and SMS; an e-mail allows
 * e-mail.
 */
export function channelsOf(to: Recipient): Array<{ channel: ContactChannel; address: string }> {
  const addressOf = (channel: ContactChannel) => (channel === 'email' ? to.email : to.phone)
  const first = to.channel ?? (to.phone ? 'whatsapp' : 'email')
  return [first, ...CONTACT_CHANNELS.filter((channel) => channel !== first)].flatMap((channel) => {
    const address = addressOf(channel)
    return address ? [{ channel, address }] : []
  })
}

registerMessages(
  Object.fromEntries(
    Object.entries(templates).flatMap(([kind, text]) => [
      [`notification.${kind}.subject`, text.subject],
      [`notification.${kind}.body`, text.body],
    ]),
  ),
)

/** The subject and body of a notification in its recipient's language. */
export function renderMessage(notification: Notification): RenderedMessage {
  const { kind, to, params } = notification
  return {
    subject: translate(to.locale, `notification.${kind}.subject`, params),
    body: translate(to.locale, `notification.${kind}.body`, params),
  }
}

/**
 * The parameters of a notification's WhatsApp template, in the template's order. WhatsApp refuses an
 * empty parameter, a new line, a tab or more than four spaces in one: those become `-` and one space.
 */
export function whatsappParameters(notification: Notification): string[] {
  return templates[notification.kind].params.map((name) => {
    const value = String(notification.params[name] ?? '')
      .replace(/\s+/g, ' ')
      .trim()
    return value === '' ? '-' : value
  })
}
