/**
 * Demo mentors for `npm start`: a dozen active mentors in and around Kota Malang (35.73) and across
 * Jawa Timur (35), with varied skills, levels, modes and languages, so a request submitted on a fresh
 * stack gets an offer within seconds. They go through the same application and approval as real
 * mentors (the local account directory, so each account's `sub` is the mentor id):
 *
 *   npm run token -- --role mentor --sub demo-mentor-01 --region 35.73
 */

import { withContext } from '@pendamping/core/actor'
import { localAccountDirectory } from '@pendamping/core/directory'
import { applyAsMentor, approveMentor, getMentor, type MentorApplication } from '@pendamping/core/mentor'
import type { Clock, Store } from '@pendamping/core/store'

type Seed = Omit<MentorApplication, 'consent' | 'regionsServed' | 'capacity' | 'timeZone'> & {
  id: string
  regionsServed?: string[]
  capacity?: number
}

const weekdayEvenings = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
  day,
  from: '19:00',
  to: '21:00',
}))
const weekends = (['sat', 'sun'] as const).map((day) => ({ day, from: '08:00', to: '14:00' }))
const officeHours = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
  day,
  from: '09:00',
  to: '16:00',
}))

export const DEMO_MENTORS: readonly Seed[] = [
  {
    id: 'demo-mentor-01',
    name: 'Dimas Aditya Pratama',
    email: 'dimas.pratama@example.id',
    phone: '0812-3300-0101',
    region: '35.73',
    skills: [
      { topic: 'social_media', level: 3 },
      { topic: 'content', level: 3 },
      { topic: 'copywriting', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv'],
    availability: [...weekdayEvenings, ...weekends],
    capacity: 3,
    bio:
      'Mahasiswa Ilmu Komunikasi di Malang yang mengelola akun Instagram kuliner dengan 40 ribu pengikut. ' +
      'Senang membantu warung dan kedai kopi tampil menarik dan konsisten di media sosial.',
  },
  {
    id: 'demo-mentor-02',
    name: 'Nadia Putri Maharani',
    email: 'nadia.maharani@example.id',
    phone: '0812-3300-0102',
    region: '35.73.05',
    regionsServed: ['35.07'],
    skills: [
      { topic: 'branding', level: 3 },
      { topic: 'packaging', level: 3 },
      { topic: 'content', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'en', 'jv'],
    availability: [...weekends, { day: 'wed', from: '13:00', to: '17:00' }],
    capacity: 2,
    bio:
      'Desainer grafis lepas lulusan DKV. Sudah merancang logo dan kemasan untuk lebih dari 30 UMKM di ' +
      'Malang Raya, dari keripik tempe sampai kopi Dampit.',
  },
  {
    id: 'demo-mentor-03',
    name: 'Rizky Firmansyah',
    email: 'rizky.firmansyah@example.id',
    phone: '0812-3300-0103',
    region: '35.73',
    skills: [
      { topic: 'marketplace', level: 3 },
      { topic: 'ads', level: 2 },
      { topic: 'finance_literacy', level: 1 },
    ],
    modes: ['online'],
    languages: ['id', 'jv'],
    availability: [...weekdayEvenings, { day: 'sat', from: '09:00', to: '12:00' }],
    capacity: 4,
    bio:
      'Berjualan di Shopee dan Tokopedia sejak 2019 dengan toko Star Seller. Berbagi cara memotret ' +
      'produk, menulis judul yang dicari pembeli, dan mengatur iklan marketplace dengan modal kecil.',
  },
  {
    id: 'demo-mentor-04',
    name: 'Ayu Lestari Wulandari',
    email: 'ayu.wulandari@example.id',
    phone: '0812-3300-0104',
    region: '35.07',
    regionsServed: ['35.73', '35.79'],
    skills: [
      { topic: 'finance_literacy', level: 3 },
      { topic: 'marketplace', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv'],
    availability: officeHours,
    capacity: 3,
    bio:
      'Akuntan muda dan pendamping koperasi di Kabupaten Malang. Membantu pemilik usaha memisahkan uang ' +
      'usaha dan pribadi, mencatat penjualan harian, dan menghitung harga pokok produksi.',
  },
  {
    id: 'demo-mentor-05',
    name: 'Bagus Setiawan',
    email: 'bagus.setiawan@example.id',
    phone: '0812-3300-0105',
    region: '35.79',
    regionsServed: ['35.73'],
    skills: [
      { topic: 'content', level: 3 },
      { topic: 'social_media', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv'],
    availability: [...weekends, { day: 'fri', from: '15:00', to: '20:00' }],
    capacity: 3,
    bio:
      'Kreator video pendek tentang wisata dan oleh-oleh Kota Batu. Mengajari pemilik usaha membuat ' +
      'konten TikTok dan Reels yang enak ditonton hanya dengan ponsel.',
  },
  {
    id: 'demo-mentor-06',
    name: 'Fitri Handayani',
    email: 'fitri.handayani@example.id',
    phone: '0812-3300-0106',
    region: '35.78',
    skills: [
      { topic: 'website', level: 3 },
      { topic: 'seo', level: 3 },
    ],
    modes: ['online'],
    languages: ['id', 'en'],
    availability: weekdayEvenings,
    capacity: 3,
    bio:
      'Web developer di sebuah startup Surabaya. Membuat website toko sederhana, profil Google Bisnis, ' +
      'dan SEO lokal supaya usaha mudah ditemukan orang di sekitarnya.',
  },
  {
    id: 'demo-mentor-07',
    name: 'Hendra Wijaya Kusuma',
    email: 'hendra.kusuma@example.id',
    phone: '0812-3300-0107',
    region: '35.78',
    skills: [
      { topic: 'ads', level: 3 },
      { topic: 'copywriting', level: 2 },
      { topic: 'marketplace', level: 2 },
    ],
    modes: ['online'],
    languages: ['id', 'en'],
    availability: [...weekdayEvenings, ...weekends],
    capacity: 4,
    bio:
      'Digital marketer di agensi Surabaya, spesialis Meta Ads dan Google Ads berbiaya kecil untuk usaha ' +
      'yang baru pertama kali beriklan.',
  },
  {
    id: 'demo-mentor-08',
    name: 'Siti Nurhaliza Rahmawati',
    email: 'siti.rahmawati@example.id',
    phone: '0812-3300-0108',
    region: '35.15',
    regionsServed: ['35.78'],
    skills: [
      { topic: 'packaging', level: 2 },
      { topic: 'branding', level: 2 },
      { topic: 'social_media', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv', 'mad'],
    availability: [...weekends, { day: 'tue', from: '13:00', to: '16:00' }],
    capacity: 2,
    bio:
      'Pengusaha muda kerupuk udang Sidoarjo yang membesarkan usahanya lewat Instagram. Berbagi ' +
      'pengalaman soal kemasan, label, dan mengurus izin PIRT.',
  },
  {
    id: 'demo-mentor-09',
    name: 'Moch. Faisal Hidayatullah',
    email: 'faisal.hidayatullah@example.id',
    phone: '0812-3300-0109',
    region: '35.09',
    skills: [
      { topic: 'marketplace', level: 2 },
      { topic: 'social_media', level: 2 },
      { topic: 'content', level: 1 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv', 'mad'],
    availability: [...weekdayEvenings, { day: 'sun', from: '07:00', to: '11:00' }],
    capacity: 3,
    bio:
      'Alumni Politeknik Negeri Jember yang mendampingi petani kopi dan perajin di Jember menjual ' +
      'hasil bumi dan kerajinan secara daring.',
  },
  {
    id: 'demo-mentor-10',
    name: 'Dewi Anggraini',
    email: 'dewi.anggraini@example.id',
    phone: '0812-3300-0110',
    region: '35.73',
    skills: [
      { topic: 'copywriting', level: 3 },
      { topic: 'branding', level: 2 },
      { topic: 'seo', level: 2 },
    ],
    modes: ['online'],
    languages: ['id', 'en'],
    availability: [
      { day: 'mon', from: '13:00', to: '17:00' },
      { day: 'thu', from: '13:00', to: '17:00' },
    ],
    capacity: 2,
    bio:
      'Penulis konten dan copywriter lepas. Membantu menulis deskripsi produk, caption, dan cerita merek ' +
      'yang membuat pembeli percaya.',
  },
  {
    id: 'demo-mentor-11',
    name: 'Yoga Pradana Putra',
    email: 'yoga.pradana@example.id',
    phone: '0812-3300-0111',
    region: '35.71',
    skills: [
      { topic: 'website', level: 2 },
      { topic: 'ads', level: 2 },
      { topic: 'seo', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv'],
    availability: [...weekdayEvenings, ...weekends],
    capacity: 3,
    bio:
      'Mahasiswa Teknik Informatika di Kediri yang membangun toko online dan katalog WhatsApp Business ' +
      'untuk UMKM tahu takwa dan getuk pisang.',
  },
  {
    id: 'demo-mentor-12',
    name: 'Intan Permatasari',
    email: 'intan.permatasari@example.id',
    phone: '0812-3300-0112',
    region: '35.73',
    skills: [
      { topic: 'social_media', level: 3 },
      { topic: 'content', level: 2 },
      { topic: 'ads', level: 1 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv', 'en'],
    availability: [...officeHours.slice(0, 3), { day: 'sat', from: '10:00', to: '15:00' }],
    capacity: 3,
    bio:
      'Fotografer produk dan admin media sosial untuk beberapa kafe di Malang. Mengajarkan foto produk ' +
      'dengan cahaya alami dan jadwal unggahan yang mudah dijalankan.',
  },
]

/**
 * Puts the demo mentors, applied and approved, unless they are already there: safe on every start.
 * Returns how many were added.
 */
export async function seedMentors(store: Store, clock: Clock): Promise<number> {
  const accounts = localAccountDirectory()
  const system = { kind: 'account', sub: 'seed', role: 'admin', region: '*' } as const
  let added = 0
  for (const { id, ...seed } of DEMO_MENTORS) {
    const existing = await getMentor(store, id)
    if (existing?.status === 'active') continue
    if (!existing) {
      await applyAsMentor(
        store,
        clock,
        {
          ...seed,
          regionsServed: seed.regionsServed ?? [],
          capacity: seed.capacity ?? 3,
          consent: { accepted: true, purposeVersion: '2026-11' },
        },
        { id },
      )
    }
    await withContext({ actor: system, requestId: 'seed-mentors', locale: 'id' }, () =>
      approveMentor(store, clock, accounts, id),
    )
    added++
  }
  return added
}
