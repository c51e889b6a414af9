import { createHash } from 'node:crypto'
import { drawOrder } from '@pendamping/core/class'
import { sweepDue } from '@pendamping/core/followup'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type ClassWorld,
  classInput,
  createClassWorld,
  deliverEvents,
  detailsOf,
  newProgram,
  openClass,
  phoneOf,
  register,
  registration,
} from './classes.fixture.ts'
import { admin, approvedMentor, call, itemsOf, offerTo, staff } from './mentors.fixture.ts'

const table = useTestTable()
let world: ClassWorld
let programId: string
let trainer: { id: string; token: string }

beforeAll(async () => {
  // Monday 2 March 2026, 08:00 WIB.
  world = await createClassWorld(table)
  programId = (await newProgram(world)).id
  trainer = await approvedMentor(world, { capacity: 5 })
})

const staffToken = () => staff(world, '35.73')
const count = async (entity: string) => (await scanTable(table, entity)).length
const slotsOf = async (mentorId: string) =>
  (await itemsOf(world, `MENTOR#${mentorId}`)).filter((item) => String(item.sk).startsWith('SLOT#'))

/** A trainer with an accepted engagement, to book sessions with. */
async function engagedTrainer() {
  const mentor = await approvedMentor(world, { capacity: 5 })
  const { offerId } = await offerTo(world, mentor.id)
  const accepted = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })
  if (accepted.status !== 201) throw new Error(`accept: ${JSON.stringify(accepted.body)}`)
  return { mentor, engagementId: accepted.body.id as string }
}

describe('National programs', () => {
  it('lets an admin run a program with no region, and asks staff for theirs', async () => {
    const national = await newProgram(world, { region: undefined }, await admin(world))
    expect(national.region).toBe('*')
    const refused = await call(world, 'POST', '/v1/programs', {
      token: await staffToken(),
      body: {
        name: 'Tanpa wilayah',
        topics: ['content'],
        timeZone: 'Asia/Jakarta',
        startsAt: '2026-03-01T00:00:00Z',
        endsAt: '2026-04-01T00:00:00Z',
        segments: { umum: 5 },
      },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'region' })])
  })

  it('lets an admin create a national class in it, open to every region', async () => {
    const national = await newProgram(world, { region: undefined }, await admin(world))
    const info = await openClass(
      world,
      classInput(national.id, [trainer.id], {
        meetings: [{ startsAt: '2026-03-20T02:00:00Z', endsAt: '2026-03-20T03:00:00Z' }],
      }),
      { token: await admin(world) },
    )
    expect(info).toMatchObject({ region: '*', status: 'open' })
    const papua = await register(world, info.id, 9001, {
      person: { name: 'Yosefa', phone: phoneOf(9001), region: '91.71' },
    })
    expect(papua.status).toBe(201)
  })
})

