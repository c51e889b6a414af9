/**
 * Fairness and abuse (docs/contract/fairness.md) over HTTP on the real app and a real table: rate limits that hold
 * without shared memory, one open request per phone and program under any concurrency, tracking
 * tokens kept out of URLs, and the hardening around them.
 */

import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { createTokenVerifier } from '@pendamping/core/auth'
import { transact } from '@pendamping/core/dynamo'
import { Request } from '@pendamping/core/entities'
import { getRequest } from '@pendamping/core/request'
import { createApp } from '@pendamping/functions/api/app'
import { LOCAL_ISSUER, type LocalKeySet } from '@pendamping/scripts/local/keys'
import { testApp } from '@pendamping/scripts/testing/app'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'

const table = useTestTable()
const store = { doc: table.doc, tableName: table.tableName }
type App = ReturnType<typeof createApp>

/** Small quotas, so a burst shows them quickly. */
const LIMITS = {
  client: { name: 'client', limit: 5, windowSeconds: 60 },
  phone: { name: 'phone', limit: 3, windowSeconds: 3600 },
  account: { name: 'account', limit: 4, windowSeconds: 60 },
  read: { name: 'read', limit: 20, windowSeconds: 60 },
}

let limited: App
let open: App
let signer: LocalKeySet

beforeAll(async () => {
  // A still clock: every burst below falls in one window (a fixed window renews at its boundary).
  const still = new Date()
  ;({ app: limited, keys: signer } = await testApp(table, {
    rateLimits: LIMITS,
    clock: { now: () => still },
  }))
  // The same accounts on an app without limits, for what is not about them.
  const verifyToken = createTokenVerifier({
    jwksUrl: 'http://unused.invalid',
    issuer: LOCAL_ISSUER,
    keys: signer.resolver(),
  })
  ;({ app: open } = await testApp(table, { rateLimits: false, verifyToken }))
})

/** What a request from `address` looks like to the app: the socket's address, as on the local stack. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })
/** The same, as API Gateway hands it to Lambda. */
const viaGateway = (address: string) => ({ event: { requestContext: { http: { sourceIp: address } } } })

let phones = 0
/** A phone nobody used yet in this file. */
const freshPhone = () => `0812-7${String(++phones).padStart(3, '0')}-${String(1000 + phones)}`

function newRequest(phone = freshPhone(), extra: Record<string, unknown> = {}) {
  return {
    business: {
      name: 'Warung Kopi Mbak Rini',
      ownerName: 'Rini Astuti',
      phone,
      region: '35.73.01',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp'],
    },
    needs: ['social_media'],
    description: 'Ingin jualan kopi lewat Instagram.',
    mode: 'either',
    languages: ['id'],
    availability: [{ day: 'sat', from: '09:00', to: '12:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
    ...extra,
  }
}

function application(phone = freshPhone()) {
  return {
    name: 'Dimas Prasetyo',
    email: `dimas.${crypto.randomUUID().slice(0, 8)}@example.id`,
    phone,
    region: '35.73',
    regionsServed: [],
    skills: [{ topic: 'social_media', level: 3 }],
    modes: ['online'],
    languages: ['id'],
    availability: [{ day: 'mon', from: '09:00', to: '17:00' }],
    capacity: 3,
    bio: 'Kreator konten.',
    consent: { accepted: true, purposeVersion: '2026-11' },
  }
}

function post(
  app: App,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  env: object = from('10.0.0.1'),
) {
  return app.request(
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    },
    env,
  )
}

const account = async (role: 'staff' | 'mentor' | 'admin', region: string, sub = `${role}-${region}`) => ({
  authorization: `Bearer ${await signer.sign({ sub, role, region })}`,
})

async function openProgram(app: App = open) {
  const response = await post(
    app,
    '/v1/programs',
    {
      region: '35.73',
      name: 'Pendampingan Digital UMKM Kota Malang',
      topics: ['social_media', 'marketplace'],
      timeZone: 'Asia/Jakarta',
      // Running now, whatever day the tests run.
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 180 * 86_400_000).toISOString(),
      segments: { umum: 100 },
      status: 'open',
    },
    await account('staff', '35.73'),
  )
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

/** A request without a body (approve, publish). */
const send = (app: App, path: string, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers }, from('10.0.0.1'))

/** An approved mentor of Kota Malang, through the API. */
async function approvedTrainer() {
  const applied = await post(open, '/v1/mentor-applications', application())
  expect(applied.status).toBe(201)
  const { id } = (await applied.json()) as { id: string }
  expect((await send(open, `/v1/mentors/${id}/approve`, await account('staff', '35.73'))).status).toBe(200)
  return id
}

const HOUR = 3_600_000

