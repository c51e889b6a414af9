/**
 * The programs docs/contract/classes-and-certificates.md was written for, end to end through the HTTP API on DynamoDB Local, with the
 * consumers run from the outbox by the local bus:
 * (b) a one-day workshop: 30 participants from five communities, two meetings, six groups of five,
 *     attendance taken, completion decided;
 * (c) "Sinau TikTok & YouTube": 70 `umum` + 70 `asn` seats and 1 000 registrations at once —
 *     first come, then the same burst by lottery — then a follow-on UMKM class for the waitlist.
 */
import { drawOrder } from '@pendamping/core/class'
import { forEachInParallel } from '@pendamping/scripts/testing/parallel'
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
import type { TestClock } from './mentors.fixture.ts'
import { approvedMentor, call, staff } from './mentors.fixture.ts'

const table = useTestTable()
let world: ClassWorld

/** A clock that moves one millisecond on every reading: arrival order is the server's, as in production. */
function arrivalClock(start: string): TestClock {
  let at = Date.parse(start)
  return {
    now: () => new Date(at++),
    set: (iso) => {
      at = Date.parse(iso)
    },
    advance: (ms) => {
      at += ms
    },
  }
}

beforeAll(async () => {
  world = await createClassWorld(table, arrivalClock('2026-03-02T01:00:00.000Z'))
})

const COMMUNITIES = ['umkm', 'mahasiswa', 'komunitas', 'umum', 'asn']

describe('Scenario b: a one-day workshop', () => {
  it('takes 30 people from five communities through two meetings in six groups of five', async () => {
    const staffToken = await staff(world, '35.73')
    const program = await newProgram(world, { segments: Object.fromEntries(COMMUNITIES.map((c) => [c, 6])) })
    const trainers = [await approvedMentor(world), await approvedMentor(world)]
    const workshop = await openClass(
      world,
      classInput(
        program.id,
        trainers.map((trainer) => trainer.id),
        {
          title: 'Lokakarya Branding UMKM Sehari',
          mode: 'offline',
          meetingUrl: undefined,
          place: 'Balai Kota Malang',
          seats: undefined,
          completion: { rule: 'all' },
          meetings: [
            { startsAt: '2026-03-07T02:00:00Z', endsAt: '2026-03-07T05:00:00Z' },
            { startsAt: '2026-03-07T06:00:00Z', endsAt: '2026-03-07T09:00:00Z' },
          ],
          registrationClosesAt: '2026-03-06T10:00:00Z',
        },
      ),
      { token: staffToken },
    )
    expect(Object.keys(workshop.seats).sort()).toEqual([...COMMUNITIES].sort())
    const people = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        register(world, workshop.id, 1000 + i, {
          segment: COMMUNITIES[i % 5],
          interest: i % 2 === 0 ? 'branding' : 'packaging',
        }),
      ),
    )
    expect(people.map((answer) => answer.body.status)).toEqual(Array(30).fill('confirmed'))
    expect((await register(world, workshop.id, 1099, { segment: 'umkm' })).body.status).toBe('waitlisted')
    const [trainer] = trainers
    const path = `/v1/classes/${workshop.id}`

    for (const [meeting, at, absent] of [
      ['m1', '2026-03-07T02:20:00Z', [3]],
      ['m2', '2026-03-07T06:20:00Z', [3, 7]],
    ] as const) {
      world.clock.set(at)
      const groups = await call(world, 'POST', `${path}/meetings/${meeting}/groups`, {
        token: trainer?.token,
        body: {
          by: 'count',
          value: 6,
          topics: ['logo', 'kemasan', 'foto produk', 'Instagram', 'marketplace', 'cerita merek'],
        },
      })
      expect(
        groups.body.groups.map((group: { registrationIds: string[] }) => group.registrationIds.length),
      ).toEqual([5, 5, 5, 5, 5, 5])
      const marked = await call(world, 'POST', `${path}/meetings/${meeting}/attendance`, {
        token: trainer?.token,
        body: {
          marks: people.map((answer, i) => ({
            registrationId: answer.body.id,
            mark: (absent as readonly number[]).includes(i) ? 'absent' : 'present',
          })),
        },
      })
      expect(marked.status).toBe(200)
    }
    const page = await call(world, 'GET', `/v1/participants/${people[0]?.body.participantId}`, {
      headers: { 'x-tracking-token': people[0]?.body.participantToken },
    })
    expect(page.body.registrations[0].groups).toHaveLength(2)
    await deliverEvents(world)
    const completed = (await detailsOf(world, 'ParticipantCompleted')).filter(
      (detail) => detail.classId === workshop.id,
    )
    expect(completed).toHaveLength(28)
    expect(completed.every((detail) => detail.minutes === 360)).toBe(true)
    expect((await call(world, 'GET', path)).body.status).toBe('finished')
  })
})

