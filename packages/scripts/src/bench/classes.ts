/**
 * `npm run bench:classes`: registrations per second into ONE class — first come (a seat taken from
 * the segment's counter in the registering transaction) and lottery (plain puts, no counter) — with
 * 1, 10 and 100 concurrent clients, side by side with the floor: DynamoDB Local alone doing the same
 * `TransactWriteItems` (registration, phone claim, participant, seat or class check, outbox event)
 * from a bare Node client. Same closed-loop harness for both, in this process; the API runs in a
 * process of its own, as behind a load balancer.
 *
 * Target: the API's throughput ≥ 0.8× the floor's. On two shared cores the API process takes its CPU
 * from DynamoDB Local itself, so the ratio is what matters, not the absolute numbers.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { serve } from '@hono/node-server'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { ensureTable } from '@pendamping/core/adapters/dynamo/create-table'
import {
  Class,
  ClassSegment,
  Participant,
  PhoneClaim,
  Registration,
} from '@pendamping/core/adapters/dynamo/entities/class'
import { type TransactItem, withTable } from '@pendamping/core/adapters/dynamo/index'
import { newId } from '@pendamping/core/adapters/dynamo/keys'
import { ClassEvents } from '@pendamping/core/class/events'
import type { ParticipantItem, RegistrationItem } from '@pendamping/core/class/item'
import { createEvent, outbox } from '@pendamping/core/event/index'
import { startDynamoDBLocal } from '../local/dynamodb-local.ts'
import { testApp } from '../testing/app.ts'
import { closedLoop } from './closed-loop.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
/** Unrecorded calls before each cell: connections, JIT, the route group and the class cache. */
const WARM_UP = 300
const CLIENTS = [1, 10, 100]
const TABLE = 'bench-classes'

/**
 * The API process: the app as the Lambda serves it, on Node, with rate limits off (every client here
 * shares one address; on AWS each person's quota is their own) and no consumers (on AWS they run in
 * other functions and must not share the API's CPU while it is measured).
 */
if (process.argv[2] === '--serve') {
  const endpoint = process.argv[3] ?? ''
  const doc = createDocumentClient({ endpoint })
  await ensureTable(doc, TABLE)
  const { app, keys } = await testApp({ endpoint, tableName: TABLE, doc }, { rateLimits: false })
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(server, 'listening')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const staffToken = await keys.sign({ sub: 'bench-staff', role: 'staff', region: '35.73' })
  process.stdout.write(`${JSON.stringify({ url, staffToken })}\n`)
  process.on('SIGTERM', () => {
    server.close()
    process.exit(0)
  })
} else {
  await runBenchmark()
}

async function startServer(endpoint: string): Promise<{ url: string; staffToken: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', endpoint],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    },
  )
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
  return { ...(JSON.parse(line) as { url: string; staffToken: string }), stop: () => child.kill('SIGTERM') }
}

async function api(url: string, path: string, body: unknown, token?: string, status = 201) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  if (response.status !== status)
    throw new Error(`${path}: expected ${status}, got ${response.status}: ${text}`)
  return text ? JSON.parse(text) : undefined
}

