import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { type Actor, withContext } from '@pendamping/core/actor'
import { keys } from '@pendamping/core/dynamo'
import { createProgram, type NewProgram } from '@pendamping/core/program'
import { type NewRequest, submitRequest } from '@pendamping/core/request'
import type { Clock, Store } from '@pendamping/core/store'

/** Bump when the demo data changes shape, so existing local tables get the new set once. */
const MARKER = 'demo-v1'

export interface SeedResult {
  seeded: boolean
  programId?: string
  /** The demo owners' tracking links are shown once, like a real submission's answer. */
  requests: Array<{ id: string; name: string; status: string; trackingToken: string }>
}

const program: NewProgram = {
  region: '35.73',
  name: 'Pendampingan Digital UMKM Kota Malang 2026',
  topics: [
    'branding',
    'social_media',
    'content',
    'marketplace',
    'packaging',
    'copywriting',
    'finance_literacy',
  ],
  timeZone: 'Asia/Jakarta',
  startsAt: '2026-02-02T00:00:00+07:00',
  endsAt: '2026-07-31T23:59:59+07:00',
  segments: { umum: 70, asn: 70 },
  offerWindowHours: 48,
  matchingWindowDays: 5,
  status: 'open',
}

type Business = NewRequest['business']
const consent = { accepted: true as const, purposeVersion: '2026-11' }

/** Eight Kota Malang businesses (districts Blimbing 01, Klojen 02, Kedungkandang 03, Sukun 04, Lowokwaru 05). */
const businesses: Array<{
  business: Business
  needs: string[]
  description: string
  mode: NewRequest['mode']
  languages: NewRequest['languages']
  availability: NewRequest['availability']
  segment: 'umum' | 'asn'
}> = [
  {
    business: {
      name: 'Warung Pecel Bu Sri',
      ownerName: 'Sri Wahyuni',
      phone: '0812-3301-4411',
      region: '35.73.01',
      sector: 'kuliner',
      annualSales: 180_000_000,
      currentChannels: ['offline_store', 'whatsapp'],
    },
    needs: ['social_media', 'marketplace'],
    description: 'Ingin pesanan lewat GoFood dan Instagram, selama ini hanya pelanggan sekitar pasar.',
    mode: 'offline',
    languages: ['id', 'jv'],
    availability: [{ day: 'mon', from: '14:00', to: '17:00' }],
    segment: 'umum',
  },
  {
    business: {
      name: 'Batik Tulis Celaket',
      ownerName: 'Dewi Lestari',
      phone: '0813-5577-2020',
      email: 'batik.celaket@example.id',
      region: '35.73.02',
      sector: 'fashion',
      annualSales: 1_200_000_000,
      currentChannels: ['instagram', 'offline_store'],
    },
    needs: ['branding', 'content', 'marketplace'],
    description: 'Motif batik Malangan kami butuh foto produk yang rapi dan toko di Shopee.',
    mode: 'either',
    languages: ['id'],
    availability: [
      { day: 'wed', from: '10:00', to: '12:00' },
      { day: 'sat', from: '09:00', to: '11:00' },
    ],
    segment: 'umum',
  },
  {
    business: {
      name: 'Kopi Lereng Arjuno',
      ownerName: 'Agus Santoso',
      phone: '0857-4412-9090',
      region: '35.73.05',
      sector: 'kuliner',
      annualSales: 650_000_000,
      currentChannels: ['instagram', 'tokopedia'],
    },
    needs: ['content', 'copywriting'],
    description: 'Roastery kecil, ingin cerita asal biji kopi tersampaikan di TikTok dan Instagram.',
    mode: 'online',
    languages: ['id', 'en'],
    availability: [{ day: 'thu', from: '19:00', to: '21:00' }],
    segment: 'umum',
  },
  {
    business: {
      name: 'Keripik Tempe Sanan Mbak Yuli',
      ownerName: 'Yuliana',
      phone: '0821-3344-5566',
      region: '35.73.01',
      sector: 'kuliner',
      annualSales: 420_000_000,
      currentChannels: ['offline_store', 'shopee'],
    },
    needs: ['packaging', 'branding'],
    description: 'Kemasan keripik masih plastik polos, ingin kemasan yang menarik untuk oleh-oleh.',
    mode: 'offline',
    languages: ['id', 'jv'],
    availability: [{ day: 'tue', from: '08:00', to: '11:00' }],
    segment: 'umum',
  },
  {
    business: {
      name: 'Topeng Malangan Pak Karim',
      ownerName: 'Abdul Karim',
      phone: '0341-551234',
      region: '35.73.03',
      sector: 'kerajinan',
      sizeClass: 'mikro',
      currentChannels: ['offline_store'],
    },
    needs: ['social_media', 'content'],
    description: 'Pengrajin topeng kayu, ingin dikenal wisatawan lewat media sosial.',
    mode: 'offline',
    languages: ['jv', 'id'],
    availability: [{ day: 'sun', from: '09:00', to: '12:00' }],
    segment: 'umum',
  },
  {
    business: {
      name: 'Bakso Bakar Sukun',
      ownerName: 'Hendra Wijaya',
      phone: '+62 878 1234 0099',
      region: '35.73.04',
      sector: 'kuliner',
      annualSales: 2_400_000_000,
      currentChannels: ['gofood', 'grabfood', 'instagram'],
    },
    needs: ['finance_literacy', 'marketplace'],
    description: 'Omzet naik tapi pencatatan keuangan masih manual; ingin atur promo di aplikasi ojek.',
    mode: 'either',
    languages: ['id'],
    availability: [{ day: 'fri', from: '15:00', to: '17:00' }],
    segment: 'umum',
  },
  {
    business: {
      name: 'Jamu Gendong Mbok Sum',
      ownerName: 'Sumiati',
      phone: '0896-7001-2345',
      region: '35.73.03',
      sector: 'kesehatan',
      annualSales: 60_000_000,
      currentChannels: ['whatsapp'],
    },
    needs: ['social_media', 'copywriting'],
    description: 'Jualan jamu keliling, ingin pelanggan bisa pesan lewat WhatsApp Business.',
    mode: 'offline',
    languages: ['jv'],
    availability: [{ day: 'sat', from: '13:00', to: '15:00' }],
    segment: 'asn',
  },
  {
    business: {
      name: 'Sablon Kaos Arema Lowokwaru',
      ownerName: 'Rizky Pratama',
      phone: '0822-3456-7788',
      email: 'sablon.lowokwaru@example.id',
      region: '35.73.05',
      sector: 'fashion',
      annualSales: 900_000_000,
      currentChannels: ['instagram', 'tiktok', 'shopee'],
    },
    needs: ['branding', 'marketplace', 'social_media'],
    description: 'Ingin merek sendiri selain pesanan sablon, dan toko resmi di marketplace.',
    mode: 'online',
    languages: ['id', 'jv'],
    availability: [{ day: 'wed', from: '19:00', to: '21:00' }],
    segment: 'asn',
  },
]

