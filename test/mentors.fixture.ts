/**
 * The world the mentor, offer and session tests run in: the real app on the test file's own table in
 * DynamoDB Local, tokens from a local key set, a clock the test moves, and helpers that walk the
 * product's loop (apply → approve → request → offer) through the same functions the API uses.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { makeBestOffer } from '@pendamping/core/matching'
import type { MentorApplication } from '@pendamping/core/mentor'
import { type NewRequest, submitRequest } from '@pendamping/core/request'
import type { Clock, Store } from '@pendamping/core/store'
import type { createApp } from '@pendamping/functions/api/app'
import type { LocalKeySet } from '@pendamping/scripts/local/keys'
import { testApp } from '@pendamping/scripts/testing/app'
import type { TestTable } from '@pendamping/scripts/testing/table'

export interface TestClock extends Clock {
  set(iso: string): void
  advance(ms: number): void
}

export function testClock(start = '2026-03-02T01:00:00.000Z'): TestClock {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (iso) => {
      current = new Date(iso)
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms)
    },
  }
}

export interface World {
  app: ReturnType<typeof createApp>
  store: Store
  clock: TestClock
  keys: LocalKeySet
  /** The `cookie` header of someone signed in to the pages. */
  session: Awaited<ReturnType<typeof testApp>>['session']
}

export async function createWorld(table: TestTable, clock = testClock()): Promise<World> {
  const { app, keys, session } = await testApp(table, { clock })
  return { app, store: { doc: table.doc, tableName: table.tableName }, clock, keys, session }
}

export interface Call {
  token?: string | undefined
  body?: unknown
  /** Sent as is (for malformed JSON). */
  raw?: string
  headers?: Record<string, string>
}

/** One HTTP call to the app; answers the status and the parsed body. */
export async function call(world: World, method: string, path: string, options: Call = {}) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.raw !== undefined || options.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = options.raw ?? JSON.stringify(options.body)
  }
  const response = await world.app.request(path, { method, headers, body })
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely, field by field
  const json: any = text ? JSON.parse(text) : undefined
  return { status: response.status, body: json, headers: response.headers }
}

export const staff = (world: World, region = '35.73', sub = `staff-${region}`) =>
  world.keys.sign({ sub, role: 'staff', region })
export const admin = (world: World) => world.keys.sign({ sub: 'admin-1', role: 'admin', region: '*' })
/** Locally a mentor's account `sub` is their mentor id. */
export const mentorToken = (world: World, mentorId: string, region = '35.73') =>
  world.keys.sign({ sub: mentorId, role: 'mentor', region })

export function application(overrides: Partial<MentorApplication> = {}): MentorApplication {
  return {
    name: 'Dimas Prasetyo',
    email: `dimas.${crypto.randomUUID().slice(0, 8)}@example.id`,
    phone: '0812-3456-7890',
    region: '35.73',
    regionsServed: [],
    skills: [
      { topic: 'social_media', level: 3 },
      { topic: 'content', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv'],
    availability: [
      { day: 'mon', from: '09:00', to: '17:00' },
      { day: 'wed', from: '09:00', to: '17:00' },
      { day: 'sat', from: '08:00', to: '12:00' },
    ],
    capacity: 3,
    bio: 'Kreator konten kuliner Malang, membantu UMKM tampil di Instagram dan TikTok.',
    consent: { accepted: true, purposeVersion: '2026-11' },
    ...overrides,
  }
}

/** Applies and approves a mentor through the API; answers their id and token. */
export async function approvedMentor(world: World, overrides: Partial<MentorApplication> = {}) {
  const applied = await call(world, 'POST', '/v1/mentor-applications', { body: application(overrides) })
  if (applied.status !== 201) throw new Error(`apply: ${applied.status} ${JSON.stringify(applied.body)}`)
  const region = overrides.region ?? '35.73'
  const approved = await call(world, 'POST', `/v1/mentors/${applied.body.id}/approve`, {
    token: await staff(world, region.slice(0, 5)),
  })
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`)
  const id: string = applied.body.id
  return { id, token: await mentorToken(world, id, region) }
}

let owners = 0

/** A request of a new owner each time: one phone holds one open request per program. */
export function requestInput(overrides: Partial<NewRequest> = {}): NewRequest {
  owners++
  return {
    business: {
      name: 'Keripik Tempe Bu Sri',
      ownerName: 'Sri Rahayu',
      phone: `0813 3344 ${String(5566 + owners).padStart(4, '0')}`,
      region: '35.73',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp'],
    },
    needs: ['social_media'],
    description: 'Ingin jualan keripik lewat Instagram.',
    mode: 'either',
    languages: ['id'],
    availability: [{ day: 'mon', from: '10:00', to: '15:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
    ...overrides,
  }
}

/** A submitted request (no program, so straight to `matching`). */
export async function submitted(world: World, overrides: Partial<NewRequest> = {}) {
  return submitRequest(world.store, world.clock, requestInput(overrides))
}

/** A request with an open offer to the best mentor; fails the test if matching offers nobody. */
export async function offered(world: World, overrides: Partial<NewRequest> = {}) {
  const request = await submitted(world, overrides)
  const outcome = await makeBestOffer(world.store, world.clock, request.id)
  if (outcome.outcome !== 'offered') throw new Error(`no offer: ${JSON.stringify(outcome)}`)
  return {
    request,
    offerId: outcome.offerId,
    mentorId: outcome.mentorId,
    trackingToken: request.trackingToken,
  }
}

/** Every outbox event of one type, by detail. */
export async function eventsOf(world: World, type: string): Promise<Array<Record<string, unknown>>> {
  const found: Array<Record<string, unknown>> = []
  // The outbox has no index (the stream reads it); tests look through the table's few hundred items.
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb')
  let start: Record<string, unknown> | undefined
  do {
    const page = await world.store.doc.send(
      new ScanCommand({
        TableName: world.store.tableName,
        FilterExpression: 'entity = :event AND #event.#type = :type',
        ExpressionAttributeNames: { '#event': 'event', '#type': 'type' },
        ExpressionAttributeValues: { ':event': 'event', ':type': type },
        ExclusiveStartKey: start,
      }),
    )
    for (const item of page.Items ?? [])
      found.push((item.event as { detail: Record<string, unknown> }).detail)
    start = page.LastEvaluatedKey
  } while (start)
  return found
}

/** Every item under one partition key (`MENTOR#<id>` → profile, load, directory, slots). */
export async function itemsOf(world: World, pk: string) {
  const { Items = [] } = await world.store.doc.send(
    new QueryCommand({
      TableName: world.store.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  )
  return Items
}

/** A request offered to `mentorId` directly (as a cohort commit would), skipping the ranking. */
export async function offerTo(world: World, mentorId: string, overrides: Partial<NewRequest> = {}) {
  const { TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb')
  const { withTable } = await import('@pendamping/core/dynamo')
  const { offerItems } = await import('@pendamping/core/offer')
  const { getRequest } = await import('@pendamping/core/request')
  const submittedRequest = await submitted(world, overrides)
  const request = await getRequest(world.store, submittedRequest.id)
  if (!request) throw new Error('request vanished')
  const { offer, items } = offerItems(
    world.store.tableName,
    request,
    { mentorId, mentorSub: mentorId },
    { total: 0.8, breakdown: { needCoverage: 1 } },
    world.clock.now(),
  )
  await world.store.doc.send(
    new TransactWriteCommand({
      TransactItems: withTable(world.store.tableName, [items.offer, items.request, items.event]),
    }),
  )
  return { requestId: request.id, offerId: offer.id, trackingToken: submittedRequest.trackingToken }
}
