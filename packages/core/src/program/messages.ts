import { hasMessage, registerMessages } from '../i18n/index.ts'

/**
 * Field and problem messages of programs and requests. Registered only where missing, so a field
 * message another module registers first (`field.phone` …) is shared rather than a start-up crash.
 */
const messages = {
  'field.cursor': { id: 'Kursor halaman tidak valid', en: 'Invalid page cursor' },
  'field.region': { id: 'Kode wilayah tidak dikenal', en: 'Unknown region code' },
  'field.region_level': {
    id: 'Gunakan kode kota/kabupaten atau kecamatan (contoh 35.73)',
    en: 'Use a city/regency or district code (e.g. 35.73)',
  },
  'field.region_outside': {
    id: 'Wilayah di luar cakupan program atau akun Anda',
    en: 'Region outside the program’s or your account’s area',
  },
  'field.phone': {
    id: 'Nomor telepon tidak valid (contoh 0812 3456 7890)',
    en: 'Invalid phone number (e.g. 0812 3456 7890)',
  },
  'field.email': { id: 'Alamat email tidak valid', en: 'Invalid email address' },
  'field.topic': { id: 'Topik tidak dikenal', en: 'Unknown topic' },
  'field.slug': {
    id: 'Gunakan huruf kecil, angka dan garis bawah (contoh social_media)',
    en: 'Use lowercase letters, digits and underscores (e.g. social_media)',
  },
  'field.duplicate': { id: 'Berisi isian ganda', en: 'Contains duplicates' },
  'field.time_zone': {
    id: 'Zona waktu harus Asia/Jakarta, Asia/Makassar atau Asia/Jayapura',
    en: 'Time zone must be Asia/Jakarta, Asia/Makassar or Asia/Jayapura',
  },
  'field.datetime': {
    id: 'Tanggal dan waktu harus ISO 8601 (contoh 2026-03-01T09:00:00+07:00)',
    en: 'Date and time must be ISO 8601 (e.g. 2026-03-01T09:00:00+07:00)',
  },
  'field.date_order': {
    id: 'Tanggal selesai harus setelah tanggal mulai',
    en: 'The end must be after the start',
  },
  'field.time': { id: 'Jam harus berformat JJ:MM (contoh 09:30)', en: 'Time must be HH:MM (e.g. 09:30)' },
  'field.time_order': {
    id: 'Jam selesai harus setelah jam mulai',
    en: 'The end time must be after the start',
  },
  'field.consent': {
    id: 'Persetujuan pemrosesan data wajib diberikan',
    en: 'Consent to data processing is required',
  },
  'field.size_class': {
    id: 'Isi omzet tahunan atau kelas usaha',
    en: 'Give the annual sales or the size class',
  },
  'field.size_class_mismatch': {
    id: 'Kelas usaha tidak sesuai dengan omzet tahunan',
    en: 'The size class does not match the annual sales',
  },
  'field.not_umkm': {
    id: 'Omzet di atas batas usaha menengah (Rp 50 miliar)',
    en: 'Sales above the medium-business limit (Rp 50 billion)',
  },
  'field.program': { id: 'Program tidak ditemukan', en: 'No such program' },
  'field.segment': { id: 'Segmen tidak ada dalam program ini', en: 'No such segment in this program' },
  'field.segment_removed': {
    id: 'Segmen yang ada tidak dapat dihapus',
    en: 'An existing segment cannot be removed',
  },
  'field.quota_below_admitted': {
    id: 'Kuota tidak boleh di bawah kursi yang terpakai ({admitted})',
    en: 'The quota cannot be below the seats in use ({admitted})',
  },
  'field.status_transition': {
    id: 'Status tidak dapat diubah dari {from} ke {to}',
    en: 'Status cannot change from {from} to {to}',
  },
  'field.idempotency_key': {
    id: 'Idempotency-Key harus 1–64 karakter A–Z, a–z, 0–9, _ atau -',
    en: 'Idempotency-Key must be 1–64 characters A–Z, a–z, 0–9, _ or -',
  },
  'problem.program-not-open': {
    id: 'Program tidak menerima pendaftaran',
    en: 'The program is not accepting requests',
  },
  'problem.program-not-open.detail': {
    id: 'Program ini belum dibuka atau sudah ditutup.',
    en: 'This program is not open yet or has closed.',
  },
  'problem.program-not-running': {
    id: 'Program tidak sedang berjalan',
    en: 'The program is not running',
  },
  'problem.program-not-running.detail': {
    id: 'Program ini menerima permintaan dari {from} sampai {to}. Ajukan di antara tanggal itu, atau pilih program lain.',
    en: 'This program takes requests from {from} to {to}. Ask between those dates, or choose another program.',
  },
  'problem.request-not-open': {
    id: 'Permintaan tidak dapat diubah lagi',
    en: 'The request can no longer be changed',
  },
  'problem.request-not-open.detail': {
    id: 'Permintaan ini sudah berjalan, selesai atau dibatalkan.',
    en: 'This request is already under way, finished or cancelled.',
  },
  'problem.quota-below-admitted': {
    id: 'Kuota di bawah kursi terpakai',
    en: 'Quota below the seats in use',
  },
  'problem.quota-below-admitted.detail': {
    id: 'Kursi terisi saat kuota diubah. Muat ulang lalu pilih kuota yang lebih besar.',
    en: 'Seats were taken while the quota changed. Reload and choose a larger quota.',
  },
  'problem.stale': { id: 'Data telah berubah', en: 'The data has changed' },
  'problem.stale.detail': {
    id: 'Data diubah orang lain pada saat yang sama. Muat ulang lalu coba lagi.',
    en: 'Someone changed the data at the same time. Reload and try again.',
  },
}

registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))
