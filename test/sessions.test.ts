import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { keys } from '@pendamping/core/dynamo'
import { getRequest } from '@pendamping/core/request'
import { listSessionsOfRequest } from '@pendamping/core/session'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  admin,
  approvedMentor,
  call,
  createWorld,
  eventsOf,
  itemsOf,
  offerTo,
  staff,
  type World,
} from './mentors.fixture.ts'

const table = useTestTable()
let world: World

beforeAll(async () => {
  // Monday 2 March 2026, 08:00 WIB.
  world = await createWorld(table)
})

/** A mentor with one accepted engagement (and the owner's tracking token). */
async function engaged(mentor?: { id: string; token: string }) {
  const who = mentor ?? (await approvedMentor(world, { capacity: 5 }))
  const { offerId, requestId, trackingToken } = await offerTo(world, who.id)
  const accepted = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: who.token })
  if (accepted.status !== 201) throw new Error(`accept: ${JSON.stringify(accepted.body)}`)
  return { mentor: who, engagementId: accepted.body.id as string, requestId, trackingToken }
}

const online = (startsAt: string, endsAt: string) => ({
  startsAt,
  endsAt,
  mode: 'online',
  meetingUrl: 'https://meet.google.com/abc-defg-hij',
  topics: ['social_media'],
})

const slotsOf = async (mentorId: string) =>
  (await itemsOf(world, `MENTOR#${mentorId}`))
    .filter((item) => item.sk.startsWith('SLOT#'))
    .map((item) => item.sk)

