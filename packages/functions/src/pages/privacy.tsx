import type { Locale } from '@pendamping/core/i18n'
import { Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { PRIVACY_VERSION } from './common.ts'
import { Layout } from './layout.tsx'

const NOTICE: Record<Locale, { title: string; paragraphs: string[]; other: string }> = {
  id: {
    title: 'Pemberitahuan privasi',
    other: '/en/privacy',
    paragraphs: [
      'Pendamping adalah program pendampingan pemasaran digital untuk UMKM. Data yang Anda isi (nama usaha dan pemilik, nomor HP, email, lokasi, bidang dan besar usaha, kebutuhan, jadwal) hanya dipakai untuk mencarikan mentor, mengatur sesi, mengirim pengingat, dan menyusun laporan program tanpa nama (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi).',
      'Mentor hanya melihat kebutuhan dan gambaran usaha Anda sampai ia menerima tawaran; setelah itu ia melihat nama dan kontak Anda untuk menghubungi Anda. Staf dinas di wilayah Anda dapat melihat permintaan Anda untuk mengelola program. Laporan hanya berisi angka, tanpa data pribadi.',
      'Pengendali data pribadi adalah pemerintah daerah (kota/kabupaten) penyelenggara program di wilayah Anda; untuk permintaan di luar program, pemerintah daerah tempat usaha Anda. Pendamping memproses data atas nama pengendali tersebut.',
      'Persetujuan diberikan per tujuan, masing-masing dapat ditarik sendiri kapan saja: (1) pencarian mentor dan menghubungi Anda; (2) pengingat sesi/kelas; (3) laporan program tanpa nama; (4) undangan pelatihan lanjutan. Setelah ditarik, pemrosesan untuk tujuan itu langsung berhenti.',
      'Masa simpan: data pribadi dihapus otomatis 12 bulan setelah aktivitas terakhir Anda, kecuali program menetapkan masa lain. Yang tersisa hanya angka tanpa nama.',
      'Hak Anda: mengakses dan mengunduh semua data (JSON atau halaman yang mudah dibaca) lewat tautan pribadi Anda; menarik persetujuan per tujuan; menghapus semua data pribadi (permintaan, sesi, catatan, penilaian, pendaftaran, sertifikat dicabut dan dianonimkan, catatan pesan); meminta perbaikan dan menyampaikan keberatan atau pengaduan kepada staf dinas program di wilayah Anda. Mentor menggunakan hak yang sama lewat akunnya.',
      `Versi pemberitahuan: ${PRIVACY_VERSION}.`,
    ],
  },
  en: {
    title: 'Privacy notice',
    other: '/privasi',
    paragraphs: [
      'Pendamping is a digital-marketing mentoring program for small businesses (UMKM). What you tell us (business and owner name, phone, email, location, sector and size, needs, times) is used only to find a mentor, arrange sessions, send reminders and compile anonymous program reports (Indonesian Personal Data Protection Law No. 27/2022).',
      'A mentor sees only your needs and the shape of your business until they accept the offer; then they see your name and contact to reach you. Program staff of your region can see your request to run the program. Reports hold numbers only, no personal data.',
      'The controller of your personal data is the government of the region (city or regency) running the program; for requests outside a program, the government of your business’s region. Pendamping processes the data on its behalf.',
      'Consent is given per purpose, and each can be withdrawn on its own at any time: (1) finding a mentor and contacting you; (2) session and class reminders; (3) anonymous program reports; (4) invitations to follow-on training. Once withdrawn, processing for that purpose stops at once.',
      'Retention: personal data is erased automatically 12 months after your last activity, unless the program sets another period. Only anonymous counts remain.',
      'Your rights: access and download all your data (JSON or a readable page) with your private link; withdraw each purpose of your consent; erase all your personal data (request, sessions, notes, ratings’ comments, registrations; certificates revoked and anonymised; records of messages); ask for correction and object or complain to the program staff of your region. Mentors exercise the same rights through their account.',
      `Notice version: ${PRIVACY_VERSION}.`,
    ],
  },
}

/** `/privasi` and `/en/privacy`: what the consent on the forms agrees to, in one short page. */
export function privacyPages() {
  const app = new Hono<AppEnv>()
  for (const [path, locale] of [
    ['/privasi', 'id'],
    ['/en/privacy', 'en'],
  ] as const) {
    const notice = NOTICE[locale]
    app.get(path, (c) =>
      c.html(
        <Layout locale={locale} title={notice.title} other={notice.other}>
          <h1>{notice.title}</h1>
          {notice.paragraphs.map((paragraph) => (
            <p>{paragraph}</p>
          ))}
        </Layout>,
      ),
    )
  }
  return app
}
