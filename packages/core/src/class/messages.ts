import { hasMessage, registerMessages } from '../i18n/index.ts'

/**
 * Field and problem messages of classes. Registered only where missing, so a message another module
 * registers too (`field.meeting_url`, `field.place` …) is shared, never a start-up crash.
 */
const messages = {
  'field.datetime_utc': {
    id: 'Waktu harus UTC ISO 8601 berakhiran Z (contoh 2026-03-02T02:00:00Z)',
    en: 'Times must be UTC ISO 8601 ending in Z (e.g. 2026-03-02T02:00:00Z)',
  },
  'field.https_url': {
    id: 'Tautan harus alamat https (contoh https://meet.google.com/abc-defg-hij)',
    en: 'The link must be an https address (e.g. https://meet.google.com/abc-defg-hij)',
  },
  'field.meeting_url': {
    id: 'Kelas daring memerlukan tautan rapat https',
    en: 'An online class needs an https meeting link',
  },
  'field.place': { id: 'Kelas luring memerlukan tempat', en: 'An offline class needs a place' },
  'field.quarter_hour': {
    id: 'Waktu harus tepat per 15 menit (contoh 09:00, 09:15) dalam UTC',
    en: 'Times must fall on a quarter hour (e.g. 09:00, 09:15) in UTC',
  },
  'field.meeting_length': {
    id: 'Satu pertemuan paling lama {maximum} menit',
    en: 'A meeting lasts at most {maximum} minutes',
  },
  'field.meeting_order': {
    id: 'Pertemuan harus berurutan dan tidak saling tumpang tindih',
    en: 'Meetings must be in order and must not overlap',
  },
  'field.in_past': { id: 'Waktu harus di masa depan', en: 'The time must be in the future' },
  'field.too_many_slots': {
    id: 'Terlalu banyak jam pelatih (pelatih × pertemuan × 15 menit, maksimal {maximum})',
    en: 'Too many trainer hours (trainers × meetings × quarter hours, at most {maximum})',
  },
  'field.window_order': {
    id: 'Pendaftaran harus ditutup setelah dibuka dan sebelum pertemuan pertama',
    en: 'Registration must close after it opens and before the first meeting',
  },
  'field.minimum_percent': {
    id: 'Aturan persentase memerlukan minimumPercent (1–100)',
    en: 'The percent rule needs minimumPercent (1–100)',
  },
  'field.trainer': { id: 'Pelatih tidak ditemukan atau belum aktif', en: 'No such active trainer' },
  'field.class_segment': { id: 'Segmen tidak ada di kelas ini', en: 'No such segment in this class' },
  'field.check_in_code': {
    id: 'Kode hadir terdiri dari 6 huruf/angka (contoh K7M2QX)',
    en: 'The check-in code has 6 letters/digits (e.g. K7M2QX)',
  },
  'field.date': { id: 'Tanggal harus YYYY-MM-DD', en: 'The date must be YYYY-MM-DD' },
  'field.registration': {
    id: 'Pendaftaran tidak ada di kelas ini',
    en: 'No such registration in this class',
  },
  'field.person_or_token': {
    id: 'Isi data diri dan persetujuan, atau gunakan tautan pribadi Anda',
    en: 'Give your details and consent, or use your private link',
  },
  'field.not_with_token': {
    id: 'Dengan tautan pribadi, data diri tidak perlu diisi lagi',
    en: 'With your private link, do not send your details again',
  },
  'field.meeting': { id: 'Pertemuan tidak ada di kelas ini', en: 'No such meeting in this class' },
  'problem.class-not-open': {
    id: 'Kelas tidak menerima pendaftaran',
    en: 'The class is not taking registrations',
  },
  'problem.class-not-open.detail': {
    id: 'Kelas ini belum dibuka, pendaftarannya sudah ditutup, atau kelasnya dibatalkan.',
    en: 'This class has not opened yet, its registration has closed, or it was cancelled.',
  },
  'problem.already-registered': {
    id: 'Nomor ini sudah terdaftar di kelas ini',
    en: 'This number is already registered for this class',
  },
  'problem.already-registered.detail': {
    id: 'Satu nomor HP hanya mendapat satu tempat per kelas. Buka tautan pribadi Anda untuk melihatnya.',
    en: 'One phone number holds one place per class. Open your private link to see it.',
  },
  'problem.meeting-overlap': { id: 'Jadwal pelatih bentrok', en: 'Trainer schedule clash' },
  'problem.meeting-overlap.detail': {
    id: 'Seorang pelatih sudah memiliki sesi atau pertemuan lain pada waktu tersebut.',
    en: 'A trainer already has a session or another meeting at that time.',
  },
  'problem.class-status': {
    id: 'Status kelas tidak mengizinkan ini',
    en: 'The class’s status does not allow this',
  },
  'problem.class-status.detail': {
    id: 'Kelas ini sudah berubah status (dibuka, ditutup, selesai atau dibatalkan).',
    en: 'This class has moved on (opened, closed, finished or cancelled).',
  },
  'problem.check-in-refused': {
    id: 'Kode hadir tidak diterima',
    en: 'Check-in code not accepted',
  },
  'problem.check-in-refused.detail': {
    id: 'Kodenya salah, atau pertemuan sedang tidak berlangsung.',
    en: 'The code is wrong, or no meeting is under way.',
  },
  'problem.registration-not-open': {
    id: 'Pendaftaran tidak dapat diubah lagi',
    en: 'The registration can no longer be changed',
  },
  'problem.registration-not-open.detail': {
    id: 'Pendaftaran ini sudah dibatalkan atau kelasnya sudah selesai.',
    en: 'This registration was cancelled or the class is over.',
  },
  'problem.draw-pending': { id: 'Undian belum dilakukan', en: 'Not drawn yet' },
  'problem.draw-pending.detail': {
    id: 'Urutan undian diumumkan setelah pendaftaran ditutup.',
    en: 'The draw order is published when registration closes.',
  },
}

registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))