describe('Scheduling sessions', () => {
  it('schedules a session, books its quarter hours and shows local time', async () => {
    const { mentor, engagementId, requestId } = await engaged()
    const made = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      body: online('2026-03-03T03:00:00Z', '2026-03-03T04:00:00Z'),
    })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({
      status: 'scheduled',
      timeZone: 'Asia/Jakarta',
      local: { startsAt: expect.stringContaining('10.00 WIB') },
    })
    expect(await slotsOf(mentor.id)).toEqual([
      'SLOT#2026-03-03T03:00:00.000Z',
      'SLOT#2026-03-03T03:15:00.000Z',
      'SLOT#2026-03-03T03:30:00.000Z',
      'SLOT#2026-03-03T03:45:00.000Z',
    ])
    expect(await eventsOf(world, 'SessionScheduled')).toContainEqual(
      expect.objectContaining({ sessionId: made.body.id, requestId }),
    )
    const page = await listSessionsOfRequest(world.store, requestId)
    expect(page.items.map((session) => session.id)).toEqual([made.body.id])
  })

  it('never double-books a mentor: of two overlapping sessions in parallel one wins (invariant 4)', async () => {
    const first = await engaged()
    const second = await engaged(first.mentor)
    const [a, b] = await Promise.all([
      call(world, 'POST', `/v1/engagements/${first.engagementId}/sessions`, {
        token: first.mentor.token,
        body: online('2026-03-04T02:00:00Z', '2026-03-04T03:30:00Z'),
      }),
      call(world, 'POST', `/v1/engagements/${second.engagementId}/sessions`, {
        token: first.mentor.token,
        body: online('2026-03-04T03:15:00Z', '2026-03-04T04:00:00Z'),
      }),
    ])
    expect([a?.status, b?.status].sort()).toEqual([201, 409])
    const loser = a?.status === 409 ? a : b
    expect(loser?.body.type).toBe('urn:pendamping:problem:session-overlap')
    const winner = a?.status === 201 ? a : b
    expect((await slotsOf(first.mentor.id)).length).toBe(winner === a ? 6 : 3)
  })

  it('lets sessions that only touch both be booked', async () => {
    const { mentor, engagementId } = await engaged()
    const [a, b] = await Promise.all([
      call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
        token: mentor.token,
        body: online('2026-03-05T02:00:00Z', '2026-03-05T03:00:00Z'),
      }),
      call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
        token: mentor.token,
        body: online('2026-03-05T03:00:00Z', '2026-03-05T04:00:00Z'),
      }),
    ])
    expect([a?.status, b?.status]).toEqual([201, 201])
  })

  it('reschedules by moving its slots, refusing a clash', async () => {
    const { mentor, engagementId } = await engaged()
    const path = `/v1/engagements/${engagementId}/sessions`
    const first = await call(world, 'POST', path, {
      token: mentor.token,
      body: online('2026-03-06T02:00:00Z', '2026-03-06T03:00:00Z'),
    })
    await call(world, 'POST', path, {
      token: mentor.token,
      body: online('2026-03-06T05:00:00Z', '2026-03-06T06:00:00Z'),
    })
    const clash = await call(world, 'PATCH', `/v1/sessions/${first.body.id}`, {
      token: mentor.token,
      body: { startsAt: '2026-03-06T04:30:00Z', endsAt: '2026-03-06T05:30:00Z' },
    })
    expect(clash.status).toBe(409)
    expect(clash.body.type).toBe('urn:pendamping:problem:session-overlap')

    const moved = await call(world, 'PATCH', `/v1/sessions/${first.body.id}`, {
      token: mentor.token,
      body: {
        startsAt: '2026-03-06T02:30:00Z',
        endsAt: '2026-03-06T03:30:00Z',
        mode: 'offline',
        place: 'Balai Kelurahan Lowokwaru',
      },
    })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({
      mode: 'offline',
      place: 'Balai Kelurahan Lowokwaru',
      meetingUrl: null,
    })
    const slots = await slotsOf(mentor.id)
    expect(slots).not.toContain('SLOT#2026-03-06T02:00:00.000Z')
    expect(slots).toContain('SLOT#2026-03-06T03:15:00.000Z')
    expect(await eventsOf(world, 'SessionRescheduled')).toContainEqual(
      expect.objectContaining({ sessionId: first.body.id, previousStartsAt: '2026-03-06T02:00:00.000Z' }),
    )
  })

  it('cancels a session and frees its time for another', async () => {
    const { mentor, engagementId } = await engaged()
    const path = `/v1/engagements/${engagementId}/sessions`
    const made = await call(world, 'POST', path, {
      token: mentor.token,
      body: online('2026-03-07T02:00:00Z', '2026-03-07T03:00:00Z'),
    })
    expect(
      (
        await call(world, 'POST', `/v1/sessions/${made.body.id}/cancel`, {
          token: await staff(world, '35.07'),
        })
      ).status,
    ).toBe(404)
    const cancelled = await call(world, 'POST', `/v1/sessions/${made.body.id}/cancel`, {
      token: await staff(world, '35'),
    })
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'staff' })
    expect(await slotsOf(mentor.id)).toEqual([])
    expect(
      (await call(world, 'POST', `/v1/sessions/${made.body.id}/cancel`, { token: mentor.token })).status,
    ).toBe(409)
    const again = await call(world, 'POST', path, {
      token: mentor.token,
      body: online('2026-03-07T02:00:00Z', '2026-03-07T03:00:00Z'),
    })
    expect(again.status).toBe(201)
    expect(await eventsOf(world, 'SessionCancelled')).toContainEqual(
      expect.objectContaining({ sessionId: made.body.id, by: 'staff' }),
    )
  })
})

