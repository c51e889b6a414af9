import type { Locale } from '@pendamping/core/i18n/index'
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
      'Lewat tautan pelacakan Anda dapat mengunduh semua data Anda, membatalkan permintaan, atau menghapus data pribadi kapan saja. Setelah dihapus, yang tersisa hanya fakta tanpa nama untuk statistik program.',
      `Versi pemberitahuan: ${PRIVACY_VERSION}.`,
    ],
  },
  en: {
    title: 'Privacy notice',
    other: '/privasi',
    paragraphs: [
      'Pendamping is a digital-marketing mentoring program for small businesses (UMKM). What you tell us (business and owner name, phone, email, location, sector and size, needs, times) is used only to find a mentor, arrange sessions, send reminders and compile anonymous program reports (Indonesian Personal Data Protection Law No. 27/2022).',
      'A mentor sees only your needs and the shape of your business until they accept the offer; then they see your name and contact to reach you. Program staff of your region can see your request to run the program. Reports hold numbers only, no personal data.',
      'With your tracking link you can download all your data, cancel your request or delete your personal data at any time. After deletion only anonymous facts remain, for the program’s statistics.',
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
