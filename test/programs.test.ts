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

type Who = 'anonymous' | 'mentor' | 'staff' | 'staff-province' | 'staff-other' | 'admin'

async function headersFor(who: Who): Promise<Record<string, string>> {
  const sign = async (role: 'staff' | 'mentor' | 'admin', region: string) => ({
    authorization: `Bearer ${await signer.sign({ sub: `${role}-${region}`, role, region })}`,
  })
  switch (who) {
    case 'anonymous':
      return {}
    case 'mentor':
      return sign('mentor', '35.73')
    case 'staff':
      return sign('staff', '35.73')
    case 'staff-province':
      return sign('staff', '35')
    case 'staff-other':
      return sign('staff', '35.78')
    case 'admin':
      return sign('admin', '*')
  }
}

function program(overrides: Record<string, unknown> = {}) {
  return {
    region: '35.73',
    name: 'Pendampingan Digital UMKM Kota Malang 2026',
    topics: ['social_media', 'marketplace', 'content', 'ekspor'],
    timeZone: 'Asia/Jakarta',
    startsAt: '2026-02-01T00:00:00+07:00',
    endsAt: '2030-12-31T23:59:59+07:00',
    segments: { umum: 70, asn: 70 },
    ...overrides,
  }
}

async function send(
  method: string,
  path: string,
  who: Who,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.request(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(await headersFor(who)),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function created(who: Who = 'staff', overrides: Record<string, unknown> = {}) {
  const response = await send('POST', '/v1/programs', who, program(overrides))
  expect(response.status).toBe(201)
  return response.json()
}

describe('Creating a program', () => {
  it('stores the program, one seat counter per segment and ProgramCreated, with defaults', async () => {
    const info = await created()
    expect(info).toMatchObject({
      region: '35.73',
      status: 'draft',
      offerWindowHours: 48,
      matchingWindowDays: 5,
      startsAt: '2026-01-31T17:00:00.000Z',
      segments: { umum: 70, asn: 70 },
      seats: {
        umum: { quota: 70, admitted: 0, waitlisted: 0 },
        asn: { quota: 70, admitted: 0, waitlisted: 0 },
      },
    })
    const counters = (await scanTable(table, 'programSegment')).filter((item) => item.programId === info.id)
    expect(counters).toHaveLength(2)
    const [event] = (await outboxEvents(table, 'ProgramCreated')).filter(
      (e) => e.detail.programId === info.id,
    )
    expect(event?.detail).toMatchObject({ region: '35.73', status: 'draft', quotas: { umum: 70, asn: 70 } })
  })

  it.each([
    ['anonymous', '35.73', 401],
    ['mentor', '35.73', 403],
    ['staff', '35.73', 201],
    ['staff', '35.73.01', 201],
    ['staff', '35.78', 403],
    ['staff', '35', 403],
    ['staff-province', '35.73', 201],
    ['staff-other', '35.73', 403],
    ['admin', '11.01', 201],
  ] as const)('as %s in region %s → %i', async (who, region, status) => {
    expect((await send('POST', '/v1/programs', who, program({ region }))).status).toBe(status)
  })

  it.each([
    ['an unknown region', { region: '35.99' }, 'region'],
    ['a time zone outside Indonesia', { timeZone: 'Europe/Berlin' }, 'timeZone'],
    ['an end before the start', { endsAt: '2026-01-01T00:00:00+07:00' }, 'endsAt'],
    ['a date that is not ISO 8601', { startsAt: '1 Februari 2026' }, 'startsAt'],
    ['a segment name with capitals', { segments: { Umum: 70 } }, 'segments.Umum'],
    ['a negative quota', { segments: { umum: -1 } }, 'segments.umum'],
    ['no segment', { segments: {} }, 'segments'],
    ['a topic that is not a slug', { topics: ['Social Media'] }, 'topics.0'],
    ['duplicate topics', { topics: ['seo', 'seo'] }, 'topics'],
    ['an unknown field', { budget: 1_000_000 }, ''],
    ['a status beyond open', { status: 'closed' }, 'status'],
    ['a name too long', { name: 'x'.repeat(161) }, 'name'],
  ])('refuses %s with 400, writing nothing', async (_, overrides, path) => {
    const before = (await scanTable(table)).length
    const response = await send('POST', '/v1/programs', 'staff', program(overrides))
    expect(response.status).toBe(400)
    const problem = await response.json()
    expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path)
    expect((await scanTable(table)).length).toBe(before)
  })

  it('replays a retried creation with the same Idempotency-Key, creating one program', async () => {
    const before = (await scanTable(table, 'program')).length
    const headers = { 'idempotency-key': 'program-create-1' }
    const responses = await Promise.all(
      Array.from({ length: 5 }, async () => send('POST', '/v1/programs', 'staff', program(), headers)),
    )
    const bodies = await Promise.all(responses.map((response) => response.json()))
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201])
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1)
    expect((await scanTable(table, 'program')).length).toBe(before + 1)
    // The same key is the caller's own: another account's identical request is a new program.
    const admin = await send('POST', '/v1/programs', 'admin', program(), headers)
    expect((await admin.json()).id).not.toBe(bodies[0].id)
  })
})