describe('Completing sessions, feedback and closing', () => {
  it('completes only after the start, takes one rating, and closes the engagement', async () => {
    const { mentor, engagementId, requestId, trackingToken } = await engaged()
    const made = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      body: online('2026-03-09T02:00:00Z', '2026-03-09T03:30:00Z'),
    })
    const id = made.body.id
    const early = await call(world, 'POST', `/v1/sessions/${id}/complete`, {
      token: mentor.token,
      body: { attendance: 'attended' },
    })
    expect(early.status).toBe(409)
    expect(early.body.type).toBe('urn:pendamping:problem:session-not-started')
    const feedbackEarly = await call(world, 'POST', `/v1/sessions/${id}/feedback`, {
      headers: { 'x-tracking-token': trackingToken },
      body: { rating: 5 },
    })
    expect(feedbackEarly.status).toBe(409)
    expect(feedbackEarly.body.type).toBe('urn:pendamping:problem:session-not-completed')
    const pending = await call(world, 'POST', `/v1/engagements/${engagementId}/close`, {
      token: mentor.token,
      body: { outcome: 'completed' },
    })
    expect(pending.body.type).toBe('urn:pendamping:problem:sessions-pending')

    world.clock.set('2026-03-09T03:30:00.000Z')
    try {
      const done = await call(world, 'POST', `/v1/sessions/${id}/complete`, {
        token: mentor.token,
        body: {
          attendance: 'attended',
          notes: 'Membuat akun Instagram bisnis dan jadwal konten dua minggu.',
          outcomes: ['instagram_business_account'],
        },
      })
      expect(done.status).toBe(200)
      expect(done.body).toMatchObject({ status: 'completed', outcomes: ['instagram_business_account'] })
      expect(await slotsOf(mentor.id)).toHaveLength(6)
      expect(await eventsOf(world, 'SessionCompleted')).toContainEqual(
        expect.objectContaining({ sessionId: id, outcomes: ['instagram_business_account'] }),
      )

      // The owner rates it once, with the request's tracking token.
      const path = `/v1/sessions/${id}/feedback`
      expect((await call(world, 'POST', path, { body: { rating: 5 } })).status).toBe(401)
      const wrong = await call(world, 'POST', path, {
        headers: { 'x-tracking-token': 'A'.repeat(43) },
        body: { rating: 5 },
      })
      expect(wrong.status).toBe(404)
      const headers = { 'x-tracking-token': trackingToken }
      const first = await call(world, 'POST', path, {
        headers,
        body: { rating: 4, comment: 'Sangat membantu, terima kasih!' },
      })
      expect(first.status).toBe(201)
      expect(first.headers.get('cache-control')).toBe('no-store')
      const second = await call(world, 'POST', path, { headers, body: { rating: 1 } })
      expect(second.status).toBe(409)
      expect(second.body.type).toBe('urn:pendamping:problem:feedback-exists')
      const { Item: load } = await world.store.doc.send(
        new GetCommand({ TableName: world.store.tableName, Key: keys.mentorLoad(mentor.id) }),
      )
      expect(load).toMatchObject({ ratingSum: 4, ratingCount: 1, active: 1 })
      expect(await eventsOf(world, 'FeedbackReceived')).toContainEqual(
        expect.objectContaining({ sessionId: id, rating: 4 }),
      )

      const note = await call(world, 'POST', `/v1/engagements/${engagementId}/progress`, {
        token: mentor.token,
        body: { note: 'Omzet online naik, 12 pesanan lewat Instagram.', outcomes: ['first_online_sale'] },
      })
      expect(note.status).toBe(201)

      const closed = await call(world, 'POST', `/v1/engagements/${engagementId}/close`, {
        token: mentor.token,
        body: { outcome: 'completed' },
      })
      expect(closed.status).toBe(200)
      expect(closed.body).toMatchObject({
        status: 'completed',
        completedSessions: 1,
        minutes: 90,
        progress: [expect.anything()],
      })
      const { Item: after } = await world.store.doc.send(
        new GetCommand({ TableName: world.store.tableName, Key: keys.mentorLoad(mentor.id) }),
      )
      expect(after?.active).toBe(0)
      expect((await getRequest(world.store, requestId))?.status).toBe('completed')
      expect(await eventsOf(world, 'EngagementEnded')).toContainEqual(
        expect.objectContaining({ engagementId, outcome: 'completed' }),
      )
    } finally {
      world.clock.set('2026-03-02T01:00:00.000Z')
    }
  })

  it('records a no-show', async () => {
    const { mentor, engagementId } = await engaged()
    const made = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      body: online('2026-03-10T02:00:00Z', '2026-03-10T03:00:00Z'),
    })
    world.clock.set('2026-03-10T02:30:00.000Z')
    try {
      const complete = () =>
        call(world, 'POST', `/v1/sessions/${made.body.id}/complete`, {
          token: mentor.token,
          body: { attendance: 'no_show', outcomes: ['new_logo'] },
          headers: { 'idempotency-key': `complete-${made.body.id}` },
        })
      const missed = await complete()
      expect(missed.body).toMatchObject({ status: 'no_show', attendance: 'no_show', outcomes: [] })
      // A retry with the same key gets the first answer, not a 409.
      const retried = await complete()
      expect(retried.status).toBe(200)
      expect(retried.body).toEqual(missed.body)
      expect(
        (await eventsOf(world, 'SessionNoShow')).filter((event) => event.sessionId === made.body.id),
      ).toHaveLength(1)
      expect(await eventsOf(world, 'SessionNoShow')).toContainEqual(
        expect.objectContaining({ sessionId: made.body.id }),
      )
    } finally {
      world.clock.set('2026-03-02T01:00:00.000Z')
    }
  })
})

