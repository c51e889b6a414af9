/**
 * Withdrawing `program_reports` takes effect in the stream-fed report counters (UU PDP;
 * docs/contract/reports.md#consent): from the withdrawal on, the request's events count in the national
 * total alone — never again in its program's or its regions' reports, whose staff could tell who it is.
 */
import type { EventEnvelope } from '@pendamping/core/event'
import { createEvent } from '@pendamping/core/event'
import { OfferEvents } from '@pendamping/core/offer'
import { PRIVACY_NOTICE_VERSION } from '@pendamping/core/privacy'
import { recordEvent } from '@pendamping/core/report'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import { classInput, newProgram, openClass, register, registration } from './classes.fixture.ts'
import { approvedMentor, call, createWorld, requestInput, type World } from './mentors.fixture.ts'

const table = useTestTable()
let world: World

beforeAll(async () => {
  world = await createWorld(table)
})

/** A number of a scope's months, summed over the month items and the national scope's shards. */
async function counted(scope: string, name: string): Promise<number> {
  return (await scanTable(table, 'reportMonth'))
    .filter((item) => item.scope === scope)
    .reduce((sum, item) => sum + (typeof item[name] === 'number' ? (item[name] as number) : 0), 0)
}

const offerMade = (requestId: string, at: Date) =>
  createEvent(
    OfferEvents.Made,
    {
      offerId: `offer-${requestId}`,
      requestId,
      mentorId: 'mentor-a',
      programId: null,
      region: '35.73',
      expiresAt: new Date(at.getTime() + 86_400_000).toISOString(),
      score: 0.8,
    },
    at,
  )

async function submit(purposes: { program_reports: boolean }) {
  const answer = await call(world, 'POST', '/v1/requests', {
    body: requestInput({
      consent: {
        accepted: true,
        purposeVersion: PRIVACY_NOTICE_VERSION,
        purposes: { reminders: false, follow_on_invitations: false, ...purposes },
      },
    }),
  })
  expect(answer.status).toBe(201)
  const { id, trackingToken } = answer.body as { id: string; trackingToken: string }
  const submitted = (await scanTable(table, 'event'))
    .map((item) => item.event as EventEnvelope<{ requestId?: string }>)
    .find((event) => event.type === 'RequestSubmitted' && event.detail.requestId === id)
  if (!submitted) throw new Error('no RequestSubmitted')
  expect(await recordEvent(world.store, submitted, world.clock.now())).toBe('counted')
  return { id, trackingToken }
}

describe('program_reports withdrawn', () => {
  it('counts the request’s later events in the national total only, never in its regions', async () => {
    const { id, trackingToken } = await submit({ program_reports: true })
    expect(await counted('REGION#35.73', 'requests.status.matching')).toBe(1)

    const withdrawn = await call(world, 'POST', `/v1/requests/${id}/consent`, {
      headers: { 'x-tracking-token': trackingToken },
      body: { purpose: 'program_reports', given: false },
    })
    expect(withdrawn.status).toBe(200)
    world.clock.set(new Date(world.clock.now().getTime() + 60_000).toISOString())

    expect(await recordEvent(world.store, offerMade(id, world.clock.now()), world.clock.now())).toBe(
      'counted',
    )
    // The national total moves; the city's and province's reports hear nothing more of it.
    expect(await counted('all', 'requests.status.offered')).toBe(1)
    expect(await counted('all', 'offers.made')).toBe(1)
    for (const region of ['REGION#35', 'REGION#35.73']) {
      expect(await counted(region, 'requests.status.offered'), region).toBe(0)
      expect(await counted(region, 'offers.made'), region).toBe(0)
    }

    // A request that keeps the purpose still counts everywhere.
    const kept = await submit({ program_reports: true })
    expect(await recordEvent(world.store, offerMade(kept.id, world.clock.now()), world.clock.now())).toBe(
      'counted',
    )
    expect(await counted('REGION#35.73', 'offers.made')).toBe(1)
    expect(await counted('all', 'offers.made')).toBe(2)
  })

  it('counts a class participant who refused or withdrew it in the national total only', async () => {
    const trainer = await approvedMentor(world, { name: 'Pelatih Kelas' })
    const program = await newProgram(world)
    const { id: classId } = await openClass(world, classInput(program.id, [trainer.id]))
    const outboxOf = async (type: string, registrationId: string) => {
      const event = (await scanTable(table, 'event'))
        .map((item) => item.event as EventEnvelope<{ registrationId?: string }>)
        .find((found) => found.type === type && found.detail.registrationId === registrationId)
      if (!event) throw new Error(`no ${type}`)
      expect(await recordEvent(world.store, event, world.clock.now())).toBe('counted')
    }
    const places = ['all', `PROGRAM#${program.id}`, 'REGION#35', 'REGION#35.73']
    const counts = async (name: string) => Promise.all(places.map((scope) => counted(scope, name)))

    // The class form asks: one person leaves program reports unticked, one ticks it.
    const refused = registration(1)
    refused.consent.purposes.program_reports = false
    const refusing = await register(world, classId, 1, refused)
    const giving = await register(world, classId, 2)
    expect([refusing.status, giving.status]).toEqual([201, 201])
    await outboxOf('ParticipantRegistered', refusing.body.id)
    await outboxOf('ParticipantRegistered', giving.body.id)
    expect(await counts('classes.registrations')).toEqual([2, 1, 1, 1])
    expect(await counts('classes.region.35.73')).toEqual([2, 1, 1, 1])

    // The one who gave it withdraws it: their cancellation counts nationally only.
    const withdrawn = await call(world, 'POST', `/v1/participants/${giving.body.participantId}/consent`, {
      headers: { 'x-tracking-token': giving.body.participantToken },
      body: { purpose: 'program_reports', given: false },
    })
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200)
    world.clock.set(new Date(world.clock.now().getTime() + 60_000).toISOString())
    const cancelled = await call(world, 'POST', `/v1/registrations/${giving.body.id}/cancel`, {
      headers: { 'x-tracking-token': giving.body.participantToken },
    })
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200)
    await outboxOf('RegistrationCancelled', giving.body.id)
    expect(await counts('classes.cancelled')).toEqual([1, 0, 0, 0])
    expect(await counts('classes.registrations')).toEqual([2, 1, 1, 1])
  })
})