/** A published first-come class of Kota Malang opening now, meeting in ten days. */
async function openClassNow(seats = 50) {
  const staff = await account('staff', '35.73')
  const starts = new Date(Math.ceil((Date.now() + 240 * HOUR) / HOUR) * HOUR)
  const created = await post(
    open,
    '/v1/classes',
    {
      programId: await openProgram(),
      title: 'Sinau TikTok untuk Warung',
      topics: ['social_media'],
      description: 'Membuat video pendek untuk jualan.',
      trainerIds: [await approvedTrainer()],
      mode: 'online',
      meetingUrl: 'https://meet.google.com/abc-defg-hij',
      timeZone: 'Asia/Jakarta',
      meetings: [
        { startsAt: starts.toISOString(), endsAt: new Date(starts.getTime() + 2 * HOUR).toISOString() },
      ],
      seats: { umum: seats },
      // Open already for the tests' still clocks, which were set before it was made.
      registrationOpensAt: new Date(Date.now() - HOUR).toISOString(),
      registrationClosesAt: new Date(starts.getTime() - 24 * HOUR).toISOString(),
    },
    staff,
  )
  expect(created.status).toBe(201)
  const { id } = (await created.json()) as { id: string }
  expect((await send(open, `/v1/classes/${id}/publish`, staff)).status).toBe(200)
  return id
}

/** What a person sends to register for a class. */
function classRegistration(phone = freshPhone()) {
  return {
    person: { name: 'Dewi Lestari', phone, region: '35.73' },
    segment: 'umum',
    consent: { purposeVersion: '2026-11', purposes: { reminders: true } },
  }
}