describe('Who may touch sessions and engagements', () => {
  it('answers each caller as the matrix says', async () => {
    const { mentor, engagementId } = await engaged()
    const other = await approvedMentor(world)
    const made = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      body: online('2026-03-11T02:00:00Z', '2026-03-11T03:00:00Z'),
    })
    const session = `/v1/sessions/${made.body.id}`
    const engagement = `/v1/engagements/${engagementId}`
    const newSession = online('2026-03-12T02:00:00Z', '2026-03-12T03:00:00Z')
    const move = { startsAt: '2026-03-13T02:00:00Z', endsAt: '2026-03-13T03:00:00Z' }
    const tokens = {
      anonymous: undefined,
      'other mentor': other.token,
      'staff of the region': await staff(world, '35.73'),
      'staff of another region': await staff(world, '35.07'),
      admin: await admin(world),
    }
    const expected: Record<string, Record<keyof typeof tokens, number>> = {
      [`GET ${engagement}`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 200,
        'staff of another region': 404,
        admin: 200,
      },
      [`GET ${engagement}/sessions`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 200,
        'staff of another region': 404,
        admin: 200,
      },
      [`POST ${engagement}/sessions`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 403,
        'staff of another region': 403,
        admin: 403,
      },
      [`POST ${engagement}/progress`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 403,
        'staff of another region': 403,
        admin: 403,
      },
      [`GET ${session}`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 200,
        'staff of another region': 404,
        admin: 200,
      },
      [`PATCH ${session}`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 403,
        'staff of another region': 403,
        admin: 403,
      },
      [`POST ${session}/complete`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 403,
        'staff of another region': 403,
        admin: 403,
      },
      // The admin cancels it; staff of the region, asked after, find it cancelled.
      [`POST ${session}/cancel`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 409,
        'staff of another region': 404,
        admin: 200,
      },
      [`POST ${engagement}/close`]: {
        anonymous: 401,
        'other mentor': 404,
        'staff of the region': 409,
        'staff of another region': 404,
        admin: 409,
      },
    }
    const bodies: Record<string, unknown> = {
      [`POST ${engagement}/sessions`]: newSession,
      [`POST ${engagement}/progress`]: { note: 'Catatan' },
      [`PATCH ${session}`]: move,
      [`POST ${session}/complete`]: { attendance: 'attended' },
      [`POST ${engagement}/close`]: { outcome: 'ended' },
    }
    // Staff of the region and admins may close the engagement, but not while its session is
    // scheduled (409); they are asked after the cancel, so the admin's close is the one that succeeds.
    expected[`POST ${engagement}/close`] = {
      ...(expected[`POST ${engagement}/close`] ?? {}),
      'staff of the region': 200,
      admin: 409,
    } as Record<keyof typeof tokens, number>
    const order = Object.keys(expected)
    for (const route of order) {
      const [method = 'GET', path = ''] = route.split(' ')
      const callers = Object.entries(tokens)
      // On cancel, the admin goes first among those who may.
      if (route.endsWith('/cancel')) callers.sort(([a], [b]) => (a === 'admin' ? -1 : b === 'admin' ? 1 : 0))
      for (const [who, token] of callers) {
        const answer = await call(world, method, path, { token, body: bodies[route] })
        expect({ route, who, status: answer.status }).toEqual({
          route,
          who,
          status: expected[route]?.[who as keyof typeof tokens],
        })
      }
    }
  })
})

