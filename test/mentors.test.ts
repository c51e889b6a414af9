import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  admin,
  application,
  approvedMentor,
  call,
  createWorld,
  eventsOf,
  itemsOf,
  mentorToken,
  offerTo,
  staff,
  type World,
} from './mentors.fixture.ts'

const table = useTestTable()
let world: World

beforeAll(async () => {
  world = await createWorld(table)
})

describe('Mentor applications', () => {
  it('takes a public application and lists it for staff of the region', async () => {
    const applied = await call(world, 'POST', '/v1/mentor-applications', {
      body: application({ name: 'Rina Kusumawati', phone: '+62 856-4321-0987' }),
    })
    expect(applied.status).toBe(201)
    expect(applied.body).toEqual({ id: expect.any(String), status: 'applied' })

    const listed = await call(world, 'GET', '/v1/mentors?status=applied', {
      token: await staff(world, '35.73'),
    })
    expect(listed.status).toBe(200)
    const mine = listed.body.items.find((mentor: { id: string }) => mentor.id === applied.body.id)
    expect(mine).toMatchObject({
      name: 'Rina Kusumawati',
      phone: '+6285643210987',
      status: 'applied',
      region: '35.73',
    })

    const elsewhere = await call(world, 'GET', '/v1/mentors?status=applied', {
      token: await staff(world, '33.74'),
    })
    expect(elsewhere.body.items.map((mentor: { id: string }) => mentor.id)).not.toContain(applied.body.id)
    const province = await call(world, 'GET', '/v1/mentors', { token: await staff(world, '35') })
    expect(province.body.items.map((mentor: { id: string }) => mentor.id)).toContain(applied.body.id)
    expect(await eventsOf(world, 'MentorApplied')).toContainEqual(
      expect.objectContaining({ mentorId: applied.body.id, region: '35.73' }),
    )
  })

  it('accepts an HTML form post', async () => {
    const form = new URLSearchParams({
      name: 'Wahyu Hidayat',
      email: 'wahyu.form@example.id',
      phone: '081234567890',
      region: '35.07',
      'skills[0][topic]': 'marketplace',
      'skills[0][level]': '2',
      'modes[]': 'online',
      'languages[]': 'id',
      'availability[0][day]': 'tue',
      'availability[0][from]': '19:00',
      'availability[0][to]': '21:00',
      'consent[accepted]': 'true',
      'consent[purposeVersion]': '2026-11',
    })
    const response = await world.app.request('/v1/mentor-applications', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(response.status).toBe(201)
  })

  it('pages through applications with an opaque cursor', async () => {
    for (let i = 0; i < 3; i++)
      await call(world, 'POST', '/v1/mentor-applications', { body: application({ region: '35.79' }) })
    const token = await staff(world, '35.79')
    const first = await call(world, 'GET', '/v1/mentors?status=applied&limit=2', { token })
    expect(first.body.items).toHaveLength(2)
    expect(first.body.nextCursor).toEqual(expect.any(String))
    const second = await call(
      world,
      'GET',
      `/v1/mentors?status=applied&limit=2&cursor=${first.body.nextCursor}`,
      {
        token,
      },
    )
    expect(second.body.items).toHaveLength(1)
    const forged = Buffer.from(
      JSON.stringify({ pk: 'x', sk: 'y', byRegionPk: 'MENTOR#applied', byRegionSk: '36#' }),
    ).toString('base64url')
    expect((await call(world, 'GET', `/v1/mentors?cursor=${forged}`, { token })).status).toBe(400)
  })
})

describe('Approving a mentor', () => {
  it('activates the mentor, links the account, and lists them in the matching directory', async () => {
    const applied = await call(world, 'POST', '/v1/mentor-applications', { body: application() })
    const id = applied.body.id
    const approved = await call(world, 'POST', `/v1/mentors/${id}/approve`, {
      token: await staff(world, '35'),
    })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({ id, status: 'active', load: { active: 0, capacity: 3 } })

    const items = await itemsOf(world, `MENTOR#${id}`)
    expect(items.map((item) => item.sk).sort()).toEqual([
      'LOAD',
      'MENTOR',
      'TOPIC#content',
      'TOPIC#social_media',
    ])
    expect(items.find((item) => item.sk === 'TOPIC#content')).toMatchObject({
      byTopicPk: 'TOPIC#content',
      byTopicSk: `35.73#${id}`,
      profile: { mentorId: id, sub: id, regions: ['35.73'], modes: ['online', 'offline'] },
    })
    expect(await eventsOf(world, 'MentorApproved')).toContainEqual(expect.objectContaining({ mentorId: id }))

    const me = await call(world, 'GET', '/v1/me', { token: await mentorToken(world, id) })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ id, status: 'active' })

    const again = await call(world, 'POST', `/v1/mentors/${id}/approve`, { token: await admin(world) })
    expect(again.status).toBe(409)
    expect(again.body.type).toBe('urn:pendamping:problem:mentor-not-applied')
  })

  it('lets only staff of the mentor’s region or an admin approve', async () => {
    const applied = await call(world, 'POST', '/v1/mentor-applications', { body: application() })
    const path = `/v1/mentors/${applied.body.id}/approve`
    expect((await call(world, 'POST', path)).status).toBe(401)
    expect((await call(world, 'POST', path, { token: await mentorToken(world, 'someone') })).status).toBe(403)
    expect((await call(world, 'POST', path, { token: await staff(world, '35.07') })).status).toBe(404)
    expect((await call(world, 'POST', path, { token: await staff(world, '33') })).status).toBe(404)
    expect(
      (await call(world, 'GET', `/v1/mentors/${applied.body.id}`, { token: await staff(world, '33') }))
        .status,
    ).toBe(404)
    expect(
      (await call(world, 'GET', `/v1/mentors/${applied.body.id}`, { token: await staff(world, '35.73') }))
        .status,
    ).toBe(200)
    expect((await call(world, 'POST', path, { token: await admin(world) })).status).toBe(200)
  })
})