describe('Rate limits that hold on Lambda', () => {
  it('cuts a burst from one client while another client still gets through, with RateLimit headers', async () => {
    const answers = []
    for (let i = 0; i < 8; i++)
      answers.push(await post(limited, '/v1/requests', newRequest(), {}, from('10.1.0.1')))
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201, 429, 429, 429])
    const first = answers[0]
    expect(first?.headers.get('ratelimit-policy')).toContain('"client";q=5;w=60')
    expect(first?.headers.get('ratelimit')).toMatch(/"client";r=4;t=\d+/)
    expect(first?.headers.get('ratelimit')).toMatch(/"phone";r=2;t=\d+/)

    const refused = answers[5]
    expect(refused?.headers.get('content-type')).toContain('application/problem+json')
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused?.headers.get('ratelimit')).toMatch(/"client";r=0;t=\d+/)
    const problem = (await refused?.json()) as { type: string; status: number; detail: string }
    expect(problem).toMatchObject({ type: 'urn:pendamping:problem:rate-limited', status: 429 })
    expect(problem.detail).toMatch(/Coba lagi dalam \d+ detik/)

    const english = await post(
      limited,
      '/v1/requests',
      newRequest(),
      { 'accept-language': 'en' },
      from('10.1.0.1'),
    )
    expect(english.status).toBe(429)
    expect(((await english.json()) as { detail: string }).detail).toMatch(/Try again in \d+ seconds/)

    // Another client is untouched, on Lambda's address as on the socket's.
    expect((await post(limited, '/v1/requests', newRequest(), {}, from('10.1.0.2'))).status).toBe(201)
    expect((await post(limited, '/v1/requests', newRequest(), {}, viaGateway('10.1.0.3'))).status).toBe(201)
  })

  it('never takes the client from X-Forwarded-For, which anyone can write', async () => {
    const statuses = []
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await post(
            limited,
            '/v1/requests',
            newRequest(),
            { 'x-forwarded-for': `192.0.2.${i}` },
            from('10.1.1.1'),
          )
        ).status,
      )
    expect(statuses.filter((status) => status === 429)).toHaveLength(2)
  })

  it('counts a phone across clients: a fourth request from a fourth address with the same phone is refused', async () => {
    const phone = freshPhone()
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push((await post(limited, '/v1/requests', newRequest(phone), {}, from(`10.2.0.${i}`))).status)
    expect(statuses).toEqual([201, 201, 201, 429])
    // The same number written otherwise is the same person.
    const written = `+62 ${phone.slice(1).replaceAll('-', ' ')}`
    const again = await post(limited, '/v1/requests', newRequest(written), {}, from('10.2.0.9'))
    expect(again.status).toBe(429)
    expect(again.headers.get('ratelimit-policy')).toContain('"phone";q=3;w=3600')
  })

  it('counts signed-in writes per account, not per address', async () => {
    const staff = await account('staff', '35.73', 'staff-busy')
    const statuses = []
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await post(
            limited,
            '/v1/programs',
            { region: '35.73', name: 'x', topics: [], timeZone: 'Asia/Jakarta' },
            staff,
            from(`10.3.0.${i}`),
          )
        ).status,
      )
    // Refused input still spends the quota: a flood of bad bodies is cut as early as good ones.
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429])
    const other = await post(
      limited,
      '/v1/programs',
      { region: '35.73', name: 'x', topics: [], timeZone: 'Asia/Jakarta' },
      await account('staff', '35.73', 'staff-calm'),
      from('10.3.0.1'),
    )
    expect(other.status).toBe(400)
  })

  it('shows a person a friendly page, in their language, when a form was sent too often', async () => {
    const address = from('10.4.0.1')
    for (let i = 0; i < 5; i++)
      await limited.request(
        '/daftar-mentor',
        { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        address,
      )
    const page = await limited.request(
      '/daftar-mentor?lang=en',
      { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      address,
    )
    expect(page.status).toBe(429)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0)
    const html = await page.text()
    expect(html).toContain('Sent too often')
    expect(html).toContain('Please try again in')
    const indonesian = await limited.request(
      '/minta-pendampingan',
      { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      address,
    )
    expect(await indonesian.text()).toContain('Terlalu sering dikirim')
  })

  it('counts reads per client too: a burst of reads is cut while another client reads on', async () => {
    const statuses = []
    for (let i = 0; i < LIMITS.read.limit + 3; i++)
      statuses.push(await limited.request('/v1/classes', {}, from('10.5.0.1')))
    expect(statuses.map((answer) => answer.status)).toEqual([
      ...Array(LIMITS.read.limit).fill(200),
      429,
      429,
      429,
    ])
    expect(statuses[0]?.headers.get('ratelimit-policy')).toBe('"read";q=20;w=60')
    expect(statuses[0]?.headers.get('ratelimit')).toMatch(/^"read";r=19;t=\d+$/)
    const refused = statuses.at(-1)
    if (!refused) throw new Error('no answer')
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await refused.json()).toMatchObject({ type: 'urn:pendamping:problem:rate-limited' })
    // A browser opening a page reads a page saying so, in its language.
    const page = await limited.request(
      '/kelas?lang=en',
      { headers: { accept: 'text/html' } },
      from('10.5.0.1'),
    )
    expect(page.status).toBe(429)
    expect(await page.text()).toContain('Too many requests')
    // Another client reads on; a signed-in account is counted as itself, not as its address.
    expect((await limited.request('/v1/classes', {}, from('10.5.0.2'))).status).toBe(200)
    const staff = await account('staff', '35.73', 'staff-reader')
    expect((await limited.request('/v1/programs', { headers: staff }, from('10.5.0.1'))).status).toBe(200)
  })

  it('counts a token that does not verify against the address, and says so in the headers', async () => {
    const forged = { authorization: 'Bearer not-a-token' }
    const statuses = []
    for (let i = 0; i < LIMITS.read.limit + 1; i++)
      statuses.push(await limited.request('/v1/programs', { headers: forged }, from('10.5.1.1')))
    expect(statuses.slice(0, -1).every((answer) => answer.status === 401)).toBe(true)
    expect(statuses[0]?.headers.get('ratelimit')).toMatch(/^"read";r=19;t=\d+$/)
    expect(statuses.at(-1)?.status).toBe(429)
  })

  it('lets a read through when its counter cannot be written (reads fail open, writes closed)', async () => {
    // What the SDK throws when DynamoDB cannot be reached, here for the counters' `UpdateItem` alone:
    // the read's own calls reach the table.
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const doc = {
      send: (command: object) =>
        command instanceof UpdateCommand ? Promise.reject(refused) : table.doc.send(command as never),
    }
    const app = createApp({
      store: { doc: doc as never, tableName: table.tableName },
      verifyToken: async () => ({}) as never,
      corsOrigins: [],
    })
    const read = await app.request('/v1/classes', {}, from('10.5.2.1'))
    expect(read.status).toBe(200)
    expect(read.headers.get('ratelimit')).toBeNull()
    expect((await app.request('/v1/requests', { method: 'POST' }, from('10.5.2.1'))).status).toBe(503)
  })

  it('leaves the health check and the API description out of the read quota: no counter, no header', async () => {
    const before = await scanTable(table)
    for (let i = 0; i < LIMITS.read.limit + 2; i++)
      for (const path of ['/health', '/openapi.json'])
        expect((await limited.request(path, {}, from('10.5.3.1'))).status).toBe(200)
    const docs = await limited.request('/docs', {}, from('10.5.3.1'))
    expect(docs.status).toBe(200)
    expect(docs.headers.get('ratelimit')).toBeNull()
    const counters = (await scanTable(table)).filter((item) => String(item.pk).startsWith('RATELIMIT#'))
    expect(counters).toEqual(before.filter((item) => String(item.pk).startsWith('RATELIMIT#')))
    // The same client's reads of everything else are counted from the first.
    const read = await limited.request('/v1/classes', {}, from('10.5.3.1'))
    expect(read.headers.get('ratelimit')).toMatch(/^"read";r=19;t=\d+$/)
  })

  it('counts class registrations per phone across clients, as requests are', async () => {
    const classId = await openClassNow()
    const phone = freshPhone()
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await post(
            limited,
            `/v1/classes/${classId}/registrations`,
            classRegistration(phone),
            {},
            from(`10.6.0.${i}`),
          )
        ).status,
      )
    // One seat per phone per class (409), and the phone's quota counted on every try.
    expect(statuses).toEqual([201, 409, 409, 429])
    const written = `+62 ${phone.slice(1).replaceAll('-', ' ')}`
    const again = await post(
      limited,
      `/v1/classes/${classId}/registrations`,
      classRegistration(written),
      {},
      from('10.6.0.9'),
    )
    expect(again.status).toBe(429)
    expect(again.headers.get('ratelimit-policy')).toContain('"phone";q=3;w=3600')
    const registrations = (await scanTable(table, 'registration')).filter((item) => item.classId === classId)
    expect(registrations).toHaveLength(1)
  })
})