describe('Classes', () => {
  it('are created as drafts by staff, seen only by their region until published', async () => {
    const draft = await openClass(
      world,
      classInput(programId, [trainer.id], {
        meetings: [{ startsAt: '2026-03-11T02:00:00Z', endsAt: '2026-03-11T04:00:00Z' }],
      }),
      { publish: false },
    )
    expect(draft).toMatchObject({
      status: 'draft',
      seats: { umum: { quota: 2, left: 2 } },
      trainers: [{ mentorId: trainer.id }],
    })
    expect((await call(world, 'GET', `/v1/classes/${draft.id}`)).status).toBe(404)
    expect(
      (await call(world, 'GET', `/v1/classes/${draft.id}`, { token: await staff(world, '35.78') })).status,
    ).toBe(404)
    expect((await call(world, 'GET', `/v1/classes/${draft.id}`, { token: await staffToken() })).status).toBe(
      200,
    )
    expect((await register(world, draft.id, 1)).status).toBe(404)
    // Staff of another region may not publish it.
    expect(
      (await call(world, 'POST', `/v1/classes/${draft.id}/publish`, { token: await staff(world, '35.78') }))
        .status,
    ).toBe(404)
    const published = await call(world, 'POST', `/v1/classes/${draft.id}/publish`, {
      token: await staffToken(),
    })
    expect(published.body).toMatchObject({ status: 'open', seedHash: null })
    expect((await call(world, 'GET', `/v1/classes/${draft.id}`)).body.status).toBe('open')
    const cancelByOther = await call(world, 'POST', `/v1/classes/${draft.id}/cancel`, {
      token: await staff(world, '35.78'),
    })
    expect(cancelByOther.status).toBe(403)
  })

  it('refuse a meeting over a trainer’s session: 409 and nothing written (invariant 4)', async () => {
    const { mentor, engagementId } = await engagedTrainer()
    const session = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      body: {
        startsAt: '2026-03-12T03:00:00Z',
        endsAt: '2026-03-12T04:00:00Z',
        mode: 'online',
        meetingUrl: 'https://meet.google.com/xyz-abcd-efg',
        topics: ['content'],
      },
    })
    expect(session.status).toBe(201)
    const [classesBefore, slotsBefore, eventsBefore] = [
      await count('class'),
      (await slotsOf(mentor.id)).length,
      await count('event'),
    ]
    const clash = await call(world, 'POST', '/v1/classes', {
      token: await staffToken(),
      body: classInput(programId, [trainer.id, mentor.id], {
        meetings: [{ startsAt: '2026-03-12T02:00:00Z', endsAt: '2026-03-12T03:15:00Z' }],
      }),
    })
    expect(clash.status).toBe(409)
    expect(clash.body.type).toBe('urn:pendamping:problem:meeting-overlap')
    expect(await count('class')).toBe(classesBefore)
    expect((await slotsOf(mentor.id)).length).toBe(slotsBefore)
    expect(await count('event')).toBe(eventsBefore)
    // A meeting that only touches the session books.
    const touching = await call(world, 'POST', '/v1/classes', {
      token: await staffToken(),
      body: classInput(programId, [mentor.id], {
        meetings: [{ startsAt: '2026-03-12T02:00:00Z', endsAt: '2026-03-12T03:00:00Z' }],
      }),
    })
    expect(touching.status).toBe(201)
  })

  it('refuse a session over a trainer’s meeting (one invariant for both), and free the time when cancelled', async () => {
    const { mentor, engagementId } = await engagedTrainer()
    const info = await openClass(
      world,
      classInput(programId, [mentor.id], {
        meetings: [{ startsAt: '2026-03-13T02:00:00Z', endsAt: '2026-03-13T04:00:00Z' }],
      }),
    )
    expect((await slotsOf(mentor.id)).length).toBe(8)
    const body = {
      startsAt: '2026-03-13T03:30:00Z',
      endsAt: '2026-03-13T04:30:00Z',
      mode: 'online',
      meetingUrl: 'https://meet.google.com/xyz-abcd-efg',
      topics: ['content'],
    }
    const clash = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
      token: mentor.token,
      body,
    })
    expect(clash.status).toBe(409)
    expect(clash.body.type).toBe('urn:pendamping:problem:session-overlap')
    const cancelled = await call(world, 'POST', `/v1/classes/${info.id}/cancel`, {
      token: await staffToken(),
    })
    expect(cancelled.body.status).toBe('cancelled')
    expect((await slotsOf(mentor.id)).length).toBe(0)
    expect(
      (await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, { token: mentor.token, body }))
        .status,
    ).toBe(201)
  })

  it('refuse meetings that overlap each other, are off the quarter hours or in the past, listing the fields', async () => {
    const before = await count('class')
    const answer = await call(world, 'POST', '/v1/classes', {
      token: await staffToken(),
      body: classInput(programId, [trainer.id], {
        registrationClosesAt: '2026-02-28T00:00:00Z',
        meetings: [
          { startsAt: '2026-03-14T02:00:00Z', endsAt: '2026-03-14T04:00:00Z' },
          { startsAt: '2026-03-14T03:00:00Z', endsAt: '2026-03-14T03:10:00Z' },
          { startsAt: '2026-03-01T02:00:00Z', endsAt: '2026-03-01T03:00:00Z' },
        ],
      }),
    })
    expect(answer.status).toBe(400)
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['meetings.1.startsAt', 'meetings.1.endsAt', 'meetings.2.startsAt']),
    )
    expect(await count('class')).toBe(before)
  })
})

