/**
 * The one catalog of what Pendamping tells people (docs/contract/channels.md#messages): every kind of
 * message in Bahasa Indonesia and English, for every channel.
 *
 * - `subject` is the e-mail subject (WhatsApp and SMS have none); it may only hold what the system
 *   itself words ({@link SUBJECT_PLACEHOLDERS}).
 * - `body` is the text of an e-mail and an SMS, and the text of the approved WhatsApp template.
 * - `whatsapp` is the name of that template as approved in the WhatsApp Business account (one name,
 *   one approved text per language `id` and `en`); `params` is the order its `{{1}}`, `{{2}}` … take,
 *   the same in both languages, so one list of parameters fills either.
 *
 * A test renders every template with every parameter in both languages and holds `params` to the
 * placeholders of both bodies.
 */
export const templates = {
  'offer-made': {
    subject: {
      id: 'Tawaran pendampingan baru di {city}',
      en: 'A new mentoring request in {city}',
    },
    body: {
      id: 'Halo {name}, ada UMKM di {city} yang butuh bantuan {needs}. Lihat dan jawab tawaran sebelum {expiresAt}: {link}',
      en: 'Hi {name}, a small business in {city} needs help with {needs}. See and answer the offer before {expiresAt}: {link}',
    },
    whatsapp: 'pendamping_offer_made',
    params: ['name', 'city', 'needs', 'expiresAt', 'link'],
  },
  'offer-accepted': {
    subject: { id: 'Pendamping Anda sudah siap', en: 'Your mentor is ready' },
    body: {
      id: 'Halo {name}, {mentor} akan mendampingi usaha Anda. Lihat jadwal di: {link}',
      en: 'Hi {name}, {mentor} will mentor your business. See the schedule at: {link}',
    },
    whatsapp: 'pendamping_offer_accepted',
    params: ['name', 'mentor', 'link'],
  },
  'session-reminder': {
    subject: { id: 'Pengingat sesi pendampingan {when}', en: 'Mentoring session reminder {when}' },
    body: {
      id: 'Pengingat: sesi pendampingan Anda dimulai {startsAt} ({when}). {where} Detail: {link}',
      en: 'Reminder: your mentoring session starts {startsAt} ({when}). {where} Details: {link}',
    },
    whatsapp: 'pendamping_session_reminder',
    params: ['startsAt', 'when', 'where', 'link'],
  },
  'check-in': {
    subject: { id: 'Bagaimana sesi pendampingan Anda?', en: 'How was your mentoring session?' },
    body: {
      id: 'Halo {name}, seminggu lalu Anda menyelesaikan sesi pendampingan. Beri nilai dan ceritakan kemajuan usaha Anda: {link}',
      en: 'Hi {name}, a week ago you finished a mentoring session. Rate it and tell us how your business is doing: {link}',
    },
    whatsapp: 'pendamping_check_in',
    params: ['name', 'link'],
  },
  'stale-request': {
    subject: { id: 'Permintaan belum mendapat pendamping', en: 'Request still without a mentor' },
    body: {
      id: 'Permintaan {requestId} di wilayah {region} belum mendapat pendamping selama {days} hari. Lihat: {link}',
      en: 'Request {requestId} in region {region} has had no mentor for {days} days. See: {link}',
    },
    whatsapp: 'pendamping_stale_request',
    params: ['requestId', 'region', 'days', 'link'],
  },
  'stale-digest': {
    subject: {
      id: 'Banyak permintaan belum mendapat pendamping',
      en: 'Many requests still without a mentor',
    },
    body: {
      id: 'Hari ini sudah {count} permintaan di wilayah {region} belum mendapat pendamping. Pemberitahuan satu per satu dihentikan sampai besok; daftar lengkap: {link}',
      en: 'Today {count} requests in region {region} have gone without a mentor. One-by-one alerts stop until tomorrow; the full list: {link}',
    },
    whatsapp: 'pendamping_stale_digest',
    params: ['count', 'region', 'link'],
  },
  'request-unmatched': {
    subject: { id: 'Belum ada pendamping yang cocok', en: 'No matching mentor yet' },
    body: {
      id: 'Halo {name}, kami belum menemukan pendamping yang cocok. Petugas program akan menghubungi Anda. {link}',
      en: 'Hi {name}, we have not found a matching mentor yet. Program staff will contact you. {link}',
    },
    whatsapp: 'pendamping_request_unmatched',
    params: ['name', 'link'],
  },
  'program-closed': {
    subject: { id: 'Program sudah ditutup', en: 'The program has closed' },
    body: {
      id: 'Halo {name}, program "{program}" sudah ditutup sebelum ada kursi untuk Anda, jadi permintaan Anda di daftar tunggu dibatalkan. Program lain yang masih buka: {link}',
      en: 'Hi {name}, the program "{program}" closed before a seat freed up for you, so your waiting request was cancelled. Programs still open: {link}',
    },
    whatsapp: 'pendamping_program_closed',
    params: ['name', 'program', 'link'],
  },
  'account-invitation': {
    subject: { id: 'Akun Pendamping Anda sudah siap', en: 'Your Pendamping account is ready' },
    body: {
      id: 'Halo {name}, akun {role} Pendamping Anda sudah dibuat. Masuk dengan email Anda; kode sekali pakai dikirim ke email itu: {link}',
      en: 'Hi {name}, your Pendamping {role} account is ready. Sign in with your email; a one-time code is sent to it: {link}',
    },
    whatsapp: 'pendamping_account_invitation',
    params: ['name', 'role', 'link'],
  },
  'mentor-withdrawn': {
    subject: { id: 'Pendamping Anda berganti', en: 'Your mentor is changing' },
    body: {
      id: 'Halo {name}, pendamping Anda tidak dapat melanjutkan. Petugas program akan mencarikan pendamping lain dan menghubungi Anda. Sesi terjadwal yang dibatalkan: {sessions}. Lihat di: {link}',
      en: 'Hi {name}, your mentor cannot continue. Program staff will find you another mentor and contact you. Scheduled sessions cancelled: {sessions}. See: {link}',
    },
    whatsapp: 'pendamping_mentor_withdrawn',
    params: ['name', 'sessions', 'link'],
  },
  'class-cancelled': {
    subject: { id: 'Kelas Anda dibatalkan', en: 'Your class was cancelled' },
    body: {
      id: 'Halo {name}, mohon maaf, kelas "{title}" dibatalkan. Lihat kelas lain di: {link}',
      en: 'Hi {name}, we are sorry: the class "{title}" was cancelled. See other classes at: {link}',
    },
    whatsapp: 'pendamping_class_cancelled',
    params: ['name', 'title', 'link'],
  },
  'class-promoted': {
    subject: { id: 'Anda mendapat kursi di kelas', en: 'You have a seat in a class' },
    body: {
      id: 'Halo {name}, ada kursi kosong dan sekarang menjadi milik Anda di kelas "{title}". Detail: {link}',
      en: 'Hi {name}, a seat freed up in the class "{title}" and it is now yours. Details: {link}',
    },
    whatsapp: 'pendamping_class_promoted',
    params: ['name', 'title', 'link'],
  },
  'class-drawn': {
    subject: { id: 'Hasil undian kelas', en: 'Class lottery result' },
    body: {
      id: 'Halo {name}, hasil undian kelas "{title}": {outcome}. Detail dan urutan undian: {link}',
      en: 'Hi {name}, the lottery for the class "{title}": {outcome}. Details and the draw order: {link}',
    },
    whatsapp: 'pendamping_class_drawn',
    params: ['name', 'title', 'outcome', 'link'],
  },
  'class-reminder': {
    subject: { id: 'Pengingat kelas besok', en: 'Class reminder for tomorrow' },
    body: {
      id: 'Halo {name}, kelas "{title}" dimulai {startsAt}. {where} Detail: {link}',
      en: 'Hi {name}, the class "{title}" starts {startsAt}. {where} Details: {link}',
    },
    whatsapp: 'pendamping_class_reminder',
    params: ['name', 'title', 'startsAt', 'where', 'link'],
  },
  'class-invitation': {
    subject: { id: 'Undangan kelas lanjutan', en: 'Invitation to a follow-on class' },
    body: {
      id: 'Halo {name}, Anda diundang ke kelas "{title}" yang dimulai {startsAt}. Daftar di: {link}',
      en: 'Hi {name}, you are invited to the class "{title}", starting {startsAt}. Register at: {link}',
    },
    whatsapp: 'pendamping_class_invitation',
    params: ['name', 'title', 'startsAt', 'link'],
  },
  'link-code': {
    subject: { id: 'Kode untuk tautan baru Anda', en: 'Your code for a new link' },
    body: {
      id: 'Kode Pendamping Anda: {code}. Berlaku {minutes} menit, sekali pakai. Jangan berikan kode ini kepada siapa pun.',
      en: 'Your Pendamping code: {code}. Valid for {minutes} minutes, once. Do not share this code with anyone.',
    },
    whatsapp: 'pendamping_link_code',
    params: ['code', 'minutes'],
  },
  /** Issue 18: the business ended the engagement by erasing its data or withdrawing consent. */
  'engagement-ended': {
    subject: { id: 'Pendampingan berakhir', en: 'A mentoring engagement has ended' },
    body: {
      id: 'Halo {name}, UMKM yang Anda dampingi menghentikan pendampingan dan datanya dihapus atas permintaannya. Sesi terjadwal dibatalkan dan kuota Anda kembali. Lihat: {link}',
      en: 'Hi {name}, a business you mentored has stopped the engagement and its data was erased at its request. Scheduled sessions were cancelled and your seat is free again. See: {link}',
    },
    whatsapp: 'pendamping_engagement_ended',
    params: ['name', 'link'],
  },
} as const satisfies Record<
  string,
  {
    subject: { id: string; en: string }
    body: { id: string; en: string }
    whatsapp: string
    params: readonly string[]
  }
>

/**
 * The only placeholders a subject may hold: what the system itself words (a city's official name, a
 * time). Nothing a person typed — a business name, a class title, a comment — ever reaches a subject,
 * where mail clients, lock screens and logs show it (UU PDP; a test holds every template to this).
 */
export const SUBJECT_PLACEHOLDERS: readonly string[] = ['city', 'when']