describe('A flood of 1 000 writes from one client', { timeout: 240_000 }, () => {
  it('leaves no more in the table than the limits allow, on every public write', async () => {
    // A still clock: the whole flood falls in one window (across a boundary a fixed window would
    // allow its quota once more, as fairness.md says).
    const still = new Date()
    const flood = await testApp(table, {
      clock: { now: () => still },
      rateLimits: { ...LIMITS, phone: { name: 'phone', limit: 1000, windowSeconds: 60 } },
    })
    const classId = await openClassNow(500)
    const before = {
      requests: (await scanTable(table, 'request')).length,
      mentors: (await scanTable(table, 'mentor')).length,
      registrations: (await scanTable(table, 'registration')).length,
    }
    const address = from('10.9.9.9')
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const writes: Array<() => Response | Promise<Response>> = [
      () => post(flood.app, '/v1/requests', newRequest(), {}, address),
      () => post(flood.app, '/v1/mentor-applications', application(), {}, address),
      () => flood.app.request('/minta-pendampingan', { method: 'POST', headers: form, body: 'x=1' }, address),
      () => flood.app.request('/daftar-mentor', { method: 'POST', headers: form, body: 'x=1' }, address),
      () => post(flood.app, `/v1/classes/${classId}/registrations`, classRegistration(), {}, address),
      () => flood.app.request(`/kelas/${classId}`, { method: 'POST', headers: form, body: 'x=1' }, address),
    ]
    const statuses: number[] = []
    const kinds: number[] = []
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, async (_, index) => {
          const write = writes[index % writes.length]
          if (!write) throw new Error('no write')
          return write()
        }),
      )
      statuses.push(...batch.map((response) => response.status))
      kinds.push(...batch.map((_, index) => index % writes.length))
    }
    expect(statuses).toHaveLength(1000)
    expect(statuses.filter((status) => status === 429)).toHaveLength(1000 - LIMITS.client.limit)
    // Every kind of write was cut, the class registrations (API and form) among them.
    for (let kind = 0; kind < writes.length; kind++)
      expect(
        statuses.filter((status, index) => kinds[index] === kind && status === 429).length,
      ).toBeGreaterThan(100)
    const after = {
      requests: (await scanTable(table, 'request')).length,
      mentors: (await scanTable(table, 'mentor')).length,
      registrations: (await scanTable(table, 'registration')).length,
    }
    const created =
      after.requests -
      before.requests +
      (after.mentors - before.mentors) +
      (after.registrations - before.registrations)
    expect(created).toBeLessThanOrEqual(LIMITS.client.limit)
    // Only the counters were written for the rest: one window item per client and phone.
    const windows = await scanTable(table, 'rateLimit')
    expect(windows.every((item) => typeof item.expiresAt === 'number')).toBe(true)
    expect(JSON.stringify(windows)).not.toContain('10.9.9.9')
  })
})