const DAY = 86_400_000

/**
 * The demo program with dates around `now`: it takes requests only between them, from well before the
 * past journeys (`seed-journeys.ts`, up to 75 days back) to most of a year ahead.
 */
function runningAround(now: Date): NewProgram {
  return {
    ...program,
    startsAt: new Date(now.getTime() - 120 * DAY).toISOString(),
    endsAt: new Date(now.getTime() + 240 * DAY).toISOString(),
  }
}

/** The seed acts as an admin would through the API, so access checks and events are the real ones. */
const seeder: Actor = { kind: 'account', sub: 'seed', role: 'admin', region: '*' }

/**
 * Demo data for `npm start`: the Kota Malang 2026 program (segments umum 70, asn 70, open) and eight
 * Malang businesses asking for help. Written through the domain functions, so every item has its
 * `RequestSubmitted`/`ProgramCreated` event and the local stream handlers see them like real ones.
 * Seeds once per table: a marker item is checked first and written last.
 */
export async function seed(store: Store, clock: Clock): Promise<SeedResult> {
  const marker = keys.seedMarker(MARKER)
  const { Item } = await store.doc.send(
    new GetCommand({ TableName: store.tableName, Key: marker, ConsistentRead: true }),
  )
  if (Item) return { seeded: false, requests: [] }

  return withContext({ actor: seeder, requestId: 'seed', locale: 'id' }, async () => {
    const { id: programId } = await createProgram(store, clock, runningAround(clock.now()))
    const requests: SeedResult['requests'] = []
    for (const { segment, ...request } of businesses) {
      const answer = await submitRequest(store, clock, { ...request, programId, segment, consent })
      requests.push({ ...answer, name: request.business.name })
    }

    // Mentors: the mentor module seeds its demo mentors here (Malang students and creators with
    // skills covering the needs above), e.g. `await seedMentors(store, clock, { programId })`.

    await store.doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...marker, entity: 'seedMarker', version: 1, programId, seededAt: clock.now().toISOString() },
      }),
    )
    return { seeded: true, programId, requests }
  })
}
