import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { createTokenVerifier } from '@pendamping/core/auth'
import { createDocumentClient, keys } from '@pendamping/core/dynamo'
import { mentorPseudonym, recordEvent } from '@pendamping/core/report'
import { createApp } from '@pendamping/functions/api/app'
import { LOCAL_ISSUER, LocalKeySet } from '@pendamping/scripts/local/keys'
import { generateJourneys } from '@pendamping/scripts/testing/journeys'
import { forEachInParallel } from '@pendamping/scripts/testing/parallel'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SESSION_COOKIE, type SignInSettings, sealSession } from '../../pages/session.ts'

const table = useTestTable()
let signer: LocalKeySet
let app: ReturnType<typeof createApp>
const signIn: SignInSettings = {
  issuer: 'http://localhost:9/oidc',
  clientId: 'test',
  clientSecret: 'test',
  sessionSecret: Buffer.alloc(32, 7).toString('base64url'),
  publicUrl: 'http://localhost',
}
/** The cookie of someone signed in to the pages (through the provider, as `test/sign-in.test.ts` does). */
async function sessionOf(sub: string, role: 'staff' | 'mentor', region: string) {
  const now = Math.floor(Date.now() / 1000)
  return `${SESSION_COOKIE}=${await sealSession(signIn, { sub, role, region, expiresAt: now + 3600, since: now })}`
}
let calls = 0
const clock = { now: () => new Date('2026-06-15T00:00:00Z') }
const journeys = generateJourneys({
  count: 40,
  seed: 5,
  programs: ['prog-report'],
  regions: ['35.73.01', '35.73.02'],
})
const inProgram = journeys.requests.filter((request) => request.programId === 'prog-report').length

beforeAll(async () => {
  signer = await LocalKeySet.generate()
  // A client of its own that counts every call the report makes to DynamoDB.
  const doc = createDocumentClient({ endpoint: table.endpoint })
  doc.middlewareStack.add(
    (next) => async (args) => {
      calls++
      return next(args)
    },
    { step: 'initialize', name: 'countCalls' },
  )
  app = createApp({
    store: { doc, tableName: table.tableName },
    clock,
    verifyToken: createTokenVerifier({
      jwksUrl: 'http://unused.invalid',
      issuer: LOCAL_ISSUER,
      keys: signer.resolver(),
    }),
    corsOrigins: [],
    signIn,
    // The report's own calls are counted: the read quota's counter (one `UpdateItem` beside every
    // read, middleware/read-limits.ts) is the platform's, measured in test/fairness.test.ts.
    rateLimits: false,
  })
  const store = { doc: table.doc, tableName: table.tableName }
  const put = (Item: Record<string, unknown>) =>
    table.doc.send(new PutCommand({ TableName: table.tableName, Item }))
  await put({
    ...keys.program('prog-report'),
    entity: 'program',
    version: 1,
    id: 'prog-report',
    region: '35.73',
    name: 'Pendampingan Digital UMKM Kota Malang 2026',
    topics: ['social_media'],
    timeZone: 'Asia/Jakarta',
    startsAt: '2026-01-01T00:00:00+07:00',
    endsAt: '2026-12-31T00:00:00+07:00',
    segments: { umum: 70, asn: 30 },
    offerWindowHours: 48,
    matchingWindowDays: 5,
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'staff',
  })
  for (const [segment, quota, admitted, waitlisted] of [
    ['umum', 70, 21, 4],
    ['asn', 30, 30, 9],
  ] as const) {
    await put({
      ...keys.programSegment('prog-report', segment),
      entity: 'programSegment',
      version: 1,
      programId: 'prog-report',
      segment,
      quota,
      admitted,
      waitlisted,
    })
  }
  await put({
    ...keys.mentor('mentor-a'),
    entity: 'mentor',
    id: 'mentor-a',
    name: 'Sari Wulandari',
    region: '35.73',
  })
  // A mentor from the regency next door who serves the city: a stranger to the city's staff.
  await put({
    ...keys.mentor('mentor-b'),
    entity: 'mentor',
    id: 'mentor-b',
    name: 'Bayu Santoso',
    region: '35.07',
  })
  // Independent writes: 8 at a time (events are counted the same in any order; the recount test proves it).
  await forEachInParallel(journeys.requests, 8, (request) =>
    put({ ...keys.request(request.id), entity: 'request', ...request }),
  )
  await forEachInParallel(journeys.events, 8, (event) => recordEvent(store, event, clock.now()))
  // About 3 s alone; up to ~55 s seen while the other worker runs a 1 000-request burst on two cores.
}, 180_000)