describe('One person, one open request per program', { timeout: 120_000 }, () => {
  it('admits one of 50 parallel submissions with one phone; the rest are told where their request is', async () => {
    const programId = await openProgram()
    const phone = freshPhone()
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(open, '/v1/requests', newRequest(phone, { programId, segment: 'umum' })),
      ),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(1)
    expect(statuses.filter((status) => status === 409)).toHaveLength(49)
    const refused = answers.find((answer) => answer.status === 409)
    const problem = (await refused?.json()) as { type: string; detail: string }
    expect(problem.type).toBe('urn:pendamping:problem:phone-has-request')
    expect(problem.detail).toContain('tautan pelacakan')
    const stored = (await scanTable(table, 'request')).filter((item) => item.programId === programId)
    expect(stored).toHaveLength(1)
    expect(await scanTable(table, 'programPhone')).toEqual(
      expect.arrayContaining([expect.objectContaining({ programId, requestId: stored[0]?.id })]),
    )
    // The claim holds a hash, never the phone.
    expect(JSON.stringify(await scanTable(table, 'programPhone'))).not.toMatch(/\+62|0812/)
  })

  it('lets the same phone into another program, and out of the program without one', async () => {
    const [first, second] = [await openProgram(), await openProgram()]
    const phone = freshPhone()
    expect(
      (await post(open, '/v1/requests', newRequest(phone, { programId: first, segment: 'umum' }))).status,
    ).toBe(201)
    expect(
      (await post(open, '/v1/requests', newRequest(phone, { programId: second, segment: 'umum' }))).status,
    ).toBe(201)
    expect((await post(open, '/v1/requests', newRequest(phone))).status).toBe(201)
  })

  it('frees the phone when the request is cancelled, and when it is erased', async () => {
    const programId = await openProgram()
    const phone = freshPhone()
    const body = newRequest(phone, { programId, segment: 'umum' })
    const first = (await (await post(open, '/v1/requests', body)).json()) as {
      id: string
      trackingToken: string
    }
    expect((await post(open, '/v1/requests', body)).status).toBe(409)
    expect(
      (await post(open, `/v1/requests/${first.id}/cancel`, {}, { 'x-tracking-token': first.trackingToken }))
        .status,
    ).toBe(200)
    const second = await post(open, '/v1/requests', body)
    expect(second.status).toBe(201)
    const { id, trackingToken } = (await second.json()) as { id: string; trackingToken: string }
    const erased = await open.request(`/v1/requests/${id}`, {
      method: 'DELETE',
      headers: { 'x-tracking-token': trackingToken },
    })
    expect(erased.status).toBe(204)
    expect((await post(open, '/v1/requests', body)).status).toBe(201)
  })

  it('lets a phone ask again once its request became unmatched or completed (the claim is taken over)', async () => {
    const programId = await openProgram()
    const phone = freshPhone()
    const body = newRequest(phone, { programId, segment: 'umum' })
    for (const outcome of ['unmatched', 'completed'] as const) {
      const answer = (await (await post(open, '/v1/requests', body)).json()) as { id: string }
      expect((await post(open, '/v1/requests', body)).status).toBe(409)
      const request = await getRequest(store, answer.id)
      if (!request) throw new Error('no request')
      await transact(store, [
        [
          'request',
          Request.update(request, { set: { status: outcome, updatedAt: new Date().toISOString() } }),
        ],
      ])
      const again = await Promise.all([post(open, '/v1/requests', body), post(open, '/v1/requests', body)])
      expect(again.map((response) => response.status).sort()).toEqual([201, 409])
      // The newest holds the phone again, so the next round starts from a held claim.
      const holder = (await again.find((response) => response.status === 201)?.json()) as { id: string }
      const current = await getRequest(store, holder.id)
      if (!current) throw new Error('no request')
      await transact(store, [
        [
          'request',
          Request.update(current, { set: { status: 'completed', updatedAt: new Date().toISOString() } }),
        ],
      ])
    }
  })
})