describe('Scenario c: 1 000 registrations for 140 seats', () => {
  const BURST = 1000
  /** Each person's segment: half public, half civil servants; 40 send their phone twice. */
  const segmentOf = (n: number) => (n % 2 === 0 ? 'umum' : 'asn')
  let programId: string
  let trainerId: string
  let firstCome: { id: string }
  /** Person number behind each registration id of the first-come burst. */
  const personOf = new Map<string, number>()
  const numberAt = (i: number) => (i < BURST ? i : i - BURST)

  /**
   * The burst: 1 000 people (and 40 of them a second time) at once, 100 requests in flight at any
   * moment — as many as a hundred Lambda instances would take together — answers in sending order.
   */
  const burst = async (classId: string) => {
    const answers: Array<Awaited<ReturnType<typeof register>>> = []
    const indexes = Array.from({ length: BURST + 40 }, (_, i) => i)
    await forEachInParallel(indexes, 100, async (i) => {
      const n = numberAt(i)
      const body = registration(5000 + n, {
        segment: segmentOf(n),
        consent: {
          purposeVersion: '2026-11',
          purposes: {
            matching_contact: true,
            reminders: true,
            program_reports: true,
            follow_on_invitations: n % 10 !== 0,
          },
        },
      })
      // As a careful client does: a 503 (DynamoDB Local too slow under the burst on this machine) or
      // a concurrent twin still in progress is retried with the same Idempotency-Key, never twice counted.
      const headers = { 'idempotency-key': `burst-${classId}-${i}` }
      for (let attempt = 1; ; attempt++) {
        const answer = await call(world, 'POST', `/v1/classes/${classId}/registrations`, { body, headers })
        const again =
          answer.status === 503 || answer.body?.type === 'urn:pendamping:problem:idempotency-in-progress'
        if (!again || attempt === 6) {
          answers[i] = answer
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
      }
    })
    return answers
  }

  beforeAll(async () => {
    world.clock.set('2026-03-02T02:00:00.000Z')
    programId = (await newProgram(world, { name: 'Sinau TikTok & YouTube' })).id
    trainerId = (await approvedMentor(world)).id
  })

  it('first come: exactly 140 seats, no phone twice, the rest waitlisted in arrival order', async () => {
    firstCome = await openClass(
      world,
      classInput(programId, [trainerId], {
        seats: { umum: 70, asn: 70 },
        meetings: [{ startsAt: '2026-03-20T02:00:00Z', endsAt: '2026-03-20T04:00:00Z' }],
      }),
    )
    const answers = await burst(firstCome.id)
    answers.forEach((answer, i) => {
      if (answer.status === 201) personOf.set(answer.body.id, numberAt(i))
    })
    const created = answers.filter((answer) => answer.status === 201)
    expect(created).toHaveLength(BURST)
    expect(
      answers
        .filter((answer) => answer.status === 409)
        .every((answer) => answer.body.type === 'urn:pendamping:problem:already-registered'),
    ).toBe(true)
    expect(created.filter((answer) => answer.body.status === 'confirmed')).toHaveLength(140)
    const info = (await call(world, 'GET', `/v1/classes/${firstCome.id}`)).body
    expect(info.seats.umum).toMatchObject({ quota: 70, admitted: 70, waitlisted: 430 })
    expect(info.seats.asn).toMatchObject({ quota: 70, admitted: 70, waitlisted: 430 })
    const token = await staff(world, '35.73')
    for (const segment of ['umum', 'asn']) {
      const queue: Array<{ registeredAt: string; id: string }> = []
      let cursor: string | undefined
      do {
        const page = await call(
          world,
          'GET',
          `/v1/classes/${firstCome.id}/roster?status=waitlisted&segment=${segment}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        )
        queue.push(...page.body.items)
        cursor = page.body.nextCursor ?? undefined
      } while (cursor)
      expect(queue).toHaveLength(430)
      const sorted = [...queue].sort(
        (a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.id.localeCompare(b.id),
      )
      expect(queue.map((item) => item.id)).toEqual(sorted.map((item) => item.id))
    }
  }, 180_000)

  it('lottery: the same burst is drawn at close, and a second run from the revealed seed reproduces it', async () => {
    const lottery = await openClass(
      world,
      classInput(programId, [trainerId], {
        admission: 'lottery',
        seats: { umum: 70, asn: 70 },
        meetings: [{ startsAt: '2026-03-21T02:00:00Z', endsAt: '2026-03-21T04:00:00Z' }],
      }),
    )
    const answers = await burst(lottery.id)
    const created = answers.filter((answer) => answer.status === 201)
    expect(created).toHaveLength(BURST)
    expect(created.every((answer) => answer.body.status === 'registered')).toBe(true)
    await call(world, 'POST', `/v1/classes/${lottery.id}/close`, { token: await staff(world, '35.73') })
    await deliverEvents(world, { only: ['ClassRegistrationClosed'] })
    const draw = (await call(world, 'GET', `/v1/classes/${lottery.id}/draw`)).body
    expect(draw.registrationIds).toHaveLength(BURST)
    expect(
      drawOrder(
        draw.seed,
        created.map((answer) => answer.body.id),
      ),
    ).toEqual(draw.registrationIds)
    const info = (await call(world, 'GET', `/v1/classes/${lottery.id}`)).body
    expect(info.seats.umum).toMatchObject({ admitted: 70, waitlisted: 430 })
    expect(info.seats.asn).toMatchObject({ admitted: 70, waitlisted: 430 })
    // The seats went to the first 70 of each segment in the drawn order.
    const segmentById = new Map<string, string>()
    answers.forEach((answer, i) => {
      if (answer.status === 201) segmentById.set(answer.body.id, segmentOf(numberAt(i)))
    })
    const firstUmum = draw.registrationIds.filter((id: string) => segmentById.get(id) === 'umum').slice(0, 70)
    const seatedUmum = await call(world, 'GET', `/v1/classes/${lottery.id}/roster?segment=umum&limit=100`, {
      token: await staff(world, '35.73'),
    })
    expect(seatedUmum.body.items.map((item: { id: string }) => item.id).sort()).toEqual([...firstUmum].sort())
  }, 180_000)

  it('then a follow-on UMKM class invites the first-come waitlist (those who consented)', async () => {
    const followOn = await openClass(
      world,
      classInput(programId, [trainerId], {
        title: 'Sinau TikTok untuk UMKM',
        seats: { umkm: 70 },
        followOnOf: firstCome.id,
        meetings: [{ startsAt: '2026-03-27T02:00:00Z', endsAt: '2026-03-27T04:00:00Z' }],
        registrationClosesAt: '2026-03-26T00:00:00Z',
      }),
    )
    const invited = await call(world, 'POST', `/v1/classes/${followOn.id}/invitations`, {
      token: await staff(world, '35.73'),
      body: { fromClassId: firstCome.id, audience: 'waitlist' },
    })
    expect(invited.status).toBe(202)
    const before = world.notifier.sent.length
    await deliverEvents(world, { only: ['ClassInvitationsRequested'] })
    const invitations = world.notifier.sent
      .slice(before)
      .filter((message) => message.kind === 'class-invitation')
    const waitlisted = (await detailsOf(world, 'ParticipantRegistered')).filter(
      (detail) => detail.classId === firstCome.id && detail.status === 'waitlisted',
    )
    expect(waitlisted).toHaveLength(860)
    // One in ten of the burst said no to follow-on invitations: they are not invited.
    const expected = waitlisted
      .map((detail) => personOf.get(String(detail.registrationId)) ?? -1)
      .filter((n) => n % 10 !== 0)
      .map((n) => `+62${phoneOf(5000 + n).slice(1)}`)
    expect(invitations.map((message) => message.to).sort()).toEqual(expected.sort())
    expect(invitations.every((message) => message.body.includes(`/kelas/${followOn.id}`))).toBe(true)
  }, 180_000)
})