describe('A mentor’s own profile', () => {
  it('edits skills and availability and keeps the directory in step', async () => {
    const { id, token } = await approvedMentor(world)
    const edited = await call(world, 'PATCH', '/v1/me', {
      token,
      body: {
        skills: [
          { topic: 'marketplace', level: 3 },
          { topic: 'content', level: 1 },
        ],
        capacity: 5,
      },
    })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ capacity: 5, load: { capacity: 5 } })
    const sks = (await itemsOf(world, `MENTOR#${id}`)).map((item) => item.sk).sort()
    expect(sks).toEqual(['LOAD', 'MENTOR', 'TOPIC#content', 'TOPIC#marketplace'])
    const content = (await itemsOf(world, `MENTOR#${id}`)).find((item) => item.sk === 'TOPIC#content')
    expect(content?.level).toBe(1)
  })

  it('pauses (leaving the directory) and resumes (back in it)', async () => {
    const { id, token } = await approvedMentor(world)
    const paused = await call(world, 'PATCH', '/v1/me', { token, body: { status: 'paused' } })
    expect(paused.body.status).toBe('paused')
    expect(
      (await itemsOf(world, `MENTOR#${id}`)).filter((item) => item.sk.startsWith('TOPIC#')),
    ).toHaveLength(0)
    const resumed = await call(world, 'PATCH', '/v1/me', { token, body: { status: 'active' } })
    expect(resumed.body.status).toBe('active')
    expect(
      (await itemsOf(world, `MENTOR#${id}`)).filter((item) => item.sk.startsWith('TOPIC#')),
    ).toHaveLength(2)
    expect(await eventsOf(world, 'MentorUpdated')).toContainEqual(
      expect.objectContaining({ mentorId: id, status: 'paused' }),
    )
  })

  it('may not suspend itself; staff suspend and reinstate', async () => {
    const { id, token } = await approvedMentor(world)
    expect((await call(world, 'PATCH', '/v1/me', { token, body: { status: 'suspended' } })).status).toBe(400)
    const suspended = await call(world, 'PATCH', `/v1/mentors/${id}`, {
      token: await staff(world, '35.73'),
      body: { status: 'suspended' },
    })
    expect(suspended.body.status).toBe('suspended')
    expect(
      (await itemsOf(world, `MENTOR#${id}`)).filter((item) => item.sk.startsWith('TOPIC#')),
    ).toHaveLength(0)
    // The token the mentor still holds is refused from the suspension on (`test/suspension.test.ts`).
    const edit = await call(world, 'PATCH', '/v1/me', { token, body: { bio: 'Halo' } })
    expect(edit.status).toBe(401)
    const back = await call(world, 'PATCH', `/v1/mentors/${id}`, {
      token: await admin(world),
      body: { status: 'active' },
    })
    expect(back.body.status).toBe('active')
  })

  it('refuses staff and anonymous callers on /v1/me', async () => {
    expect((await call(world, 'GET', '/v1/me')).status).toBe(401)
    expect((await call(world, 'GET', '/v1/me', { token: await staff(world) })).status).toBe(403)
    expect(
      (await call(world, 'GET', '/v1/me', { token: await mentorToken(world, 'not-a-mentor') })).status,
    ).toBe(404)
  })
})