describe('Tracking tokens stay out of URLs', () => {
  async function submitted() {
    return (await (await post(open, '/v1/requests', newRequest())).json()) as {
      id: string
      trackingToken: string
    }
  }

  it('exchanges the link’s token for a __Host- cookie of that request and a 303 to the clean address', async () => {
    const { id, trackingToken } = await submitted()
    const first = await open.request(`/lacak/${id}?token=${trackingToken}&lang=en`)
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe(`/lacak/${id}?lang=en`)
    const cookie = first.headers.get('set-cookie') ?? ''
    expect(cookie).toContain(`__Host-track-${id}=${trackingToken}`)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/Secure/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(first.headers.get('referrer-policy')).toBe('no-referrer')

    const page = await open.request(`/lacak/${id}`, {
      headers: { cookie: `__Host-track-${id}=${trackingToken}` },
    })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Warung Kopi Mbak Rini')
    expect(html).not.toContain(trackingToken)
    // Without the cookie (another browser), or with another request's, nothing is shown.
    expect((await open.request(`/lacak/${id}`)).status).toBe(404)
    const other = await submitted()
    expect(
      (
        await open.request(`/lacak/${id}`, {
          headers: { cookie: `__Host-track-${other.id}=${other.trackingToken}` },
        })
      ).status,
    ).toBe(404)
    // A wrong link sets nothing.
    const wrong = await open.request(`/lacak/${id}?token=${'A'.repeat(43)}`)
    expect(wrong.status).toBe(404)
    expect(wrong.headers.get('set-cookie') ?? '').not.toContain('__Host-track-')
  })

  it('takes the token only in X-Tracking-Token on the API, and documents no token in any URL', async () => {
    const { id, trackingToken } = await submitted()
    expect((await open.request(`/v1/requests/${id}?token=${trackingToken}`)).status).toBe(401)
    expect(
      (await open.request(`/v1/requests/${id}`, { headers: { 'x-tracking-token': trackingToken } })).status,
    ).toBe(200)
    const spec = JSON.stringify(await (await open.request('/openapi.json')).json())
    expect(spec).not.toMatch(/"name":"token","in":"query"/)
  })

  it('lets the owner make a new link from the tracking page; the old one stops working at once', async () => {
    const { id, trackingToken } = await submitted()
    const page = await open.request(`/lacak/${id}`, {
      headers: { cookie: `__Host-track-${id}=${trackingToken}` },
    })
    const csrfCookie = /__Host-pd_csrf=([\w-]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1]
    const field = /name="_csrf" value="([\w-]+)"/.exec(await page.text())?.[1]
    expect(csrfCookie).toBeDefined()
    const rotated = await open.request(`/lacak/${id}/tautan-baru`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `__Host-track-${id}=${trackingToken}; __Host-pd_csrf=${csrfCookie}`,
      },
      body: `_csrf=${field}`,
    })
    expect(rotated.status).toBe(200)
    const fresh = new RegExp(`__Host-track-${id}=([\\w-]{43})`).exec(
      rotated.headers.get('set-cookie') ?? '',
    )?.[1]
    expect(fresh).toBeDefined()
    expect(fresh).not.toBe(trackingToken)
    expect(await rotated.text()).toContain(`/lacak/${id}?token=${fresh}`)
    expect(
      (await open.request(`/v1/requests/${id}`, { headers: { 'x-tracking-token': trackingToken } })).status,
    ).toBe(404)
    expect(
      (await open.request(`/v1/requests/${id}`, { headers: { 'x-tracking-token': fresh ?? '' } })).status,
    ).toBe(200)
  })

  it('lets staff of the region revoke a token; others cannot', async () => {
    const { id, trackingToken } = await submitted()
    const revoke = (headers: Record<string, string>) =>
      post(open, `/v1/requests/${id}/tracking-token/revoke`, {}, headers)
    expect((await revoke({})).status).toBe(401)
    expect((await revoke({ 'x-tracking-token': trackingToken })).status).toBe(401)
    expect((await revoke(await account('mentor', '35.73'))).status).toBe(403)
    expect((await revoke(await account('staff', '35.78'))).status).toBe(404)
    expect(
      (await open.request(`/v1/requests/${id}`, { headers: { 'x-tracking-token': trackingToken } })).status,
    ).toBe(200)
    expect((await revoke(await account('staff', '35'))).status).toBe(204)
    expect(
      (await open.request(`/v1/requests/${id}`, { headers: { 'x-tracking-token': trackingToken } })).status,
    ).toBe(404)
    expect((await revoke(await account('admin', '*'))).status).toBe(204)
  })
})