describe('Registering', () => {
  it('takes anyone without an account, once per phone, and gives a private link', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        meetings: [{ startsAt: '2026-03-15T02:00:00Z', endsAt: '2026-03-15T03:00:00Z' }],
      }),
    )
    const first = await register(world, info.id, 100)
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      status: 'confirmed',
      participantToken: expect.stringMatching(/^[\w-]{43}$/),
    })
    const participant = (await itemsOf(world, `PARTICIPANT#${first.body.participantId}`))[0]
    expect(participant?.phone).toBe('+6281200000100')
    expect(participant?.tokenHash).toBe(
      createHash('sha256').update(first.body.participantToken).digest('base64url'),
    )
    expect(JSON.stringify(participant)).not.toContain(first.body.participantToken)
    // The same phone, written another way, gets no second place.
    const again = await register(world, info.id, 101, {
      person: { name: 'Lagi', phone: '+62 812-0000-0100', region: '35.73' },
    })
    expect(again.status).toBe(409)
    expect(again.body.type).toBe('urn:pendamping:problem:already-registered')
    const page = await call(world, 'GET', `/v1/participants/${first.body.participantId}`, {
      headers: { 'x-tracking-token': first.body.participantToken },
    })
    expect(page.status).toBe(200)
    expect(page.body.registrations).toEqual([
      expect.objectContaining({
        registration: expect.objectContaining({ status: 'confirmed' }),
        meetingUrl: 'https://meet.google.com/abc-defg-hij',
      }),
    ])
    expect(
      (
        await call(world, 'GET', `/v1/participants/${first.body.participantId}`, {
          headers: { 'x-tracking-token': 'x'.repeat(43) },
        })
      ).status,
    ).toBe(404)
  })

  it('holds one phone to one place under concurrency', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        seats: { umum: 10 },
        meetings: [{ startsAt: '2026-03-16T02:00:00Z', endsAt: '2026-03-16T03:00:00Z' }],
      }),
    )
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        register(world, info.id, 200, {
          person: { name: `Kembar ${i}`, phone: phoneOf(200), region: '35.73' },
        }),
      ),
    )
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1)
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(11)
    expect((await call(world, 'GET', `/v1/classes/${info.id}`)).body.seats.umum.admitted).toBe(1)
  })

  it('queues the overflow in arrival order and promotes the oldest when a seat frees', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        seats: { umum: 2 },
        meetings: [{ startsAt: '2026-03-17T02:00:00Z', endsAt: '2026-03-17T03:00:00Z' }],
      }),
    )
    const a = await register(world, info.id, 300)
    const b = await register(world, info.id, 301)
    world.clock.advance(1000)
    const c = await register(world, info.id, 302)
    world.clock.advance(1000)
    const d = await register(world, info.id, 303)
    expect([a, b, c, d].map((answer) => answer.body.status)).toEqual([
      'confirmed',
      'confirmed',
      'waitlisted',
      'waitlisted',
    ])
    await deliverEvents(world)
    expect((await call(world, 'GET', `/v1/classes/${info.id}`)).body.status).toBe('full')
    const cancelled = await call(world, 'POST', `/v1/registrations/${a.body.id}/cancel`, {
      headers: { 'x-tracking-token': a.body.participantToken },
    })
    expect(cancelled.body.status).toBe('cancelled')
    await deliverEvents(world)
    const roster = await call(world, 'GET', `/v1/classes/${info.id}/roster`, { token: trainer.token })
    expect(roster.body.items.map((item: { id: string }) => item.id).sort()).toEqual(
      [b.body.id, c.body.id].sort(),
    )
    expect((await detailsOf(world, 'RegistrationPromoted')).map((detail) => detail.registrationId)).toContain(
      c.body.id,
    )
    expect(
      world.notifier.sent.filter((message) => message.kind === 'class-promoted').map((message) => message.to),
    ).toContain('+6281200000302')
    // The freed phone may register again (onto the waitlist, behind d).
    expect((await register(world, info.id, 300)).body.status).toBe('waitlisted')
  })

  it('takes an HTML form post and the same person again through their private link', async () => {
    const first = await openClass(
      world,
      classInput(programId, [trainer.id], {
        meetings: [{ startsAt: '2026-03-18T02:00:00Z', endsAt: '2026-03-18T03:00:00Z' }],
      }),
    )
    const second = await openClass(
      world,
      classInput(programId, [trainer.id], {
        title: 'Foto produk',
        meetings: [{ startsAt: '2026-03-18T04:00:00Z', endsAt: '2026-03-18T05:00:00Z' }],
      }),
    )
    const form = new URLSearchParams({
      'person.name': 'Siti Aminah',
      'person.phone': '0813-4444-5555',
      'person.region': '35.73',
      segment: 'asn',
      interest: 'content',
      'consent.purposeVersion': '2026-11',
      'consent.purposes.reminders': 'true',
    })
    const posted = await world.app.request(`/v1/classes/${first.id}/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(posted.status).toBe(201)
    const registered = await posted.json()
    const again = await call(world, 'POST', `/v1/classes/${second.id}/registrations`, {
      headers: { 'x-tracking-token': registered.participantToken },
      body: { participantId: registered.participantId, segment: 'umum' },
    })
    expect(again.status).toBe(201)
    expect(again.body.participantToken).toBeUndefined()
    const page = await call(world, 'GET', `/v1/participants/${registered.participantId}`, {
      headers: { 'x-tracking-token': registered.participantToken },
    })
    expect(
      page.body.registrations.map((entry: { class: { title: string } }) => entry.class.title).sort(),
    ).toEqual(['Foto produk', 'Sinau TikTok & YouTube'])
    expect(page.body.consent).toEqual({
      matching_contact: false,
      reminders: true,
      program_reports: false,
      follow_on_invitations: false,
    })
    const wrongToken = await call(world, 'POST', `/v1/classes/${second.id}/registrations`, {
      headers: { 'x-tracking-token': 'y'.repeat(43) },
      body: { participantId: registered.participantId, segment: 'umum' },
    })
    expect(wrongToken.status).toBe(404)
  })

  it('replays a retried POST with the same Idempotency-Key and takes no second place', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        meetings: [{ startsAt: '2026-03-19T02:00:00Z', endsAt: '2026-03-19T03:00:00Z' }],
      }),
    )
    const headers = { 'idempotency-key': 'daftar-400' }
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(world, 'POST', `/v1/classes/${info.id}/registrations`, { headers, body: registration(400) }),
      ),
    )
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1)
    expect(answers.every((answer) => answer.status === 201)).toBe(true)
    expect((await call(world, 'GET', `/v1/classes/${info.id}`)).body.seats.umum.admitted).toBe(1)
  })
})

describe('Lottery classes', () => {
  it('publish the seed’s hash, draw at close, reveal the seed, and the order re-runs', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        admission: 'lottery',
        seats: { umum: 3, asn: 1 },
        meetings: [{ startsAt: '2026-03-21T02:00:00Z', endsAt: '2026-03-21T03:00:00Z' }],
      }),
    )
    expect(info.seedHash).toMatch(/^[0-9a-f]{64}$/)
    expect(info.seed).toBeNull()
    const answers = []
    for (let n = 500; n < 508; n++)
      answers.push(await register(world, info.id, n, { segment: n % 2 === 0 ? 'umum' : 'asn' }))
    expect(answers.every((answer) => answer.body.status === 'registered')).toBe(true)
    expect((await call(world, 'GET', `/v1/classes/${info.id}/draw`)).status).toBe(409)
    const closed = await call(world, 'POST', `/v1/classes/${info.id}/close`, { token: await staffToken() })
    expect(closed.status).toBe(200)
    expect((await register(world, info.id, 508)).body.type).toBe('urn:pendamping:problem:class-not-open')
    await deliverEvents(world)
    const draw = await call(world, 'GET', `/v1/classes/${info.id}/draw`)
    expect(draw.status).toBe(200)
    expect(createHash('sha256').update(draw.body.seed).digest('hex')).toBe(info.seedHash)
    expect(
      drawOrder(
        draw.body.seed,
        answers.map((answer) => answer.body.id),
      ),
    ).toEqual(draw.body.registrationIds)
    const seated = await call(world, 'GET', `/v1/classes/${info.id}/roster`, { token: await staffToken() })
    const waiting = await call(world, 'GET', `/v1/classes/${info.id}/roster?status=waitlisted`, {
      token: await staffToken(),
    })
    expect(seated.body.items).toHaveLength(4)
    expect(waiting.body.items).toHaveLength(4)
    // Seats go down the drawn order, per segment.
    const order: string[] = draw.body.registrationIds
    const segmentOf = new Map(
      answers.map((answer, i) => [answer.body.id, (500 + i) % 2 === 0 ? 'umum' : 'asn']),
    )
    const expected = { umum: 3, asn: 1 } as Record<string, number>
    const shouldSeat = order.filter((id) => {
      const segment = segmentOf.get(id) ?? ''
      if ((expected[segment] ?? 0) === 0) return false
      expected[segment] = (expected[segment] ?? 0) - 1
      return true
    })
    expect(seated.body.items.map((item: { id: string }) => item.id).sort()).toEqual(shouldSeat.sort())
    expect(waiting.body.items.every((item: { drawRank: number }) => item.drawRank > 0)).toBe(true)
    expect((await call(world, 'GET', `/v1/classes/${info.id}`)).body.seed).toBe(draw.body.seed)
    expect(world.notifier.sent.filter((message) => message.kind === 'class-drawn')).toHaveLength(8)
  })
})

describe('Lottery classes, at their planned close', () => {
  it('are drawn by the timed duty when registration closes, nobody asking', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        admission: 'lottery',
        seats: { umum: 1 },
        registrationClosesAt: '2026-03-20T00:00:00Z',
        meetings: [{ startsAt: '2026-03-21T05:00:00Z', endsAt: '2026-03-21T06:00:00Z' }],
      }),
    )
    const entries = [await register(world, info.id, 550), await register(world, info.id, 551)]
    await deliverEvents(world)
    world.clock.set('2026-03-20T00:00:30Z')
    await sweepDue(world.store, world.clock)
    await deliverEvents(world)
    const draw = await call(world, 'GET', `/v1/classes/${info.id}/draw`)
    expect(draw.status).toBe(200)
    expect([...draw.body.registrationIds].sort()).toEqual(entries.map((entry) => entry.body.id).sort())
    const seated = await call(world, 'GET', `/v1/classes/${info.id}/roster`, { token: await staffToken() })
    expect(seated.body.items.map((item: { id: string }) => item.id)).toEqual([draw.body.registrationIds[0]])
    world.clock.set('2026-03-02T01:00:00Z')
  })
})

describe('Attendance, groups and completion', () => {
  it('runs a two-meeting class: roster, check-in code, marks, groups, completion once', async () => {
    const other = await approvedMentor(world)
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        seats: { umum: 5 },
        meetings: [
          { startsAt: '2026-03-22T02:00:00Z', endsAt: '2026-03-22T04:00:00Z' },
          { startsAt: '2026-03-22T05:00:00Z', endsAt: '2026-03-22T07:00:00Z' },
        ],
      }),
    )
    // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, field by field
    const people: any[] = []
    for (let n = 600; n < 604; n++)
      people.push(
        (await register(world, info.id, n, { interest: n < 602 ? 'content' : 'social_media' })).body,
      )
    const tokenOf = (i: number) => ({ 'x-tracking-token': people[i].participantToken })
    const path = `/v1/classes/${info.id}`
    // Only the class's trainers and its region's staff run it.
    expect((await call(world, 'GET', `${path}/roster`, { token: other.token })).status).toBe(403)
    expect((await call(world, 'GET', `${path}/roster`, { token: await staff(world, '35.78') })).status).toBe(
      403,
    )
    const roster = await call(world, 'GET', `${path}/roster`, { token: trainer.token })
    expect(roster.body.items).toHaveLength(4)
    const marks = (meeting: string, body: unknown, token = trainer.token) =>
      call(world, 'POST', `${path}/meetings/${meeting}/attendance`, { token, body })
    expect(
      (await marks('m1', { marks: [{ registrationId: people[0].id, mark: 'present' }] })).body.type,
    ).toBe('urn:pendamping:problem:meeting-not-started')
    expect(
      (await marks('m1', { marks: [{ registrationId: people[0].id, mark: 'present' }] }, other.token)).status,
    ).toBe(403)

    world.clock.set('2026-03-22T02:30:00Z')
    const code = await call(world, 'POST', `${path}/meetings/m1/check-in-code`, { token: trainer.token })
    expect(code.body.code).toMatch(/^[A-Z2-9]{6}$/)
    expect(
      (await call(world, 'POST', `${path}/meetings/m1/check-in-code`, { token: trainer.token })).body.code,
    ).toBe(code.body.code)
    const wrong = await call(world, 'POST', `/v1/registrations/${people[0].id}/check-in`, {
      headers: tokenOf(0),
      body: { code: code.body.code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA' },
    })
    expect(wrong.body.type).toBe('urn:pendamping:problem:check-in-refused')
    const checked = await call(world, 'POST', `/v1/registrations/${people[0].id}/check-in`, {
      headers: tokenOf(0),
      body: { code: code.body.code.toLowerCase() },
    })
    expect(checked.body.attendance).toEqual({ m1: 'present' })
    // A registration not on this class's roster: nothing written.
    const stranger = await marks('m1', {
      marks: [
        { registrationId: people[1].id, mark: 'present' },
        { registrationId: 'bukan-peserta', mark: 'absent' },
      ],
    })
    expect(stranger.status).toBe(400)
    expect(stranger.body.errors).toEqual([expect.objectContaining({ path: 'marks.1.registrationId' })])
    expect(
      (await call(world, 'GET', `${path}/roster`, { token: trainer.token })).body.items.find(
        (item: { id: string }) => item.id === people[1].id,
      ).attendance,
    ).toEqual({})
    const recorded = await marks('m1', {
      marks: [
        { registrationId: people[1].id, mark: 'present' },
        { registrationId: people[2].id, mark: 'absent' },
        { registrationId: people[3].id, mark: 'present' },
      ],
    })
    expect(recorded.status).toBe(200)
    expect((await call(world, 'GET', path)).body.status).toBe('running')
    const groups = await call(world, 'POST', `${path}/meetings/m1/groups`, {
      token: trainer.token,
      body: { by: 'count', value: 2, topics: ['umum'], byInterest: true },
    })
    expect(
      groups.body.groups
        .map((group: { topic: string; registrationIds: string[] }) => [
          group.topic,
          group.registrationIds.length,
        ])
        .sort(),
    ).toEqual([
      ['content', 2],
      ['social_media', 1],
    ])
    const page = await call(world, 'GET', `/v1/participants/${people[0].participantId}`, {
      headers: tokenOf(0),
    })
    expect(page.body.registrations[0].groups).toEqual([
      { meetingId: 'm1', number: expect.any(Number), topic: 'content' },
    ])

    world.clock.set('2026-03-22T05:10:00Z')
    const code2 = await call(world, 'POST', `${path}/meetings/m2/check-in-code`, { token: trainer.token })
    expect(
      (
        await call(world, 'POST', `/v1/registrations/${people[0].id}/check-in`, {
          headers: tokenOf(0),
          body: { code: code2.body.code },
        })
      ).status,
    ).toBe(200)
    await marks('m2', {
      marks: [
        { registrationId: people[1].id, mark: 'present' },
        { registrationId: people[2].id, mark: 'present' },
        { registrationId: people[3].id, mark: 'absent' },
      ],
    })
    await deliverEvents(world)
    const completed = (await detailsOf(world, 'ParticipantCompleted')).filter(
      (detail) => detail.classId === info.id,
    )
    expect(completed.map((detail) => detail.registrationId).sort()).toEqual(
      [people[0].id, people[1].id].sort(),
    )
    expect(completed[0]).toMatchObject({ attendedMeetings: 2, meetings: 2, minutes: 240 })
    expect((await call(world, 'GET', path)).body.status).toBe('finished')
    const absent = await call(world, 'GET', `${path}/roster?status=absent`, { token: trainer.token })
    expect(absent.body.items.map((item: { id: string }) => item.id).sort()).toEqual(
      [people[2].id, people[3].id].sort(),
    )
    // Asking again, or the timed duty a day later, completes nobody twice.
    world.clock.set('2026-03-22T07:30:00Z')
    expect((await call(world, 'POST', `${path}/finish`, { token: trainer.token })).status).toBe(409)
    const { finishClass } = await import('@pendamping/core/class')
    await finishClass(world.store, world.clock, info.id)
    expect(
      (await detailsOf(world, 'ParticipantCompleted')).filter((detail) => detail.classId === info.id),
    ).toHaveLength(2)
    const finished = (await detailsOf(world, 'ClassFinished')).filter((detail) => detail.classId === info.id)
    expect(finished).toEqual([
      expect.objectContaining({ participants: 4, completed: 2, presentMarks: 6, possibleMarks: 8 }),
    ])
    // After the meeting the code is refused.
    expect(
      (
        await call(world, 'POST', `/v1/registrations/${people[2].id}/check-in`, {
          headers: tokenOf(2),
          body: { code: code2.body.code },
        })
      ).status,
    ).toBe(409)
  })
})

describe('Reminders, follow-on classes and reports', () => {
  it('reminds only participants who consented, 24 hours before each meeting', async () => {
    const info = await openClass(
      world,
      classInput(programId, [trainer.id], {
        seats: { umum: 5 },
        registrationClosesAt: '2026-04-01T00:00:00Z',
        meetings: [{ startsAt: '2026-04-02T02:00:00Z', endsAt: '2026-04-02T03:00:00Z' }],
      }),
    )
    await register(world, info.id, 700)
    await register(world, info.id, 701)
    const noReminders = registration(702)
    noReminders.consent.purposes.reminders = false
    await call(world, 'POST', `/v1/classes/${info.id}/registrations`, { body: noReminders })
    await deliverEvents(world)
    world.clock.set('2026-04-01T02:00:00Z')
    await sweepDue(world.store, world.clock)
    await deliverEvents(world)
    const reminded = world.notifier.sent.filter(
      (message) => message.kind === 'class-reminder' && message.body.includes('Sinau'),
    )
    expect(reminded.map((message) => message.to).sort()).toEqual(
      [phoneOf(700), phoneOf(701)].map((phone) => `+62${phone.slice(1)}`).sort(),
    )
  })

  it('invites a class’s waitlist to a follow-on class, only those who consented', async () => {
    const first = await openClass(
      world,
      classInput(programId, [trainer.id], {
        seats: { umum: 1 },
        registrationClosesAt: '2026-04-03T00:00:00Z',
        meetings: [{ startsAt: '2026-04-04T02:00:00Z', endsAt: '2026-04-04T03:00:00Z' }],
      }),
    )
    await register(world, first.id, 800)
    await register(world, first.id, 801)
    const noInvites = registration(802)
    noInvites.consent.purposes.follow_on_invitations = false
    await call(world, 'POST', `/v1/classes/${first.id}/registrations`, { body: noInvites })
    const followOn = await openClass(
      world,
      classInput(programId, [trainer.id], {
        title: 'Kelas lanjutan UMKM',
        seats: { umkm: 30 },
        followOnOf: first.id,
        registrationClosesAt: '2026-04-05T00:00:00Z',
        meetings: [{ startsAt: '2026-04-06T02:00:00Z', endsAt: '2026-04-06T03:00:00Z' }],
      }),
    )
    const invited = await call(world, 'POST', `/v1/classes/${followOn.id}/invitations`, {
      token: await staffToken(),
      body: { fromClassId: first.id, audience: 'waitlist' },
    })
    expect(invited.status).toBe(202)
    await deliverEvents(world)
    const invitations = world.notifier.sent.filter((message) => message.kind === 'class-invitation')
    expect(invitations.map((message) => message.to)).toEqual([`+62${phoneOf(801).slice(1)}`])
  })

  it('counts registrations by segment and region, fill, attendance and completion (JSON and CSV)', async () => {
    await deliverEvents(world)
    const token = await staffToken()
    const report = await call(world, 'GET', `/v1/reports?program=${programId}&from=2026-03&to=2026-04`, {
      token,
    })
    expect(report.status).toBe(200)
    const classes = report.body.classes
    expect(classes.registrations).toBeGreaterThan(20)
    expect(classes.bySegment.umum).toBeGreaterThan(10)
    expect(classes.byRegion).toContainEqual(expect.objectContaining({ code: '35.73', name: 'Kota Malang' }))
    expect(classes.filled).toBeGreaterThanOrEqual(1)
    expect(classes.timeToFill.medianHours).not.toBeNull()
    // Every class of the program that finished (by request, by marks, or a day after its last meeting).
    const finished = (await detailsOf(world, 'ClassFinished')).filter(
      (detail) => detail.programId === programId,
    )
    const sum = (field: string) => finished.reduce((total, detail) => total + Number(detail[field]), 0)
    expect(sum('participants')).toBeGreaterThanOrEqual(4)
    expect(classes.attendanceRate).toBe(
      Math.round((sum('presentMarks') / sum('possibleMarks')) * 10_000) / 10_000,
    )
    const completion = Math.round((sum('completed') / sum('participants')) * 10_000) / 10_000
    expect(classes.completion).toEqual({
      finishers: sum('participants'),
      completed: sum('completed'),
      rate: completion,
    })
    const csv = await world.app.request(
      `/v1/reports?program=${programId}&from=2026-03&to=2026-04&format=csv`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    )
    const text = await csv.text()
    expect(text).toContain(`classes,all,completion_rate,${completion}`)
    expect(text).toMatch(/class_registrations_by_segment,umum,count,\d+/)
    expect(JSON.stringify(report.body)).not.toMatch(/Peserta \d|\+628/)
  })
})