async function runBenchmark() {
  const db = await startDynamoDBLocal()
  const server = await startServer(db.endpoint)
  const floor = createDocumentClient({ endpoint: db.endpoint })
  const { url, staffToken } = server

  // A trainer, a program and two classes with room for every registration the run makes.
  const mentor = await api(url, '/v1/mentor-applications', {
    name: 'Bench Trainer',
    email: 'bench@example.id',
    phone: '0812-3456-7890',
    region: '35.73',
    regionsServed: [],
    skills: [{ topic: 'content', level: 3 }],
    modes: ['online'],
    languages: ['id'],
    capacity: 3,
    availability: [{ day: 'mon', from: '09:00', to: '17:00' }],
    bio: 'Pelatih konten untuk UMKM di Malang.',
    consent: { accepted: true, purposeVersion: '2026-01' },
  })
  await api(url, `/v1/mentors/${mentor.id}/approve`, undefined, staffToken, 200)
  const program = await api(
    url,
    '/v1/programs',
    {
      region: '35.73',
      name: 'Bench',
      topics: ['content'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-01-01T00:00:00+07:00',
      endsAt: '2099-12-31T00:00:00+07:00',
      segments: { umum: 100_000 },
      status: 'open',
    },
    staffToken,
  )
  const year = new Date().getUTCFullYear() + 1
  const classOf = async (admission: 'first_come' | 'lottery', day: string) => {
    const created = await api(
      url,
      '/v1/classes',
      {
        programId: program.id,
        title: `Bench ${admission}`,
        topics: ['content'],
        description: 'Bench',
        trainerIds: [mentor.id],
        mode: 'online',
        meetingUrl: 'https://meet.example.id/bench',
        timeZone: 'Asia/Jakarta',
        meetings: [{ startsAt: `${year}-06-${day}T02:00:00Z`, endsAt: `${year}-06-${day}T03:00:00Z` }],
        seats: { umum: 100_000 },
        registrationClosesAt: `${year}-06-01T00:00:00Z`,
        admission,
      },
      staffToken,
    )
    await api(url, `/v1/classes/${created.id}/publish`, undefined, staffToken, 200)
    return created.id as string
  }
  const classes = { first_come: await classOf('first_come', '10'), lottery: await classOf('lottery', '11') }

  let person = 0
  const body = () => {
    const n = person++
    return {
      person: { name: `Peserta ${n}`, phone: `0813${String(n).padStart(8, '0')}`, region: '35.73' },
      segment: 'umum',
      consent: {
        purposeVersion: '2026-01',
        purposes: {
          matching_contact: true,
          reminders: true,
          program_reports: true,
          follow_on_invitations: false,
        },
      },
    }
  }
  const register = (classId: string) => async () => {
    const response = await fetch(`${url}/v1/classes/${classId}/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body()),
    })
    await response.text()
    if (response.status !== 201) throw new Error(`registration: ${response.status}`)
  }

  /** The same transaction the API writes, built from the same entities, sent by a bare client. */
  const floorRegister = (classId: string, lottery: boolean) => async () => {
    const now = new Date()
    const at = now.toISOString()
    const n = person++
    const phone = `+62812${String(n).padStart(8, '0')}`
    const phoneHash = createHash('sha256').update(phone).digest('base64url')
    const participant: ParticipantItem = {
      entity: 'participant',
      version: 1,
      id: newId(),
      name: `Peserta ${n}`,
      phone,
      email: null,
      region: '35.73',
      business: null,
      consent: {
        purposes: {
          matching_contact: true,
          reminders: true,
          program_reports: true,
          follow_on_invitations: false,
        },
        purposeVersion: '2026-01',
        recordedAt: at,
      },
      locale: 'id',
      tokenHash: createHash('sha256').update(newId()).digest('base64url'),
      createdAt: at,
      updatedAt: at,
    }
    const registration: RegistrationItem = {
      entity: 'registration',
      version: 1,
      id: newId(),
      classId,
      programId: program.id,
      classRegion: '35.73',
      participantId: participant.id,
      name: participant.name,
      region: '35.73',
      segment: 'umum',
      status: lottery ? 'registered' : 'confirmed',
      queue: at,
      phoneHash,
      interest: null,
      registeredAt: at,
      updatedAt: at,
      confirmedAt: lottery ? null : at,
      drawRank: null,
      attendance: {},
      completedAt: null,
    }
    const items: TransactItem[] = [
      Registration.put(registration),
      PhoneClaim.put({
        entity: 'classPhone',
        version: 1,
        classId,
        phoneHash,
        registrationId: registration.id,
      }),
      Participant.put(participant),
      ...(lottery
        ? [Class.registers(classId, at, 'umum')]
        : [ClassSegment.takeSeat(classId, 'umum'), Class.registers(classId, at)]),
      outbox(
        createEvent(
          ClassEvents.ParticipantRegistered,
          {
            classId,
            programId: program.id,
            classRegion: '35.73',
            registrationId: registration.id,
            participantId: participant.id,
            region: '35.73',
            segment: 'umum',
            status: registration.status as 'registered' | 'confirmed',
            registeredAt: at,
          },
          now,
        ),
      ),
    ]
    await floor.send(new TransactWriteCommand({ TransactItems: withTable(TABLE, items) }))
  }

  const rows: string[] = []
  let failures = 0
  for (const admission of ['first_come', 'lottery'] as const) {
    const classId = classes[admission]
    for (const clients of CLIENTS) {
      // Alternate which side goes first so neither always gets the warmer machine.
      const apiFirst = clients !== 10
      const apiTask = register(classId)
      const floorTask = floorRegister(classId, admission === 'lottery')
      const first = await closedLoop(clients, SECONDS, apiFirst ? apiTask : floorTask, WARM_UP)
      const second = await closedLoop(clients, SECONDS, apiFirst ? floorTask : apiTask, WARM_UP)
      const apiResult = apiFirst ? first : second
      const base = apiFirst ? second : first
      const ratio = apiResult.throughput / base.throughput
      const pass = ratio >= 0.8
      if (!pass) failures++
      rows.push(
        `| ${admission} | ${clients} | ${apiResult.throughput.toFixed(0)} | ${base.throughput.toFixed(0)} | ${ratio.toFixed(2)} | ${apiResult.p50.toFixed(1)} / ${apiResult.p99.toFixed(1)} | ${base.p50.toFixed(1)} / ${base.p99.toFixed(1)} | ${pass ? 'met' : 'missed'} |`,
      )
    }
  }

  console.log(
    `\nRegistrations into one class on the local stack vs the floor (DynamoDB Local alone), ${SECONDS} s per cell:\n`,
  )
  console.log(
    '| admission | clients | API reg/s | floor reg/s | ratio | API p50 / p99 ms | floor p50 / p99 ms | ≥ 0.8× |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---|')
  for (const row of rows) console.log(row)

  floor.destroy()
  server.stop()
  await new Promise((resolve) => setTimeout(resolve, 200))
  await db.stop()
  process.exitCode = failures > 0 ? 1 : 0
}
