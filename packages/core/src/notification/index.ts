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

/**
 * The only placeholders a subject may hold: what the system itself words (a city's official name, a
 * time). Nothing a person typed — a business name, a class title, a comment — ever reaches a subject,
 * where mail clients, lock screens and logs show it (UU PDP; a test holds every template to this).
 */
export const SUBJECT_PLACEHOLDERS: readonly string[] = ['city', 'when']

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
      id: 'Tawaran pendampingan baru di {city}',
      en: 'A new mentoring request in {city}',
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
  'program-closed': {
    subject: { id: 'Program sudah ditutup', en: 'The program has closed' },
    body: {
      id: 'Halo {name}, program "{program}" sudah ditutup sebelum ada kursi untuk Anda, jadi permintaan Anda di daftar tunggu dibatalkan. Program lain yang masih buka: {link}',
      en: 'Hi {name}, the program "{program}" closed before a seat freed up for you, so your waiting request was cancelled. Programs still open: {link}',
    },
  },
  'account-invitation': {
    subject: { id: 'Akun Pendamping Anda sudah siap', en: 'Your Pendamping account is ready' },
    body: {
      id: 'Halo {name}, akun {role} Pendamping Anda sudah dibuat. Masuk dengan email ini; kode sekali pakai dikirim ke email Anda: {link}',
      en: 'Hi {name}, your Pendamping {role} account is ready. Sign in with this email; a one-time code is sent to it: {link}',
    },
  },
  'mentor-withdrawn': {
    subject: { id: 'Pendamping Anda berganti', en: 'Your mentor is changing' },
    body: {
      id: 'Halo {name}, pendamping Anda tidak dapat melanjutkan. Petugas program akan mencarikan pendamping lain dan menghubungi Anda. Sesi terjadwal yang dibatalkan: {sessions}. Lihat di: {link}',
      en: 'Hi {name}, your mentor cannot continue. Program staff will find you another mentor and contact you. Scheduled sessions cancelled: {sessions}. See: {link}',
    },
  },
  'class-cancelled': {
    subject: { id: 'Kelas Anda dibatalkan', en: 'Your class was cancelled' },
    body: {
      id: 'Halo {name}, mohon maaf, kelas "{title}" dibatalkan. Lihat kelas lain di: {link}',
      en: 'Hi {name}, we are sorry: the class "{title}" was cancelled. See other classes at: {link}',
    },
  },
  'class-promoted': {
    subject: { id: 'Anda mendapat kursi di kelas', en: 'You have a seat in a class' },
    body: {
      id: 'Halo {name}, ada kursi kosong dan sekarang menjadi milik Anda di kelas "{title}". Detail: {link}',
      en: 'Hi {name}, a seat freed up in the class "{title}" and it is now yours. Details: {link}',
    },
  },
  'class-drawn': {
    subject: { id: 'Hasil undian kelas', en: 'Class lottery result' },
    body: {
      id: 'Halo {name}, hasil undian kelas "{title}": {outcome}. Detail dan urutan undian: {link}',
      en: 'Hi {name}, the lottery for the class "{title}": {outcome}. Details and the draw order: {link}',
    },
  },
  'class-reminder': {
    subject: { id: 'Pengingat kelas besok', en: 'Class reminder for tomorrow' },
    body: {
      id: 'Halo {name}, kelas "{title}" dimulai {startsAt}. {where} Detail: {link}',
      en: 'Hi {name}, the class "{title}" starts {startsAt}. {where} Details: {link}',
    },
  },
  'class-invitation': {
    subject: { id: 'Undangan kelas lanjutan', en: 'Invitation to a follow-on class' },
    body: {
      id: 'Halo {name}, Anda diundang ke kelas "{title}" yang dimulai {startsAt}. Daftar di: {link}',
      en: 'Hi {name}, you are invited to the class "{title}", starting {startsAt}. Register at: {link}',
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