describe('The mentor API contract', () => {
  it('replays a retried application with the same Idempotency-Key and creates one mentor', async () => {
    const body = application({ email: 'retry.once@example.id', region: '35.77' })
    const headers = { 'idempotency-key': 'apply-retry-1' }
    const [first, second] = await Promise.all([
      call(world, 'POST', '/v1/mentor-applications', { body, headers }),
      call(world, 'POST', '/v1/mentor-applications', { body, headers }),
    ])
    const third = await call(world, 'POST', '/v1/mentor-applications', { body, headers })
    expect([first?.status, second?.status, third.status]).toEqual([201, 201, 201])
    expect(new Set([first?.body.id, second?.body.id, third.body.id]).size).toBe(1)
    const listed = await call(world, 'GET', '/v1/mentors?region=35.77', { token: await staff(world, '35') })
    expect(listed.body.items).toHaveLength(1)
  })

  it('refuses bad applications with a 400 listing the fields, and writes nothing', async () => {
    const good = application({ region: '35.78' })
    const cases: Array<[string, unknown, string[]]> = [
      ['unknown region', { ...good, region: '35.99' }, ['region']],
      ['province as home', { ...good, region: '35' }, ['region']],
      ['bad phone', { ...good, phone: '12345' }, ['phone']],
      ['bad email', { ...good, email: 'not-an-email' }, ['email']],
      ['no skills', { ...good, skills: [] }, ['skills']],
      [
        'eleven skills',
        { ...good, skills: Array.from({ length: 11 }, () => ({ topic: 'seo', level: 1 })) },
        ['skills'],
      ],
      ['skill level 4', { ...good, skills: [{ topic: 'seo', level: 4 }] }, ['skills.0.level']],
      ['unknown topic', { ...good, skills: [{ topic: 'crypto', level: 2 }] }, ['skills.0.topic']],
      ['capacity 11', { ...good, capacity: 11 }, ['capacity']],
      ['capacity as text', { ...good, capacity: 'three' }, ['capacity']],
      ['bio too long', { ...good, bio: 'x'.repeat(1001) }, ['bio']],
      [
        'no consent',
        { ...good, consent: { accepted: false, purposeVersion: '2026-11' } },
        ['consent.accepted'],
      ],
      [
        'bad time',
        { ...good, availability: [{ day: 'mon', from: '25:00', to: '26:00' }] },
        ['availability.0.from', 'availability.0.to'],
      ],
      ['bad zone', { ...good, timeZone: 'Europe/Amsterdam' }, ['timeZone']],
      ['unknown field', { ...good, status: 'active' }, ['']],
    ]
    for (const [what, body, fields] of cases) {
      const answer = await call(world, 'POST', '/v1/mentor-applications', {
        body,
        headers: { 'accept-language': 'en' },
      })
      expect({ what, status: answer.status }).toEqual({ what, status: 400 })
      expect({
        what,
        paths: [...new Set(answer.body.errors.map((error: { path: string }) => error.path))],
      }).toEqual({
        what,
        paths: fields,
      })
    }
    const malformed = await call(world, 'POST', '/v1/mentor-applications', { raw: '{"name":' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.type).toBe('urn:pendamping:problem:malformed-body')
    const patch = await call(world, 'PATCH', '/v1/me', {
      token: (await approvedMentor(world, { region: '35.78' })).token,
      body: { capacity: 0, skills: 'all', extra: true },
    })
    expect(patch.status).toBe(400)
    expect(patch.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '',
      'capacity',
      'skills',
    ])
    const listed = await call(world, 'GET', '/v1/mentors?status=applied&region=35.78', {
      token: await admin(world),
    })
    expect(listed.body.items).toEqual([])
  })

  it('refuses capacity below the active engagements', async () => {
    const mentor = await approvedMentor(world, { capacity: 3 })
    for (let i = 0; i < 2; i++) {
      const { offerId } = await offerTo(world, mentor.id)
      expect(
        (await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })).status,
      ).toBe(201)
    }
    const below = await call(world, 'PATCH', '/v1/me', { token: mentor.token, body: { capacity: 1 } })
    expect(below.status).toBe(409)
    expect(below.body.type).toBe('urn:pendamping:problem:capacity-below-active')
    const same = await call(world, 'PATCH', '/v1/me', { token: mentor.token, body: { capacity: 2 } })
    expect(same.body.load).toMatchObject({ active: 2, capacity: 2 })
  })

  it('documents every mentor, offer, engagement and session route in /openapi.json', async () => {
    const spec = (await call(world, 'GET', '/openapi.json')).body
    const routes = [
      ['post', '/v1/mentor-applications'],
      ['get', '/v1/mentors'],
      ['get', '/v1/mentors/{id}'],
      ['post', '/v1/mentors/{id}/approve'],
      ['patch', '/v1/mentors/{id}'],
      ['get', '/v1/me'],
      ['patch', '/v1/me'],
      ['get', '/v1/me/offers'],
      ['get', '/v1/offers/{id}'],
      ['post', '/v1/offers/{id}/accept'],
      ['post', '/v1/offers/{id}/decline'],
      ['get', '/v1/me/engagements'],
      ['get', '/v1/engagements/{id}'],
      ['get', '/v1/engagements/{id}/sessions'],
      ['post', '/v1/engagements/{id}/sessions'],
      ['post', '/v1/engagements/{id}/progress'],
      ['post', '/v1/engagements/{id}/close'],
      ['get', '/v1/sessions/{id}'],
      ['patch', '/v1/sessions/{id}'],
      ['post', '/v1/sessions/{id}/complete'],
      ['post', '/v1/sessions/{id}/cancel'],
      ['post', '/v1/sessions/{id}/feedback'],
    ] as const
    for (const [method, path] of routes) {
      const operation = spec.paths[path]?.[method]
      expect({ method, path, summary: typeof operation?.summary }).toEqual({
        method,
        path,
        summary: 'string',
      })
    }
    const session = spec.paths['/v1/engagements/{id}/sessions'].post
    expect(session.requestBody.content['application/json'].schema.properties.meetingUrl).toBeDefined()
  })
})