describe('Participant tokens stay out of URLs', () => {
  let classId: string
  beforeAll(async () => {
    classId = await openClassNow()
  })

  async function registered() {
    const answer = await post(open, `/v1/classes/${classId}/registrations`, classRegistration())
    expect(answer.status).toBe(201)
    return (await answer.json()) as { id: string; participantId: string; participantToken: string }
  }
  const cookieOf = (id: string, token: string) => `__Host-participant-${id}=${token}`
  /** The participant's page in a browser holding their cookie: its CSRF cookie and field, and its HTML. */
  async function pageOf(id: string, token: string) {
    const page = await open.request(`/peserta/${id}`, { headers: { cookie: cookieOf(id, token) } })
    const html = await page.text()
    return {
      page,
      html,
      csrf: /__Host-pd_csrf=([\w-]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '',
      field: /name="_csrf" value="([\w-]+)"/.exec(html)?.[1] ?? '',
    }
  }
  const api = (id: string, token: string) =>
    open.request(`/v1/participants/${id}`, { headers: { 'x-tracking-token': token } })

  it('exchanges the link’s token for a __Host- cookie of that participant and a 303 to the clean address', async () => {
    const { participantId: id, participantToken: token } = await registered()
    const first = await open.request(`/peserta/${id}?token=${token}&lang=en`)
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe(`/peserta/${id}?lang=en`)
    const cookie = first.headers.get('set-cookie') ?? ''
    expect(cookie).toContain(cookieOf(id, token))
    for (const part of [/Path=\//, /HttpOnly/, /Secure/, /SameSite=Lax/]) expect(cookie).toMatch(part)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(first.headers.get('referrer-policy')).toBe('no-referrer')

    const { page, html } = await pageOf(id, token)
    expect(page.status).toBe(200)
    expect(html).toContain('Sinau TikTok untuk Warung')
    // No form or link of the page carries the token: forms rely on the cookie and CSRF.
    expect(html).not.toContain(token)
    expect(html).not.toContain('name="token"')
    expect(html).toContain(`/kelas?participant=${id}"`)
    // Another browser (no cookie), another participant's cookie, or a wrong link: nothing.
    expect((await open.request(`/peserta/${id}`)).status).toBe(404)
    const other = await registered()
    expect(
      (
        await open.request(`/peserta/${id}`, {
          headers: { cookie: cookieOf(other.participantId, other.participantToken) },
        })
      ).status,
    ).toBe(404)
    const wrong = await open.request(`/peserta/${id}?token=${'A'.repeat(43)}`)
    expect(wrong.status).toBe(404)
    expect(wrong.headers.get('set-cookie') ?? '').not.toContain('__Host-participant-')
  })

  it('registers the holder for another class by the cookie, never a token in the address or the form', async () => {
    const { participantId: id, participantToken: token } = await registered()
    const other = await openClassNow()
    const page = await open.request(`/kelas/${other}?participant=${id}`, {
      headers: { cookie: cookieOf(id, token) },
    })
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Anda mendaftar sebagai Dewi Lestari')
    expect(html).not.toContain(token)
    const csrf = /__Host-pd_csrf=([\w-]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? ''
    const field = /name="_csrf" value="([\w-]+)"/.exec(html)?.[1] ?? ''
    const form = new URLSearchParams({
      _csrf: field,
      participantId: id,
      segment: 'umum',
      submission: 'again-1',
    })
    const sent = (cookie: string) =>
      open.request(`/kelas/${other}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `${cookie}; __Host-pd_csrf=${csrf}`,
        },
        body: form.toString(),
      })
    // Without the participant's cookie the form names someone this browser cannot act for.
    expect((await sent('x=1')).status).toBe(404)
    expect((await sent(cookieOf(id, token))).status).toBe(201)
    const view = (await (await api(id, token)).json()) as { registrations: unknown[] }
    expect(view.registrations).toHaveLength(2)
  })

  it('cancels by the cookie and CSRF; the form carries no token', async () => {
    const { id: registration, participantId: id, participantToken: token } = await registered()
    const { csrf, field } = await pageOf(id, token)
    const cancel = (cookie: string, body = `_csrf=${field}&registration=${registration}`) =>
      open.request(`/peserta/${id}/batal`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body,
      })
    expect((await cancel(`__Host-pd_csrf=${csrf}`)).status).toBe(404)
    expect((await cancel(cookieOf(id, token))).status).toBe(403)
    const done = await cancel(`${cookieOf(id, token)}; __Host-pd_csrf=${csrf}`)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('Pendaftaran dibatalkan.')
  })

  it('lets the participant make a new link from their page; the old one stops working at once', async () => {
    const { participantId: id, participantToken: token } = await registered()
    const { csrf, field } = await pageOf(id, token)
    const rotated = await open.request(`/peserta/${id}/tautan-baru`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${cookieOf(id, token)}; __Host-pd_csrf=${csrf}`,
      },
      body: `_csrf=${field}`,
    })
    expect(rotated.status).toBe(200)
    const fresh = new RegExp(`__Host-participant-${id}=([\\w-]{43})`).exec(
      rotated.headers.get('set-cookie') ?? '',
    )?.[1]
    expect(fresh).toBeDefined()
    expect(fresh).not.toBe(token)
    expect(await rotated.text()).toContain(`/peserta/${id}?token=${fresh}`)
    expect((await api(id, token)).status).toBe(404)
    expect((await api(id, fresh ?? '')).status).toBe(200)
    // The old cookie opens nothing any more, and the browser is told to forget it.
    const stale = await open.request(`/peserta/${id}`, { headers: { cookie: cookieOf(id, token) } })
    expect(stale.status).toBe(404)
    expect(stale.headers.get('set-cookie')).toMatch(new RegExp(`__Host-participant-${id}=;.*Max-Age=0`))
    // On the API, the token goes in X-Tracking-Token only.
    const again = await open.request(`/v1/participants/${id}/token`, {
      method: 'POST',
      headers: { 'x-tracking-token': fresh ?? '' },
    })
    expect(again.status).toBe(200)
    expect((await again.json()) as { participantToken: string }).toMatchObject({ id })
  })

  it('lets staff of the region revoke a participant’s link; others cannot', async () => {
    const { participantId: id, participantToken: token } = await registered()
    const revoke = async (headers: Record<string, string>) =>
      (await send(open, `/v1/participants/${id}/token/revoke`, headers)).status
    expect(await revoke({})).toBe(401)
    expect(await revoke({ 'x-tracking-token': token })).toBe(401)
    expect(await revoke(await account('mentor', '35.73'))).toBe(403)
    expect(await revoke(await account('staff', '35.78'))).toBe(404)
    expect((await api(id, token)).status).toBe(200)
    expect(await revoke(await account('staff', '35'))).toBe(204)
    expect((await api(id, token)).status).toBe(404)
    expect((await pageOf(id, token)).page.status).toBe(404)
    expect(await revoke(await account('admin', '*'))).toBe(204)
    expect(await revoke(await account('staff', '35.73'))).toBe(204)
  })
})

describe('Hardening', () => {
  it('never replays a rotated token to a caller without the token that rotated it', async () => {
    const submittedAnswer = (await (await post(open, '/v1/requests', newRequest())).json()) as {
      id: string
      trackingToken: string
    }
    const other = (await (await post(open, '/v1/requests', newRequest())).json()) as { trackingToken: string }
    const rotate = (headers: Record<string, string>) =>
      post(
        open,
        `/v1/requests/${submittedAnswer.id}/tracking-token`,
        {},
        { 'idempotency-key': 'rotate-once-1', ...headers },
      )
    const first = await rotate({ 'x-tracking-token': submittedAnswer.trackingToken })
    expect(first.status).toBe(200)
    const { trackingToken: fresh } = (await first.json()) as { trackingToken: string }
    // The owner's own retry gets the same answer…
    const retry = await rotate({ 'x-tracking-token': submittedAnswer.trackingToken })
    expect(retry.headers.get('idempotency-replayed')).toBe('true')
    expect(((await retry.json()) as { trackingToken: string }).trackingToken).toBe(fresh)
    // …anyone else with the key does not.
    for (const headers of [{}, { 'x-tracking-token': other.trackingToken }] as Array<
      Record<string, string>
    >) {
      const replay = await rotate(headers)
      expect(replay.status).not.toBe(200)
      expect(await replay.text()).not.toContain(fresh)
    }
  })

  it('refuses control and bidirectional-override characters in free text, and keeps line breaks', async () => {
    for (const [path, text] of [
      ['description', 'Jual kopi\u202Egnp.exe'],
      ['description', 'Jual\u0000kopi'],
      ['business.name', 'Kopi\u2066Rini'],
      ['business.ownerName', 'Rini\u0007'],
    ] as const) {
      const body = newRequest()
      if (path === 'description') body.description = text
      else body.business[path === 'business.name' ? 'name' : 'ownerName'] = text
      const response = await post(open, '/v1/requests', body)
      expect(response.status, path).toBe(400)
      const problem = (await response.json()) as { errors: Array<{ path: string; code: string }> }
      expect(problem.errors).toContainEqual(expect.objectContaining({ path, code: 'control_chars' }))
    }
    const multiline = newRequest()
    multiline.description = 'Baris satu.\nBaris dua.\r\n\tTerima kasih.'
    expect((await post(open, '/v1/requests', multiline)).status).toBe(201)
  })

  it('answers 404 to staff for the lists of a program they do not cover', async () => {
    const programId = await openProgram()
    const list = async (region: string) =>
      (
        await open.request(`/v1/requests?status=matching&program=${programId}`, {
          headers: await account('staff', region),
        })
      ).status
    expect(await list('35.73')).toBe(200)
    expect(await list('35')).toBe(200)
    expect(await list('35.73.01')).toBe(200)
    expect(await list('35.78')).toBe(404)
    expect(await list('51')).toBe(404)
    expect(
      (
        await open.request('/v1/requests?status=matching&program=nosuchprogram', {
          headers: await account('staff', '35.73'),
        })
      ).status,
    ).toBe(404)
  })

  it('forbids base URIs and plugins in the content security policy', async () => {
    const csp = (await open.request('/health')).headers.get('content-security-policy') ?? ''
    expect(csp).toContain("base-uri 'none'")
    expect(csp).toContain("object-src 'none'")
  })
})

describe('CSRF on the pages', () => {
  async function form() {
    const page = await open.request('/daftar-mentor')
    const cookie = page.headers.get('set-cookie') ?? ''
    const token = /__Host-pd_csrf=([\w-]+)/.exec(cookie)?.[1]
    expect(cookie).toMatch(/^__Host-pd_csrf=[\w-]{43}; .*Secure/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Domain=/)
    return token ?? ''
  }
  const send = (token: string, headers: Record<string, string>) =>
    open.request('http://localhost/daftar-mentor', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `__Host-pd_csrf=${token}`,
        ...headers,
      },
      body: `_csrf=${token}&name=x`,
    })

  it('lets only same-origin posts through, judging old browsers by Origin', async () => {
    const token = await form()
    expect((await send(token, { 'sec-fetch-site': 'same-origin' })).status).toBe(400)
    expect((await send(token, { 'sec-fetch-site': 'same-site' })).status).toBe(403)
    expect((await send(token, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await send(token, { 'sec-fetch-site': 'none' })).status).toBe(403)
    expect((await send(token, { origin: 'http://localhost' })).status).toBe(400)
    expect((await send(token, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await send(token, {})).status).toBe(400)
    // The old cookie name opens nothing.
    const old = await open.request('http://localhost/daftar-mentor', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pd_csrf=${token}` },
      body: `_csrf=${token}&name=x`,
    })
    expect(old.status).toBe(403)
  })
})
