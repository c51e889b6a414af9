/**
 * Classes over HTTP: every new route refuses bad input with a 400 listing the fields and writes
 * nothing; who may do what (the authorization matrix); and the pages, without JavaScript.
 */
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type ClassWorld,
  classInput,
  createClassWorld,
  deliverEvents,
  newProgram,
  openClass,
  phoneOf,
  register,
  registration,
} from './classes.fixture.ts'
import { admin, approvedMentor, call, staff } from './mentors.fixture.ts'

const table = useTestTable()
let world: ClassWorld
let programId: string
let trainer: { id: string; token: string }
let klass: { id: string }
let seated: { id: string; participantId: string; participantToken: string }

beforeAll(async () => {
  world = await createClassWorld(table)
  programId = (await newProgram(world)).id
  trainer = await approvedMentor(world, { capacity: 5 })
  klass = await openClass(world, classInput(programId, [trainer.id], { seats: { umum: 10, asn: 10 } }))
  seated = (await register(world, klass.id, 1)).body
})

const itemCount = async () => (await scanTable(table)).length

describe('Bad input on every class route', () => {
  const cases: Array<[string, string, string, () => Promise<string | undefined>, unknown, string[]]> = [
    [
      'create: empty title, no trainers, bad mode',
      'POST',
      '/v1/classes',
      () => staff(world, '35.73'),
      { ...classInput('x', []), title: '', mode: 'zoom' },
      ['title', 'trainerIds', 'mode'],
    ],
    [
      'create: an unknown field',
      'POST',
      '/v1/classes',
      () => staff(world, '35.73'),
      { ...classInput('x', ['t']), price: 10 },
      [''],
    ],
    [
      'create: online without a link, percent without a minimum',
      'POST',
      '/v1/classes',
      () => staff(world, '35.73'),
      { ...classInput('x', ['t']), meetingUrl: undefined, completion: { rule: 'percent' } },
      ['completion.minimumPercent', 'meetingUrl'],
    ],
    [
      'register: bad phone and region, no segment',
      'POST',
      '/v1/classes/{class}/registrations',
      async () => undefined,
      { person: { name: 'A', phone: '12345', region: '35' }, consent: { purposeVersion: '2026-11' } },
      ['person.name', 'person.phone', 'person.region', 'segment'],
    ],
    [
      'register: a consent purpose that does not exist',
      'POST',
      '/v1/classes/{class}/registrations',
      async () => undefined,
      { ...registration(2), consent: { purposeVersion: '2026-11', purposes: { marketing: true } } },
      ['consent.purposes'],
    ],
    [
      'register: no person and no private link',
      'POST',
      '/v1/classes/{class}/registrations',
      async () => undefined,
      { segment: 'umum' },
      ['person'],
    ],
    [
      'register: a segment the class has not',
      'POST',
      '/v1/classes/{class}/registrations',
      async () => undefined,
      registration(3, { segment: 'mahasiswa' }),
      ['segment'],
    ],
    [
      'attendance: a mark that is not one',
      'POST',
      '/v1/classes/{class}/meetings/m1/attendance',
      async () => trainer.token,
      { marks: [{ registrationId: 'abc', mark: 'late' }] },
      ['marks.0.mark'],
    ],
    [
      'attendance: a meeting id that is not one',
      'POST',
      '/v1/classes/{class}/meetings/first/attendance',
      async () => trainer.token,
      { marks: [{ registrationId: 'abc', mark: 'present' }] },
      ['meetingId'],
    ],
    [
      'groups: no topics, a size of zero',
      'POST',
      '/v1/classes/{class}/meetings/m1/groups',
      async () => trainer.token,
      { by: 'size', value: 0, topics: [] },
      ['value', 'topics'],
    ],
    [
      'check-in: a code of the wrong shape',
      'POST',
      '/v1/registrations/{registration}/check-in',
      async () => undefined,
      { code: '12' },
      ['code'],
    ],
    [
      'invitations: an audience that is not one',
      'POST',
      '/v1/classes/{class}/invitations',
      () => staff(world, '35.73'),
      { fromClassId: 'abc', audience: 'everyone' },
      ['audience'],
    ],
    [
      'catalog: a date that is not one',
      'GET',
      '/v1/classes?date=2026-13-01&mode=zoom',
      async () => undefined,
      undefined,
      ['date', 'mode'],
    ],
    [
      'roster: a status that is not one',
      'GET',
      '/v1/classes/{class}/roster?status=asleep',
      async () => trainer.token,
      undefined,
      ['status'],
    ],
    [
      'read: an id that cannot be one',
      'GET',
      '/v1/classes/bad id!',
      async () => undefined,
      undefined,
      ['id'],
    ],
  ]
  it.each(cases)('refuses %s with 400, writing nothing', async (_, method, template, token, body, paths) => {
    const path = template.replace('{class}', klass.id).replace('{registration}', seated.id)
    const before = await itemCount()
    const answer = await call(world, method, path, {
      token: await token(),
      body,
      headers: { 'x-tracking-token': seated.participantToken },
    })
    expect(answer.status).toBe(400)
    expect(answer.body.type).toBe('urn:pendamping:problem:validation')
    const reported = answer.body.errors.map((error: { path: string }) => error.path)
    for (const field of paths)
      expect(
        reported.some((p: string) => p === field || p.startsWith(`${field}.`) || (field === '' && p === '')),
      ).toBe(true)
    expect(await itemCount()).toBe(before)
  })

  it.each([
    ['POST', '/v1/classes/bad id!/publish'],
    ['POST', '/v1/classes/bad id!/close'],
    ['POST', '/v1/classes/bad id!/cancel'],
    ['POST', '/v1/classes/bad id!/finish'],
    ['GET', '/v1/classes/bad id!/draw'],
    ['POST', '/v1/classes/{class}/meetings/m1/check-in-code?x=1'.replace('m1', 'meeting one')],
    ['GET', '/v1/participants/bad id!'],
    ['POST', '/v1/registrations/bad id!/cancel'],
    ['GET', '/v1/classes?limit=500'],
  ])(
    'refuses %s %s (an id or a query that cannot be one) with 400, writing nothing',
    async (method, template) => {
      const before = await itemCount()
      const answer = await call(world, method, template.replace('{class}', klass.id), {
        token: await staff(world, '35.73'),
      })
      expect(answer.status).toBe(400)
      expect(answer.body.errors.length).toBeGreaterThan(0)
      expect(await itemCount()).toBe(before)
    },
  )

  it('answers in English when asked', async () => {
    const answer = await call(world, 'POST', `/v1/classes/${klass.id}/registrations`, {
      body: {
        segment: 'umum',
        person: { name: 'Budi', phone: 'x', region: '35.73' },
        consent: { purposeVersion: '1' },
      },
      headers: { 'accept-language': 'en' },
    })
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ path: 'person.phone', message: expect.stringMatching(/Invalid phone/) }),
    ])
  })
})

