import { type Locale, registerMessages, translate } from '../i18n/index.ts'

/**
 * What Pendamping tells people: one port for WhatsApp, SMS and email. The AWS adapter sends email
 * with SES; the local adapter records messages where a developer can read them
 * (`npm run notifications`). Events carry ids only: a consumer looks the recipient up when it sends.
 */
export interface Recipient {
  /** Who this is, for the record: `mentor:<id>`, `owner:<requestId>`, `staff:<region>`. Never a name. */
  ref: string
  email?: string | undefined
  /** E.164 `+62…`: the usual channel for owners. */
  phone?: string | undefined
  locale: Locale
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

const templates = {
  'offer-made': {
    subject: {
      id: 'Tawaran pendampingan baru: {business}',
      en: 'New mentoring offer: {business}',
    },
    body: {
      id: 'Halo {name}, ada UMKM yang butuh bantuan {needs}. Lihat dan jawab tawaran sebelum {expiresAt}: {link}',
      en: 'Hi {name}, a small business needs help with {needs}. See and answer the offer before {expiresAt}: {link}',
    },
  },
  'offer-accepted': {
    subject: { id: 'Pendamping Anda sudah siap', en: 'Your mentor is ready' },
    body: {
      id: 'Halo {name}, {mentor} akan mendampingi usaha Anda. Lihat jadwal di: {link}',
      en: 'Hi {name}, {mentor} will mentor your business. See the schedule at: {link}',
    },
  },
  'session-reminder': {
    subject: { id: 'Pengingat sesi pendampingan {when}', en: 'Mentoring session reminder {when}' },
    body: {
      id: 'Sesi pendampingan Anda dimulai {startsAt}. {where}',
      en: 'Your mentoring session starts {startsAt}. {where}',
    },
  },
  'check-in': {
    subject: { id: 'Bagaimana sesi pendampingan Anda?', en: 'How was your mentoring session?' },
    body: {
      id: 'Halo {name}, seminggu lalu Anda menyelesaikan sesi pendampingan. Beri nilai dan ceritakan kemajuan usaha Anda: {link}',
      en: 'Hi {name}, a week ago you finished a mentoring session. Rate it and tell us how your business is doing: {link}',
    },
  },
  'stale-request': {
    subject: { id: 'Permintaan belum mendapat pendamping', en: 'Request still without a mentor' },
    body: {
      id: 'Permintaan {requestId} di wilayah {region} belum mendapat pendamping selama {days} hari.',
      en: 'Request {requestId} in region {region} has had no mentor for {days} days.',
    },
  },
  'request-unmatched': {
    subject: { id: 'Belum ada pendamping yang cocok', en: 'No matching mentor yet' },
    body: {
      id: 'Halo {name}, kami belum menemukan pendamping yang cocok. Petugas program akan menghubungi Anda. {link}',
      en: 'Hi {name}, we have not found a matching mentor yet. Program staff will contact you. {link}',
    },
  },
} as const

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