afterAll(() => undefined)

const bearer = async (role: 'staff' | 'admin' | 'mentor', region: string) => ({
  authorization: `Bearer ${await signer.sign({ sub: `${role}-${region}`, role, region })}`,
})

async function get(path: string, headers: Record<string, string> = {}) {
  calls = 0
  const response = await app.request(path, { headers })
  return { response, calls }
}

describe('GET /v1/reports', () => {
  it('gives staff of the region the program report in at most 3 DynamoDB calls', async () => {
    const { response, calls } = await get(
      '/v1/reports?program=prog-report&from=2026-01&to=2026-06',
      await bearer('staff', '35.73'),
    )
    expect(response.status).toBe(200)
    const report = await response.json()
    expect(calls).toBeLessThanOrEqual(3)
    expect(report.scope).toMatchObject({ kind: 'program', id: 'prog-report', region: '35.73' })
    expect(report.requests.submitted).toBe(inProgram)
    expect(report.seats).toEqual({
      quota: 100,
      used: 51,
      waitlist: 13,
      segments: [
        { segment: 'asn', quota: 30, used: 30, waitlist: 9 },
        { segment: 'umum', quota: 70, used: 21, waitlist: 4 },
      ],
    })
    expect(report.monthly.map((point: { month: string }) => point.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ])
    expect(report.mentors.find((m: { mentorId: string }) => m.mentorId === 'mentor-a')?.name).toBe(
      'Sari Wulandari',
    )
  })

  it('names a mentor only to staff of their region and admins; to others a stable pseudonym', async () => {
    const read = async (headers: Record<string, string>) =>
      (
        (
          await (
            await get('/v1/reports?program=prog-report&from=2026-01&to=2026-06', headers)
          ).response.json()
        ).mentors as Array<{ mentorId: string; name?: string }>
      ).map(({ mentorId, name }) => ({ mentorId, name }))
    const city = await read(await bearer('staff', '35.73'))
    const alias = mentorPseudonym('mentor-b')
    expect(city).toContainEqual({ mentorId: 'mentor-a', name: 'Sari Wulandari' })
    expect(city).toContainEqual({ mentorId: alias.id, name: alias.name })
    expect(alias.name).toMatch(/^Mentor [0-9A-F]{6}$/)
    expect(JSON.stringify(city)).not.toMatch(/Bayu|mentor-b"/)
    // The same pseudonym on every read; the mentor's own region (the province) and admins see the name.
    expect(await read(await bearer('staff', '35.73'))).toEqual(city)
    for (const reader of [await bearer('staff', '35'), await bearer('admin', '*')])
      expect(await read(reader)).toContainEqual({ mentorId: 'mentor-b', name: 'Bayu Santoso' })
  })

  it('gives a region report in at most 2 calls, and province staff see their cities', async () => {
    const { response, calls } = await get(
      '/v1/reports?region=35.73&from=2026-01&to=2026-06',
      await bearer('staff', '35'),
    )
    expect(response.status).toBe(200)
    expect(calls).toBeLessThanOrEqual(2)
    expect((await response.json()).requests.submitted).toBe(40)
  })

  it('gives admins the national report, summed over its write shards, in at most 3 calls', async () => {
    const { response, calls } = await get('/v1/reports?from=2024-01&to=2026-12', await bearer('admin', '*'))
    expect(response.status).toBe(200)
    // 36 months × (4 shards + the unsharded item) in two BatchGetItems, and the mentors' names.
    expect(calls).toBeLessThanOrEqual(3)
    const report = await response.json()
    expect(report.scope.kind).toBe('all')
    expect(report.requests.submitted).toBe(journeys.requests.length)
    const region = await (
      await get('/v1/reports?region=35&from=2024-01&to=2026-12', await bearer('admin', '*'))
    ).response.json()
    expect(report.requests).toEqual(region.requests)
  })

  it('refuses staff of another region with 403, for a program and for a region', async () => {
    const other = await bearer('staff', '35.78')
    expect((await get('/v1/reports?program=prog-report', other)).response.status).toBe(403)
    expect((await get('/v1/reports?region=35.73', other)).response.status).toBe(403)
    expect((await get('/v1/reports?region=35', await bearer('staff', '35.73'))).response.status).toBe(403)
  })

  it('refuses mentors and anonymous callers, and answers 404 for an unknown program', async () => {
    expect((await get('/v1/reports', await bearer('mentor', '35.73'))).response.status).toBe(403)
    expect((await get('/v1/reports')).response.status).toBe(401)
    expect((await get('/v1/reports?program=nope', await bearer('admin', '*'))).response.status).toBe(404)
  })

  it('lets admins read everything and rejects bad months', async () => {
    const { response } = await get('/v1/reports?from=2026-01&to=2026-06', await bearer('admin', '*'))
    expect((await response.json()).scope.kind).toBe('all')
    const bad = await get('/v1/reports?from=2026-13', await bearer('admin', '*'))
    expect(bad.response.status).toBe(400)
    const reversed = await get('/v1/reports?from=2026-05&to=2026-01', await bearer('admin', '*'))
    expect(reversed.response.status).toBe(400)
  })

  it('answers CSV for Accept: text/csv: BOM, header row, raw numbers', async () => {
    const headers = { ...(await bearer('staff', '35.73')), accept: 'text/csv' }
    const { response } = await get('/v1/reports?program=prog-report&from=2026-01&to=2026-06', headers)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes.slice(3))
    const lines = text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('section,key,metric,value')
    expect(lines).toContain(`requests,all,submitted,${inProgram}`)
    expect(lines).toContain('seats,asn,waitlist,9')
    expect(lines.every((line) => line.split(',').length >= 4)).toBe(true)
    const viaQuery = await get('/v1/reports?program=prog-report&format=csv', await bearer('staff', '35.73'))
    expect(viaQuery.response.headers.get('content-type')).toContain('text/csv')
  })

  it('is described in the OpenAPI document', async () => {
    const spec = await (await app.request('/openapi.json')).json()
    expect(spec.paths['/v1/reports'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['program', 'region', 'from', 'to', 'format']),
    )
  })
})