describe('Who may do what', () => {
  it('keeps staff to their region, mentors to the classes they train, and the public to public things', async () => {
    const other = await approvedMentor(world)
    const path = `/v1/classes/${klass.id}`
    const outsider = await staff(world, '31.71')
    const province = await staff(world, '35')
    const matrix: Array<[string, string, string | undefined, unknown, number]> = [
      ['POST', '/v1/classes', undefined, classInput(programId, [trainer.id]), 401],
      ['POST', '/v1/classes', other.token, classInput(programId, [trainer.id]), 403],
      ['POST', '/v1/classes', outsider, classInput(programId, [trainer.id]), 403],
      ['POST', `${path}/cancel`, outsider, undefined, 403],
      ['POST', `${path}/close`, other.token, undefined, 403],
      ['GET', `${path}/roster`, undefined, undefined, 401],
      ['GET', `${path}/roster`, outsider, undefined, 403],
      ['GET', `${path}/roster`, other.token, undefined, 403],
      ['GET', `${path}/roster`, trainer.token, undefined, 200],
      ['GET', `${path}/roster`, province, undefined, 200],
      ['GET', `${path}/roster`, await admin(world), undefined, 200],
      ['POST', `${path}/meetings/m1/check-in-code`, other.token, undefined, 403],
      [
        'POST',
        `${path}/meetings/m1/attendance`,
        other.token,
        { marks: [{ registrationId: seated.id, mark: 'present' }] },
        403,
      ],
      ['POST', `${path}/meetings/m1/groups`, outsider, { by: 'count', value: 2, topics: ['x'] }, 403],
      ['POST', `${path}/invitations`, outsider, { fromClassId: klass.id, audience: 'waitlist' }, 403],
      ['POST', `${path}/finish`, other.token, undefined, 403],
      ['GET', `/v1/participants/${seated.participantId}`, undefined, undefined, 404],
      ['GET', `/v1/participants/${seated.participantId}`, trainer.token, undefined, 404],
      ['POST', `/v1/registrations/${seated.id}/cancel`, outsider, undefined, 404],
      ['POST', `/v1/registrations/${seated.id}/cancel`, other.token, undefined, 403],
      ['GET', '/v1/classes?scope=region', undefined, undefined, 401],
    ]
    const seen = []
    for (const [method, url, token, body] of matrix)
      seen.push((await call(world, method, url, { token, body })).status)
    expect(seen).toEqual(matrix.map((row) => row[4]))
  })
})

