import type { createApp } from '@pendamping/functions/api/app'
import type { LocalKeySet } from '@pendamping/scripts/local/keys'
import { testApp } from '@pendamping/scripts/testing/app'
import { outboxEvents, scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'

const table = useTestTable()
let signer: LocalKeySet
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  ;({ app, keys: signer } = await testApp(table))
})

type Who =
  | 'anonymous'
  | 'owner'
  | 'wrong-token'
  | 'other-owner'
  | 'staff'
  | 'staff-province'
  | 'staff-other'
  | 'mentor'
  | 'admin'

async function account(role: 'staff' | 'mentor' | 'admin', region: string) {
  return { authorization: `Bearer ${await signer.sign({ sub: `${role}-${region}`, role, region })}` }
}

async function headersFor(who: Who, token: string, otherToken: string): Promise<Record<string, string>> {
  switch (who) {
    case 'anonymous':
      return {}
    case 'owner':
      return { 'x-tracking-token': token }
    case 'wrong-token':
      return { 'x-tracking-token': `${token.slice(0, -4)}AAAA` }
    case 'other-owner':
      return { 'x-tracking-token': otherToken }
    case 'staff':
      return account('staff', '35.73')
    case 'staff-province':
      return account('staff', '35')
    case 'staff-other':
      return account('staff', '35.78')
    case 'mentor':
      return account('mentor', '35.73')
    case 'admin':
      return account('admin', '*')
  }
}

