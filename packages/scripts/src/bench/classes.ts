/**
 * `npm run bench:classes`: registrations per second into ONE class — first come (a seat taken from
 * the segment's counter in the registering transaction) and lottery (plain puts, no counter) — with
 * 1, 10 and 100 concurrent clients, side by side with the floor: DynamoDB Local alone doing the same
 * `TransactWriteItems` from a bare Node client — the very transaction `registerForClass` builds
 * (registration, phone claim, participant, seat or class check, contact links, retention, outbox
 * event), recorded before the cell. Same closed-loop harness for both, in this process, in
 * alternating slices; the API runs in a process of its own, as behind a load balancer.
 *
 * Target: the API's throughput ≥ 0.8× the floor's. On two shared cores the API process takes its CPU
 * from DynamoDB Local itself, so the ratio is what matters, not the absolute numbers.
 */
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import { serve } from '@hono/node-server'
import { NewRegistration, registerForClass } from '@pendamping/core/class'
import { createDocumentClient, ensureTable } from '@pendamping/core/dynamo'
import { systemClock } from '@pendamping/core/store'
import { startDynamoDBLocal } from '../local/dynamodb-local.ts'
import { testApp } from '../testing/app.ts'
import { cpuOf, sideBySide, startServer, warmUp } from './closed-loop.ts'
import { httpClient } from './http-client.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
/** Unrecorded calls before each cell: connections, JIT, the route group and the class cache. */
const WARM_UP = 300
/** Then seconds per side at the cell's concurrency ({@link sideBySide}'s `warmUpSeconds`). */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 2)
/** Before the first cell, seconds per side at 10 clients: DynamoDB Local's JVM fresh from start. */
const FIRST_WARM_UP_SECONDS = 10
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,10,100').split(',').map(Number)
/** Only `first_come` or `lottery` (`BENCH_ONLY=lottery`); both by default. */
const ONLY = process.env.BENCH_ONLY
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
  const server = await startServer(import.meta.url, db.endpoint)
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
    consent: { accepted: true, purposeVersion: '2026-11' },
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
        purposeVersion: '2026-11',
        purposes: {
          matching_contact: true,
          reminders: true,
          program_reports: true,
          follow_on_invitations: false,
        },
      },
    }
  }
  const send = httpClient(url, Math.max(...CLIENTS))
  const register = (classId: string) => async () => {
    const answer = await send(
      'POST',
      `/v1/classes/${classId}/registrations`,
      { 'content-type': 'application/json' },
      JSON.stringify(body()),
    )
    if (answer.status !== 201) throw new Error(`registration: ${answer.status} ${answer.body}`)
  }

  /**
   * The transaction `registerForClass` sends for one registration, recorded instead of sent (its one
   * read, the class, is answered by DynamoDB Local and then cached by the domain), so the floor writes
   * exactly what the API writes with none of the API's work.
   */
  const recording = {
    async send(command: unknown) {
      if (command instanceof GetCommand) return floor.send(command)
      if (!(command instanceof TransactWriteCommand)) throw new Error('registerForClass made another call')
      recorded.push(command.input)
      return {}
    },
  }
  const recorded: TransactWriteCommandInput[] = []
  const record = async (classId: string) => {
    await registerForClass(
      { doc: recording as never, tableName: TABLE },
      systemClock,
      classId,
      NewRegistration.parse(body()),
      undefined,
    )
    return recorded.pop() as TransactWriteCommandInput
  }
  const floorRegister = (classId: string, pool: TransactWriteCommandInput[]) => async () => {
    const input = pool.pop() ?? (await record(classId))
    await floor.send(new TransactWriteCommand(input))
  }

  const processes = { api: server.pid, dynamodb: db.javaPid }
  const rows: string[] = []
  const cpuRows: string[] = []
  let failures = 0
  let first = true
  for (const admission of ['first_come', 'lottery'] as const) {
    if (ONLY && admission !== ONLY) continue
    const classId = classes[admission]
    for (const clients of CLIENTS) {
      // Enough for the floor's warm-up and cell (at up to 250 a second); more are recorded while it
      // runs if it outpaces this.
      const warmSeconds = WARM_UP_SECONDS + (first ? FIRST_WARM_UP_SECONDS : 0)
      const pool: TransactWriteCommandInput[] = []
      for (let i = 0; i < WARM_UP + (warmSeconds + SECONDS) * 250; i++) pool.push(await record(classId))
      const tasks = { api: register(classId), floor: floorRegister(classId, pool) }
      if (first) await warmUp(10, FIRST_WARM_UP_SECONDS, tasks)
      first = false
      const { api: apiResult, floor: base } = await sideBySide(clients, SECONDS, tasks, {
        warmUp: WARM_UP,
        warmUpSeconds: WARM_UP_SECONDS,
        processes,
      })
      const ratio = apiResult.throughput / base.throughput
      const pass = ratio >= 0.8
      if (!pass) failures++
      rows.push(
        `| ${admission} | ${clients} | ${apiResult.throughput.toFixed(0)} | ${base.throughput.toFixed(0)} | ${ratio.toFixed(2)} | ${apiResult.p50.toFixed(1)} / ${apiResult.p99.toFixed(1)} | ${base.p50.toFixed(1)} / ${base.p99.toFixed(1)} | ${pass ? 'met' : 'missed'} |`,
      )
      cpuRows.push(`| ${admission} | ${clients} | ${cpuOf(apiResult)} | ${cpuOf(base)} |`)
    }
  }

  console.log(
    `\nRegistrations into one class on the local stack vs the floor (DynamoDB Local alone), ${SECONDS} s per cell in alternating slices:\n`,
  )
  console.log(
    '| admission | clients | API reg/s | floor reg/s | ratio | API p50 / p99 ms | floor p50 / p99 ms | ≥ 0.8× |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---|')
  for (const row of rows) console.log(row)
  console.log(
    '\nCPU ms per registration (the load client in this process, the API process, DynamoDB Local):\n',
  )
  console.log(
    '| admission | clients | API side: client + API + DynamoDB = total | floor side: client + DynamoDB = total |',
  )
  console.log('|---|---:|---|---|')
  for (const row of cpuRows) console.log(row)

  send.close()
  floor.destroy()
  await server.stop()
  await db.stop()
  process.exitCode = failures > 0 ? 1 : 0
}