describe('Class pages', () => {
  const PAGE_BUDGET = 30 * 1024

  async function open(path: string) {
    const response = await world.app.request(path)
    const html = await response.text()
    const cookie = /pd_csrf=([\w-]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
    const field = /name="_csrf" value="([\w-]+)"/.exec(html)?.[1]
    return { response, html, cookie, field }
  }

  it('lists classes by filter, in both languages, under 30 KB, without scripts', async () => {
    for (const path of [
      '/kelas',
      '/en/classes',
      '/kelas?region=35&topic=content&mode=online&date=2026-03-10',
      `/kelas/${klass.id}`,
      `/en/classes/${klass.id}`,
    ]) {
      const { response, html } = await open(path)
      expect(response.status, path).toBe(200)
      expect(Buffer.byteLength(html), path).toBeLessThan(PAGE_BUDGET)
      expect(html).not.toContain('<script')
      expect(html).toContain('Sinau TikTok')
    }
    expect((await open('/kelas?region=51')).html).not.toContain('Sinau TikTok')
    expect((await open('/kelas?mode=offline')).html).not.toContain('Sinau TikTok')
    expect((await open('/kelas?date=2026-03-11')).html).not.toContain('Sinau TikTok')
    expect((await open('/kelas?date=13-13')).response.status).toBe(400)
  })

  it('registers by the form (CSRF checked), shows the private link once, and the participant’s page', async () => {
    const page = await open(`/kelas/${klass.id}`)
    const fields = {
      _csrf: page.field ?? '',
      submission: 'form-1',
      'person.name': 'Dewi Lestari',
      'person.phone': phoneOf(4242),
      province: '35',
      'person.region': '35.73',
      segment: 'asn',
      'consent.purposeVersion': '2026-11',
      'consent.purposes.reminders': 'true',
    }
    const post = (cookie?: string) =>
      world.app.request(`/kelas/${klass.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(cookie ? { cookie: `__Host-pd_csrf=${cookie}` } : {}),
        },
        body: new URLSearchParams(fields).toString(),
      })
    expect((await post()).status).toBe(403)
    const done = await post(page.cookie)
    expect(done.status).toBe(201)
    const html = await done.text()
    const link = /\/peserta\/([\w-]+)\?token=([\w-]{43})/.exec(html)
    expect(link).not.toBeNull()
    // The same form sent again (a reload) answers the same place.
    expect(await (await post(page.cookie)).text()).toContain(link?.[0] ?? 'missing')
    // The link is exchanged for the participant's cookie; the page is then at its clean address.
    const exchanged = await world.app.request(`/peserta/${link?.[1]}?token=${link?.[2]}`)
    expect(exchanged.status).toBe(303)
    expect(exchanged.headers.get('location')).toBe(`/peserta/${link?.[1]}`)
    const cookie = exchanged.headers.get('set-cookie')?.split(';')[0] ?? ''
    const own = await world.app.request(`/peserta/${link?.[1]}`, { headers: { cookie } })
    expect(own.status).toBe(200)
    expect(own.headers.get('cache-control')).toBe('no-store')
    const text = await own.text()
    expect(text).toContain('Sinau TikTok')
    expect(Buffer.byteLength(text)).toBeLessThan(PAGE_BUDGET)
    expect((await world.app.request(`/peserta/${link?.[1]}?token=${'z'.repeat(43)}`)).status).toBe(404)
    // The form refuses a second place for the phone, next to the phone field.
    const again = await Promise.resolve(
      world.app.request(`/kelas/${klass.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `__Host-pd_csrf=${page.cookie}`,
        },
        body: new URLSearchParams({ ...fields, submission: 'form-2' }).toString(),
      }),
    )
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('Satu nomor HP hanya mendapat satu tempat')
  })

  it('shows a lottery’s draw once drawn', async () => {
    const lottery = await openClass(
      world,
      classInput(programId, [trainer.id], {
        admission: 'lottery',
        title: 'Kelas undian',
        meetings: [{ startsAt: '2026-03-11T02:00:00Z', endsAt: '2026-03-11T03:00:00Z' }],
      }),
    )
    for (let n = 50; n < 55; n++) await register(world, lottery.id, n)
    expect((await open(`/kelas/${lottery.id}`)).html).toContain(lottery.seedHash)
    await call(world, 'POST', `/v1/classes/${lottery.id}/close`, { token: await staff(world, '35.73') })
    await deliverEvents(world)
    const draw = await open(`/kelas/${lottery.id}/undian`)
    expect(draw.response.status).toBe(200)
    const seed = (await call(world, 'GET', `/v1/classes/${lottery.id}/draw`)).body.seed
    expect(draw.html).toContain(seed)
  })
})
