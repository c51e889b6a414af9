/**
 * The world the class tests run in: the mentors' world (the real app on the file's own table, local
 * tokens, a clock the test moves) plus the local bus applying `wiring.ts`'s rules to the consumers,
 * fed from the table's outbox, and a notifier that records what people were told.
 */
import type { EventEnvelope } from '@pendamping/core/event'
import { provideRuntime } from '@pendamping/functions/runtime'
import { rules } from '@pendamping/functions/wiring'
import { LocalBus } from '@pendamping/scripts/local/bus'
import { LocalNotifier } from '@pendamping/scripts/local/notifier'
import { scanTable } from '@pendamping/scripts/testing/scan'
import type { TestTable } from '@pendamping/scripts/testing/table'
import { call, createWorld, staff, type TestClock, testClock, type World } from './mentors.fixture.ts'

export interface ClassWorld extends World {
  table: TestTable
  bus: LocalBus
  notifier: LocalNotifier
  delivered: Set<string>
}

const quiet = { info: () => {}, warn: () => {}, error: console.error }

export async function createClassWorld(
  table: TestTable,
  clock: TestClock = testClock(),
): Promise<ClassWorld> {
  const world = await createWorld(table, clock)
  const notifier = new LocalNotifier()
  provideRuntime({ store: world.store, clock: world.clock, notifier, publicUrl: 'http://localhost:3000' })
  // Certificates need their signing keys, which this world does not hold: their consumers are not run.
  const bus = new LocalBus({
    logger: quiet,
    maxAttempts: 1,
    rules: rules.filter((rule) => !rule.name.startsWith('Certificate')),
  })
  return { ...world, table, bus, notifier, delivered: new Set() }
}

/**
 * Hands every outbox event not delivered yet to the bus (as the stream and the publisher would),
 * waits for the consumers, and repeats while they write new events. Fails on a failed delivery.
 * @returns how many events were delivered
 */
export async function deliverEvents(
  world: ClassWorld,
  options: { only?: readonly string[] } = {},
): Promise<number> {
  let total = 0
  for (let round = 0; round < 20; round++) {
    const pending = (await scanTable(world.table, 'event'))
      .map((item) => item.event as EventEnvelope)
      .filter((event) => !world.delivered.has(event.id))
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    // With `only`, the other events are set aside as if their consumers had run.
    for (const event of pending)
      if (options.only && !options.only.includes(event.type)) world.delivered.add(event.id)
    const fresh = pending.filter((event) => !options.only || options.only.includes(event.type))
    if (fresh.length === 0) break
    for (const event of fresh) world.delivered.add(event.id)
    const before = world.bus.deliveries.length
    await world.bus.publish(fresh)
    await world.bus.settled()
    const failed = world.bus.deliveries.slice(before).filter((delivery) => delivery.status === 'failed')
    if (failed.length > 0)
      throw new Error(`deliveries failed: ${failed.map((d) => `${d.rule}: ${d.error}`).join('; ')}`)
    total += fresh.length
  }
  return total
}

/** Every outbox event of one type, by detail. */
export async function detailsOf(world: ClassWorld, type: string): Promise<Array<Record<string, unknown>>> {
  return (await scanTable(world.table, 'event'))
    .map((item) => item.event as EventEnvelope<Record<string, unknown>>)
    .filter((event) => event.type === type)
    .map((event) => event.detail)
}

/** A program through the API (staff of Kota Malang by default). */
export async function newProgram(
  world: World,
  overrides: Record<string, unknown> = {},
  token?: string,
): Promise<{ id: string; region: string }> {
  const answer = await call(world, 'POST', '/v1/programs', {
    token: token ?? (await staff(world, '35.73')),
    body: {
      region: '35.73',
      name: 'Sinau Digital Kota Malang',
      topics: ['social_media', 'content', 'marketplace'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-03-01T00:00:00+07:00',
      endsAt: '2026-12-31T23:59:59+07:00',
      segments: { umum: 70, asn: 70 },
      status: 'open',
      ...overrides,
    },
  })
  if (answer.status !== 201) throw new Error(`program: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body
}

/** A class's input: one two-hour online meeting on 10 March 2026, 09:00 WIB, unless told otherwise. */
export function classInput(programId: string, trainerIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    programId,
    title: 'Sinau TikTok & YouTube',
    topics: ['content', 'social_media'],
    description: 'Membuat video pendek untuk jualan.',
    trainerIds,
    mode: 'online',
    meetingUrl: 'https://meet.google.com/abc-defg-hij',
    timeZone: 'Asia/Jakarta',
    meetings: [{ startsAt: '2026-03-10T02:00:00Z', endsAt: '2026-03-10T04:00:00Z' }],
    seats: { umum: 2, asn: 2 },
    registrationClosesAt: '2026-03-09T10:00:00Z',
    ...overrides,
  }
}

/** Creates (and by default publishes) a class through the API; answers its public view. */
export async function openClass(
  world: World,
  input: Record<string, unknown>,
  options: { token?: string; publish?: boolean } = {},
) {
  const token = options.token ?? (await staff(world, '35.73'))
  const created = await call(world, 'POST', '/v1/classes', { token, body: input })
  if (created.status !== 201) throw new Error(`class: ${created.status} ${JSON.stringify(created.body)}`)
  if (options.publish === false) return created.body
  const published = await call(world, 'POST', `/v1/classes/${created.body.id}/publish`, { token })
  if (published.status !== 200)
    throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`)
  return published.body
}

/** A distinct, valid Indonesian mobile number for person `n`. */
export const phoneOf = (n: number) => `0812${String(n).padStart(8, '0')}`

/** What person `n` sends to register (all consents given unless told otherwise). */
export function registration(n: number, overrides: Record<string, unknown> = {}) {
  return {
    person: { name: `Peserta ${n}`, phone: phoneOf(n), region: '35.73' },
    segment: 'umum',
    consent: {
      purposeVersion: '2026-11',
      purposes: {
        matching_contact: true,
        reminders: true,
        program_reports: true,
        follow_on_invitations: true,
      },
    },
    ...overrides,
  }
}

/** Registers person `n` through the API; answers the status and body. */
export function register(world: World, classId: string, n: number, overrides: Record<string, unknown> = {}) {
  return call(world, 'POST', `/v1/classes/${classId}/registrations`, { body: registration(n, overrides) })
}