function newRequest(overrides: Record<string, unknown> = {}, business: Record<string, unknown> = {}) {
  return {
    business: {
      name: 'Keripik Tempe Sanan',
      ownerName: 'Siti Aminah',
      phone: '0812-3456-7890',
      email: 'siti@example.id',
      region: '35.73.05',
      sector: 'kuliner',
      annualSales: 480_000_000,
      currentChannels: ['whatsapp', 'offline_store'],
      ...business,
    },
    needs: ['marketplace', 'packaging'],
    description: 'Ingin jualan keripik tempe di Shopee dan memperbaiki kemasan.',
    mode: 'either',
    languages: ['id', 'jv'],
    availability: [{ day: 'tue', from: '13:00', to: '16:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
    ...overrides,
  }
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function submit(overrides: Record<string, unknown> = {}, business: Record<string, unknown> = {}) {
  const response = await post('/v1/requests', newRequest(overrides, business))
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; status: string; trackingToken: string }
}

async function createProgram(body: Record<string, unknown> = {}) {
  const response = await post(
    '/v1/programs',
    {
      region: '35.73',
      name: 'Kelas Ekspor Kota Malang',
      topics: ['marketplace', 'packaging', 'ekspor'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-03-01T00:00:00+07:00',
      endsAt: '2030-12-31T00:00:00+07:00',
      segments: { umum: 10 },
      status: 'open',
      ...body,
    },
    await account('staff', '35.73'),
  )
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string }
}

describe('Submitting a request', () => {
  it('answers 201 with a tracking token and stores only its hash', async () => {
    const answer = await submit()
    expect(answer).toEqual({ id: expect.any(String), status: 'matching', trackingToken: expect.any(String) })
    expect(answer.trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const [item] = (await scanTable(table, 'request')).filter((stored) => stored.id === answer.id)
    expect(item).toMatchObject({
      status: 'matching',
      programId: null,
      sizeClass: 'mikro',
      timeZone: 'Asia/Jakarta',
      business: { phone: '+6281234567890', currentChannels: ['whatsapp', 'offline_store'] },
      consent: { accepted: true, purposeVersion: '2026-11', recordedAt: expect.any(String) },
      excludedMentorIds: [],
      offerCount: 0,
      // The staff lists are spread over four write shards (docs/contract/budgets.md).
      byRegionPk: expect.stringMatching(/^REQUEST#matching#[0-3]$/),
    })
    expect(JSON.stringify(item)).not.toContain(answer.trackingToken)
    expect(item?.tokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('emits RequestSubmitted in the same write, without personal data', async () => {
    const answer = await submit()
    const event = (await outboxEvents(table, 'RequestSubmitted')).find(
      (e) => e.detail.requestId === answer.id,
    )
    expect(event?.detail).toMatchObject({ status: 'matching', region: '35.73.05', sizeClass: 'mikro' })
    expect(JSON.stringify(event)).not.toMatch(/Siti|Keripik|\+62812|example\.id|Shopee/)
  })

  it('accepts an HTML form post with dotted and bracketed names and repeated keys', async () => {
    const form = new URLSearchParams([
      ['business.name', 'Batik Tulis Celaket'],
      ['business[ownerName]', 'Dewi Lestari'],
      ['business.phone', '+62 341 551234'],
      ['business.email', ''],
      ['business.region', '35.73.02'],
      ['business.sector', 'fashion'],
      ['business.annualSales', '5000000000'],
      ['business.currentChannels', 'instagram'],
      ['needs', 'branding'],
      ['needs', 'website'],
      ['description', 'Butuh logo baru dan toko online.'],
      ['mode', 'offline'],
      ['languages[]', 'id'],
      ['availability[0][day]', 'wed'],
      ['availability[0][from]', '10:00'],
      ['availability[0][to]', '12:00'],
      ['consent.accepted', 'on'],
      ['consent.purposeVersion', '2026-11'],
    ])
    const response = await app.request('/v1/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(response.status).toBe(201)
    const answer = await response.json()
    const [item] = (await scanTable(table, 'request')).filter((stored) => stored.id === answer.id)
    expect(item).toMatchObject({
      sizeClass: 'kecil',
      needs: ['branding', 'website'],
      languages: ['id'],
      availability: [{ day: 'wed', from: '10:00', to: '12:00' }],
      business: {
        name: 'Batik Tulis Celaket',
        phone: '+62341551234',
        email: null,
        currentChannels: ['instagram'],
      },
    })
  })

  it('refuses a form with the same field errors as JSON', async () => {
    const response = await app.request('/v1/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      body: 'business.name=X&needs=seo&consent.accepted=off',
    })
    expect(response.status).toBe(400)
    const problem = await response.json()
    const paths = problem.errors.map((error: { path: string }) => error.path)
    expect(paths).toEqual(
      expect.arrayContaining(['business.name', 'business.phone', 'consent.accepted', 'mode']),
    )
  })

  it('refuses other media types with 415', async () => {
    const response = await app.request('/v1/requests', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(newRequest()),
    })
    expect(response.status).toBe(415)
  })

  it('takes program-specific needs only from that program', async () => {
    const program = await createProgram()
    const ok = await post(
      '/v1/requests',
      newRequest({ programId: program.id, segment: 'umum', needs: ['ekspor', 'packaging'] }),
    )
    expect(ok.status).toBe(201)
    const missing = await post(
      '/v1/requests',
      newRequest({ programId: program.id, segment: 'umum', needs: ['packaging', 'halal_certification'] }),
    )
    expect(missing.status).toBe(400)
    expect((await missing.json()).errors).toEqual([
      expect.objectContaining({ path: 'needs.1', code: 'topic' }),
    ])
    const without = await post('/v1/requests', newRequest({ needs: ['ekspor'] }))
    expect(without.status).toBe(400)
  })

  it('tells which part of a program refused the request, writing nothing', async () => {
    const program = await createProgram()
    const draft = await createProgram({ status: 'draft' })
    const before = (await scanTable(table)).length
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, number, string]> = [
      [{ programId: 'no-such-program', segment: 'umum' }, {}, 400, 'programId'],
      [{ programId: program.id, segment: 'asn' }, {}, 400, 'segment'],
      [{ programId: program.id, segment: 'umum' }, { region: '35.78.01' }, 400, 'business.region'],
      [{ programId: draft.id, segment: 'umum' }, {}, 409, ''],
      [{ programId: program.id }, {}, 400, 'segment'],
    ]
    for (const [overrides, business, status, path] of cases) {
      const response = await post('/v1/requests', newRequest(overrides, business))
      expect(response.status, JSON.stringify(overrides)).toBe(status)
      const problem = await response.json()
      if (path) expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path)
      else expect(problem.type).toBe('urn:pendamping:problem:program-not-open')
    }
    expect((await scanTable(table)).length).toBe(before)
  })
})

describe('Bad input (invariant 8)', () => {
  const cases: Array<[string, unknown, string[]]> = [
    [
      'wrong types',
      newRequest({ needs: 'seo', mode: 3 }, { name: 5, annualSales: 'lots' }),
      ['business.name', 'business.annualSales', 'needs', 'mode'],
    ],
    ['unknown fields in business', newRequest({}, { isVerified: true }), ['business']],
    ['unknown top-level field', newRequest({ status: 'active' }), ['']],
    [
      'oversize strings',
      newRequest({ description: 'x'.repeat(2001) }, { name: 'x'.repeat(121) }),
      ['description', 'business.name'],
    ],
    [
      'oversize arrays',
      newRequest({
        languages: ['id', 'en', 'jv', 'su', 'mad', 'ban'],
        availability: Array.from({ length: 22 }, () => ({ day: 'mon', from: '08:00', to: '09:00' })),
      }),
      ['languages', 'availability'],
    ],
    ['invalid region', newRequest({}, { region: '35.99' }), ['business.region']],
    ['province-level region', newRequest({}, { region: '35' }), ['business.region']],
    ['invalid phone', newRequest({}, { phone: '+1 415 555 0100' }), ['business.phone']],
    ['invalid email', newRequest({}, { email: 'siti@' }), ['business.email']],
    [
      'invalid time of day',
      newRequest({ availability: [{ day: 'mon', from: '25:00', to: '26:00' }] }),
      ['availability.0.from'],
    ],
    [
      'slot ending before it starts',
      newRequest({ availability: [{ day: 'mon', from: '15:00', to: '09:00' }] }),
      ['availability.0.to'],
    ],
    ['invalid time zone', newRequest({ timeZone: 'Europe/Berlin' }), ['timeZone']],
    ['no needs', newRequest({ needs: [] }), ['needs']],
    [
      'six needs',
      newRequest({ needs: ['seo', 'ads', 'content', 'branding', 'website', 'copywriting'] }),
      ['needs'],
    ],
    ['unknown topic', newRequest({ needs: ['crypto'] }), ['needs']],
    [
      'consent refused',
      newRequest({ consent: { accepted: false, purposeVersion: '2026-11' } }),
      ['consent.accepted'],
    ],
    ['no size class', newRequest({}, { annualSales: undefined }), ['business.sizeClass']],
    ['sales above UMKM', newRequest({}, { annualSales: 60_000_000_000 }), ['business.annualSales']],
  ]

  it.each(cases)(
    'refuses %s with 400 listing the fields, in Indonesian, writing nothing',
    async (_, body, paths) => {
      const before = (await scanTable(table)).length
      const response = await post('/v1/requests', body)
      expect(response.status).toBe(400)
      expect(response.headers.get('content-type')).toContain('application/problem+json')
      const problem = await response.json()
      expect(problem).toMatchObject({
        type: 'urn:pendamping:problem:validation',
        title: 'Data yang dikirim tidak valid',
      })
      expect(problem.errors.map((error: { path: string }) => error.path)).toEqual(
        expect.arrayContaining(paths),
      )
      expect(problem.detail).toMatch(/^Periksa kembali isian berikut/)
      expect((await scanTable(table)).length).toBe(before)
    },
  )

  it('speaks English when asked', async () => {
    const response = await post('/v1/requests', newRequest({ needs: [] }, { phone: '123' }), {
      'accept-language': 'en',
    })
    const problem = await response.json()
    expect(problem.title).toBe('The submitted data is invalid')
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'business.phone',
          message: 'Invalid phone number (e.g. 0812 3456 7890)',
        }),
        expect.objectContaining({ path: 'needs', message: 'Too short (at least 1)' }),
      ]),
    )
  })

  it('refuses malformed JSON and a malformed Idempotency-Key, writing nothing', async () => {
    const before = (await scanTable(table)).length
    const malformed = await post('/v1/requests', '{"business": {')
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).type).toBe('urn:pendamping:problem:malformed-body')
    const badKey = await post('/v1/requests', newRequest(), { 'idempotency-key': 'not a key!' })
    expect(badKey.status).toBe(400)
    expect((await badKey.json()).errors[0].path).toBe('Idempotency-Key')
    expect((await scanTable(table)).length).toBe(before)
  })
})