describe('Reading programs', () => {
  it.each([
    ['anonymous', 401],
    ['mentor', 403],
    ['staff', 200],
    ['staff-province', 200],
    ['staff-other', 403],
    ['admin', 200],
  ] as const)('GET /v1/programs/{id} as %s → %i', async (who, status) => {
    const info = await created()
    expect((await send('GET', `/v1/programs/${info.id}`, who)).status).toBe(status)
  })

  it('answers 404 for a program that does not exist', async () => {
    expect((await send('GET', '/v1/programs/nope', 'staff')).status).toBe(404)
    expect((await send('GET', '/v1/programs/bad id!', 'staff')).status).toBe(400)
  })

  it('lists page by page with an opaque cursor: staff their region, admins all', async () => {
    const malang = await Promise.all(Array.from({ length: 5 }, () => created('staff')))
    const surabaya = await Promise.all(
      Array.from({ length: 2 }, () => created('staff-other', { region: '35.78' })),
    )
    const readAll = async (who: Who) => {
      const ids: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query = new URLSearchParams({ limit: '2' })
        if (cursor) query.set('cursor', cursor)
        const response = await send('GET', `/v1/programs?${query}`, who)
        expect(response.status).toBe(200)
        const page = await response.json()
        expect(page.items.length).toBeLessThanOrEqual(2)
        ids.push(...page.items.map((item: { id: string; region: string }) => item.id))
        cursor = page.nextCursor
        pages++
      } while (cursor && pages < 100)
      return ids
    }
    const staffIds = await readAll('staff')
    expect(new Set(staffIds).size).toBe(staffIds.length)
    for (const info of malang) expect(staffIds).toContain(info.id)
    for (const info of surabaya) expect(staffIds).not.toContain(info.id)
    const adminIds = await readAll('admin')
    for (const info of [...malang, ...surabaya]) expect(adminIds).toContain(info.id)

    expect((await send('GET', '/v1/programs?limit=0', 'staff')).status).toBe(400)
    expect((await send('GET', '/v1/programs?limit=101', 'staff')).status).toBe(400)
    expect((await send('GET', '/v1/programs?cursor=bm90LWpzb24', 'staff')).status).toBe(400)
    const foreign = Buffer.from(
      JSON.stringify({ pk: 'PROGRAM#x', sk: 'PROGRAM', byRegionPk: 'PROGRAM', byRegionSk: '35.78#2026#x' }),
    ).toString('base64url')
    expect((await send('GET', `/v1/programs?cursor=${foreign}`, 'staff')).status).toBe(400)
    expect((await send('GET', '/v1/programs', 'mentor')).status).toBe(403)
    expect((await send('GET', '/v1/programs', 'anonymous')).status).toBe(401)
  })
})

describe('Editing a program', () => {
  it('opens and closes, and refuses going back', async () => {
    const info = await created()
    const open = await send('PATCH', `/v1/programs/${info.id}`, 'staff', { status: 'open' })
    expect(open.status).toBe(200)
    expect((await open.json()).status).toBe('open')
    const back = await send('PATCH', `/v1/programs/${info.id}`, 'staff', { status: 'draft' })
    expect(back.status).toBe(400)
    expect((await back.json()).errors[0]).toMatchObject({ path: 'status', code: 'status_transition' })
    expect((await send('PATCH', `/v1/programs/${info.id}`, 'staff', { status: 'closed' })).status).toBe(200)
    const events = (await outboxEvents(table, 'ProgramUpdated')).filter((e) => e.detail.programId === info.id)
    // The outbox is not ordered (the stream is); both changes have their event.
    expect(events.map((e) => `${e.detail.previousStatus}→${e.detail.status}`).sort()).toEqual([
      'draft→open',
      'open→closed',
    ])
  })

  it('never lowers a quota below the seats in use, and can raise or add segments', async () => {
    const info = await created('staff', { segments: { umum: 2 }, status: 'open' })
    for (const index of [1, 2]) {
      const response = await app.request('/v1/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          business: {
            name: `Kopi ${index}`,
            ownerName: 'Budi',
            // Two people: one phone holds one open request per program.
            phone: `08123456789${index}`,
            region: '35.73.04',
            sector: 'kuliner',
            sizeClass: 'mikro',
          },
          needs: ['content'],
          description: 'Foto produk',
          mode: 'online',
          languages: ['id'],
          availability: [{ day: 'fri', from: '19:00', to: '21:00' }],
          programId: info.id,
          segment: 'umum',
          consent: { accepted: true, purposeVersion: '2026-11' },
        }),
      })
      expect(response.status).toBe(201)
    }
    const lower = await send('PATCH', `/v1/programs/${info.id}`, 'staff', { segments: { umum: 1 } })
    expect(lower.status).toBe(400)
    expect((await lower.json()).errors[0]).toMatchObject({
      path: 'segments.umum',
      code: 'quota_below_admitted',
    })
    const raise = await send('PATCH', `/v1/programs/${info.id}`, 'staff', { segments: { umum: 3, asn: 5 } })
    expect(raise.status).toBe(200)
    expect((await raise.json()).seats).toEqual({
      umum: { quota: 3, admitted: 2, waitlisted: 0 },
      asn: { quota: 5, admitted: 0, waitlisted: 0 },
    })
    const [event] = (await outboxEvents(table, 'ProgramUpdated')).filter(
      (e) => e.detail.programId === info.id,
    )
    expect(event?.detail.raisedSegments).toEqual(['umum'])
  })

  it.each([
    ['anonymous', 401],
    ['mentor', 403],
    ['staff', 200],
    ['staff-province', 200],
    ['staff-other', 403],
    ['admin', 200],
  ] as const)('PATCH as %s → %i', async (who, status) => {
    const info = await created()
    expect(
      (await send('PATCH', `/v1/programs/${info.id}`, who, { name: 'Kelas Konten Malang' })).status,
    ).toBe(status)
  })

  it('refuses an empty or unknown patch', async () => {
    const info = await created()
    expect((await send('PATCH', `/v1/programs/${info.id}`, 'staff', {})).status).toBe(400)
    expect((await send('PATCH', `/v1/programs/${info.id}`, 'staff', { region: '35.78' })).status).toBe(400)
    expect((await send('PATCH', '/v1/programs/nope', 'staff', { name: 'Kelas Konten' })).status).toBe(404)
  })
})