describe('The /reports page', () => {
  it('offers staff a sign-in button (CSRF-checked, no token box), then shows charts to a signed-in session', async () => {
    const first = await app.request('/reports')
    expect(first.status).toBe(200)
    const signInPage = await first.text()
    expect(signInPage).toContain('action="/reports/sign-in"')
    expect(signInPage).toContain('name="_csrf"')
    expect(signInPage).not.toContain('name="token"')
    // Without its CSRF token the sign-in is refused before anything starts.
    const forged = await app.request('/reports/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    expect(forged.status).toBe(403)

    const cookie = await sessionOf('staff-1', 'staff', '35.73')
    const page = await app.request('/reports?program=prog-report&from=2026-01&to=2026-06', {
      headers: { cookie },
    })
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    for (const chart of ['topics', 'monthly-sessions', 'time-to-match', 'outcomes'])
      expect(html).toContain(`data-chart="${chart}"`)
    expect(html).toContain('lang="id"')
    expect(html).not.toContain('<script')
    expect(html).toContain('action="/reports/sign-out"')
    const csv = await app.request('/reports/export.csv?program=prog-report', { headers: { cookie } })
    expect(csv.headers.get('content-disposition')).toContain('attachment')
  })

  it('shows a mentor’s session the sign-in, and 403 to staff of another region', async () => {
    const mentor = await app.request('/reports', {
      headers: { cookie: await sessionOf('m', 'mentor', '35.73') },
    })
    expect(await mentor.text()).toContain('action="/reports/sign-in"')
    const page = await app.request('/reports?program=prog-report', {
      headers: { cookie: await sessionOf('o', 'staff', '35.78') },
    })
    expect(page.status).toBe(403)
  })
})