describe('Who may do what with a request (docs/contract/security.md)', () => {
  let other: { id: string; trackingToken: string }
  beforeAll(async () => {
    other = await submit({}, { name: 'Kopi Lereng Arjuno' })
  })

  const matrix: Array<
    [Who, { read: number; cancel: number; export: number; erase: number; rotate: number }]
  > = [
    ['anonymous', { read: 401, cancel: 401, export: 401, erase: 401, rotate: 401 }],
    ['owner', { read: 200, cancel: 200, export: 200, erase: 204, rotate: 200 }],
    ['wrong-token', { read: 404, cancel: 404, export: 404, erase: 404, rotate: 404 }],
    ['other-owner', { read: 404, cancel: 404, export: 404, erase: 404, rotate: 404 }],
    ['staff', { read: 200, cancel: 200, export: 403, erase: 403, rotate: 403 }],
    ['staff-province', { read: 200, cancel: 200, export: 403, erase: 403, rotate: 403 }],
    ['staff-other', { read: 404, cancel: 404, export: 403, erase: 403, rotate: 403 }],
    ['mentor', { read: 403, cancel: 403, export: 403, erase: 403, rotate: 403 }],
    ['admin', { read: 200, cancel: 200, export: 403, erase: 403, rotate: 403 }],
  ]

  it.each(matrix)('%s', async (who, expected) => {
    const check = async (method: string, path: (id: string) => string, status: number) => {
      const request = await submit()
      const headers = await headersFor(who, request.trackingToken, other.trackingToken)
      const response = await app.request(path(request.id), { method, headers })
      expect(response.status, `${method} ${path(':id')}`).toBe(status)
      if (status >= 400) {
        const body = JSON.stringify(await response.json())
        expect(body).not.toMatch(/Keripik|Siti|\+62/)
      }
      return { request, response }
    }
    const read = await check('GET', (id) => `/v1/requests/${id}`, expected.read)
    if (expected.read === 200) expect((await read.response.json()).business.name).toBe('Keripik Tempe Sanan')
    await check('POST', (id) => `/v1/requests/${id}/cancel`, expected.cancel)
    const exported = await check('GET', (id) => `/v1/requests/${id}/export`, expected.export)
    if (expected.export === 200) {
      expect(exported.response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="pendamping-/,
      )
      expect((await exported.response.json()).request.business.phone).toBe('+6281234567890')
    }
    await check('DELETE', (id) => `/v1/requests/${id}`, expected.erase)
    await check('POST', (id) => `/v1/requests/${id}/tracking-token`, expected.rotate)
  })

  it('takes the token only in X-Tracking-Token, never from a URL, and never caches the answer', async () => {
    const request = await submit()
    const inUrl = await app.request(`/v1/requests/${request.id}?token=${request.trackingToken}`)
    expect(inUrl.status).toBe(401)
    const response = await app.request(`/v1/requests/${request.id}`, {
      headers: { 'x-tracking-token': request.trackingToken },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('lists requests for staff and admins only', async () => {
    const statuses = await Promise.all(
      (['anonymous', 'owner', 'mentor', 'staff', 'staff-other', 'admin'] as const).map(async (who) => {
        const headers = await headersFor(who, other.trackingToken, other.trackingToken)
        return (await app.request('/v1/requests?status=matching', { headers })).status
      }),
    )
    expect(statuses).toEqual([401, 401, 403, 200, 200, 200])
  })
})

describe('The owner’s rights over their data (UU PDP)', () => {
  it('erases personal data, keeps the anonymous facts, revokes the token and cancels an open request', async () => {
    const program = await createProgram({ segments: { umum: 5 } })
    const request = await submit({ programId: program.id, segment: 'umum' })
    const response = await app.request(`/v1/requests/${request.id}`, {
      method: 'DELETE',
      headers: { 'x-tracking-token': request.trackingToken },
    })
    expect(response.status).toBe(204)
    const [item] = (await scanTable(table, 'request')).filter((stored) => stored.id === request.id)
    expect(item).toMatchObject({
      status: 'cancelled',
      business: null,
      description: null,
      tokenHash: null,
      erasedAt: expect.any(String),
      region: '35.73.05',
      sizeClass: 'mikro',
      needs: ['marketplace', 'packaging'],
    })
    expect(JSON.stringify(item)).not.toMatch(/Siti|Keripik|\+62|example\.id/)
    const events = await outboxEvents(table)
    expect(events.find((e) => e.type === 'RequestDeleted' && e.detail.requestId === request.id)).toBeDefined()
    expect(
      events.find((e) => e.type === 'RequestCancelled' && e.detail.requestId === request.id)?.detail
        .freedSeat,
    ).toBe(true)
    const again = await app.request(`/v1/requests/${request.id}`, {
      headers: { 'x-tracking-token': request.trackingToken },
    })
    expect(again.status).toBe(404)
    const seats = await app.request(`/v1/programs/${program.id}`, {
      headers: await account('staff', '35.73'),
    })
    expect((await seats.json()).seats.umum).toEqual({ quota: 5, admitted: 0, waitlisted: 0 })
  })

  it('replaces the tracking token: the old one stops working', async () => {
    const request = await submit()
    const rotated = await post(
      `/v1/requests/${request.id}/tracking-token`,
      {},
      { 'x-tracking-token': request.trackingToken },
    )
    expect(rotated.status).toBe(200)
    const { trackingToken } = await rotated.json()
    expect(trackingToken).not.toBe(request.trackingToken)
    const old = await app.request(`/v1/requests/${request.id}`, {
      headers: { 'x-tracking-token': request.trackingToken },
    })
    expect(old.status).toBe(404)
    const fresh = await app.request(`/v1/requests/${request.id}`, {
      headers: { 'x-tracking-token': trackingToken },
    })
    expect(fresh.status).toBe(200)
  })

  it('refuses to cancel twice, and replays a retried cancellation', async () => {
    const request = await submit()
    const headers = { 'x-tracking-token': request.trackingToken, 'idempotency-key': `cancel-${request.id}` }
    const first = await post(`/v1/requests/${request.id}/cancel`, {}, headers)
    expect(first.status).toBe(200)
    const retried = await post(`/v1/requests/${request.id}/cancel`, {}, headers)
    expect(retried.status).toBe(200)
    expect(retried.headers.get('idempotency-replayed')).toBe('true')
    const again = await post(
      `/v1/requests/${request.id}/cancel`,
      {},
      { 'x-tracking-token': request.trackingToken },
    )
    expect(again.status).toBe(409)
    expect((await again.json()).type).toBe('urn:pendamping:problem:request-not-open')
    const cancelled = (await outboxEvents(table, 'RequestCancelled')).filter(
      (e) => e.detail.requestId === request.id,
    )
    expect(cancelled).toHaveLength(1)
  })
})

describe('Listing requests (staff)', () => {
  it('pages through the region’s requests with an opaque cursor, and only theirs', async () => {
    const mine = await Promise.all(
      Array.from({ length: 5 }, (_, index) => submit({}, { region: '35.73.03', name: `Batik ${index}` })),
    )
    const theirs = await Promise.all(Array.from({ length: 2 }, () => submit({}, { region: '35.78.01' })))
    const read = async (who: Who, cursor?: string) => {
      const query = new URLSearchParams({ status: 'matching', limit: '2' })
      if (cursor) query.set('cursor', cursor)
      const response = await app.request(`/v1/requests?${query}`, { headers: await headersFor(who, '', '') })
      expect(response.status).toBe(200)
      return (await response.json()) as {
        items: Array<{ id: string; region: string; submittedAt: string }>
        nextCursor: string | null
      }
    }
    const seen: Array<{ id: string; region: string; submittedAt: string }> = []
    let cursor: string | undefined
    for (let pages = 0; pages < 100; pages++) {
      const page = await read('staff', cursor)
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items)
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    expect(seen.every((item) => item.region.startsWith('35.73'))).toBe(true)
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length)
    // One order across the shards and the pages: by region, then oldest first.
    const order = (item: { id: string; region: string; submittedAt: string }) =>
      `${item.region}#${item.submittedAt}#${item.id}`
    expect(seen.map(order)).toEqual(seen.map(order).sort())
    for (const request of mine) expect(seen.map((item) => item.id)).toContain(request.id)
    for (const request of theirs) expect(seen.map((item) => item.id)).not.toContain(request.id)
    expect(JSON.stringify(seen)).not.toMatch(/\+62|example\.id/)

    const surabaya = await read('staff-other')
    expect(surabaya.items.every((item) => item.region.startsWith('35.78'))).toBe(true)
  })

  it('refuses a forged cursor or one from another region’s list', async () => {
    const headers = await account('staff', '35.73')
    const forged = Buffer.from(JSON.stringify({ pk: 'x' })).toString('base64url')
    expect((await app.request(`/v1/requests?status=matching&cursor=${forged}`, { headers })).status).toBe(400)
    // A cursor holds each shard's position; one pointing into another region's or status's list is refused.
    const positions = (at: Record<string, string>) =>
      Buffer.from(JSON.stringify([at, null, null, null])).toString('base64url')
    const key = {
      pk: 'REQUEST#a',
      sk: 'REQUEST',
      byRegionPk: 'REQUEST#matching#0',
      byRegionSk: '35.73#2026#a',
    }
    expect(
      (await app.request(`/v1/requests?status=matching&cursor=${positions(key)}`, { headers })).status,
    ).toBe(200)
    for (const elsewhere of [
      { ...key, byRegionSk: '35.78#2026#a' },
      { ...key, byRegionPk: 'REQUEST#active#0' },
      { ...key, byRegionPk: 'REQUEST#matching#1' },
      { ...key, byRegionPk: 'REQUEST#matching' },
    ])
      expect(
        (await app.request(`/v1/requests?status=matching&cursor=${positions(elsewhere)}`, { headers }))
          .status,
      ).toBe(400)
    expect((await app.request('/v1/requests?status=matching&cursor=%%%', { headers })).status).toBe(400)
    expect((await app.request('/v1/requests?status=matching&limit=101', { headers })).status).toBe(400)
    expect((await app.request('/v1/requests?status=nonsense', { headers })).status).toBe(400)
  })
})

describe('The OpenAPI document', () => {
  it('describes the request and program routes with their schemas', async () => {
    const spec = await (await app.request('/openapi.json')).json()
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/requests',
        '/v1/requests/{id}',
        '/v1/requests/{id}/cancel',
        '/v1/programs',
        '/v1/programs/{id}',
      ]),
    )
    const submitOperation = spec.paths['/v1/requests'].post
    expect(submitOperation.summary).toBe('Ask for a mentor')
    expect(submitOperation.requestBody.content['application/json'].schema.properties.needs).toMatchObject({
      type: 'array',
      maxItems: 5,
    })
    expect(
      submitOperation.responses['201'].content['application/json'].schema.properties.trackingToken,
    ).toBeDefined()
  })
})