describe('Bad input on sessions', () => {
  it('refuses bad sessions with a 400 listing the fields, and writes nothing', async () => {
    const { mentor, engagementId } = await engaged()
    const path = `/v1/engagements/${engagementId}/sessions`
    const good = online('2026-03-16T02:00:00Z', '2026-03-16T03:00:00Z')
    const cases: Array<[string, unknown, string[]]> = [
      ['malformed JSON', '{"startsAt":', []],
      ['offset instead of Z', { ...good, startsAt: '2026-03-16T09:00:00+07:00' }, ['startsAt']],
      ['not a date', { ...good, endsAt: 'besok' }, ['endsAt']],
      ['off the quarter hour', { ...good, startsAt: '2026-03-16T02:10:00Z' }, ['startsAt']],
      ['end before start', { ...good, endsAt: '2026-03-16T01:00:00Z' }, ['endsAt']],
      ['over four hours', { ...good, endsAt: '2026-03-16T06:15:00Z' }, ['endsAt']],
      ['in the past', online('2026-03-01T02:00:00Z', '2026-03-01T03:00:00Z'), ['startsAt']],
      ['unknown zone', { ...good, timeZone: 'Asia/Singapore' }, ['timeZone']],
      ['http link', { ...good, meetingUrl: 'http://meet.example.com/x' }, ['meetingUrl']],
      ['script link', { ...good, meetingUrl: 'javascript:alert(1)' }, ['meetingUrl']],
      ['online without link', { ...good, meetingUrl: undefined }, ['meetingUrl']],
      ['offline without place', { ...good, mode: 'offline', meetingUrl: undefined }, ['place']],
      ['wrong type', { ...good, topics: 'social_media' }, ['topics']],
      ['too many topics', { ...good, topics: ['a_1', 'b_2', 'c_3', 'd_4', 'e_5', 'f_6'] }, ['topics']],
      ['oversize place', { ...good, mode: 'offline', place: 'x'.repeat(301) }, ['place']],
      ['unknown field', { ...good, mentorId: 'someone' }, ['']],
    ]
    for (const [what, body, fields] of cases) {
      const answer = await call(world, 'POST', path, {
        token: mentor.token,
        ...(typeof body === 'string' ? { raw: body } : { body }),
      })
      expect({ what, status: answer.status }).toEqual({ what, status: 400 })
      if (fields.length > 0)
        expect({
          what,
          paths: [...new Set(answer.body.errors.map((error: { path: string }) => error.path))],
        }).toEqual({
          what,
          paths: fields,
        })
    }
    const completion = await call(world, 'POST', '/v1/sessions/nope/complete', {
      token: mentor.token,
      body: { attendance: 'maybe', notes: 'x'.repeat(2001), outcomes: ['viral'] },
    })
    expect(completion.status).toBe(400)
    expect(completion.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      ['attendance', 'notes', 'outcomes.0'].sort(),
    )
    const feedback = await call(world, 'POST', '/v1/sessions/nope/feedback', {
      headers: { 'x-tracking-token': 'x' },
      body: { rating: 6, comment: 'x'.repeat(1001) },
    })
    expect(feedback.status).toBe(400)
    expect(feedback.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'comment',
      'rating',
    ])
    expect(await slotsOf(mentor.id)).toEqual([])
    expect(
      (await call(world, 'GET', `/v1/engagements/${engagementId}/sessions`, { token: mentor.token })).body
        .items,
    ).toEqual([])
  })
})
