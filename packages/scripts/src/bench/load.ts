/**
 * `npm run bench:load`: the main read and write routes on the local stack, side by side with the
 * floor — DynamoDB Local alone doing the same DynamoDB calls from a bare Node client — with 1 and 50
 * concurrent clients. Both sides run through the same closed-loop harness in this process, so the
 * ratio shows what the HTTP layer, validation, auth and the app cost on top of the database.
 *
 * Budgets (docs/contract/budgets.md): with 50 clients, throughput ≥ 0.8× the floor's; with 1 client, p50 ≤ floor + 1 ms.
 */

import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { createDocumentClient, keys } from '@pendamping/core/dynamo'
import { NewRequest, submitRequest } from '@pendamping/core/request'
import { systemClock } from '@pendamping/core/store'
import { startDynamoDBLocal } from '../local/dynamodb-local.ts'
import { startLocalStack } from '../local/stack.ts'
import { cpuOf, sideBySide, startServer, warmUp } from './closed-loop.ts'
import { type Answer, httpClient } from './http-client.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
/** Unrecorded calls per side before a cell: connections, JIT, route groups and caches. */
const WARM_UP = 200
/** Then seconds per side at the cell's concurrency ({@link sideBySide}'s `warmUpSeconds`). */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 2)
/** Before the first cell, seconds per side at 50 clients: DynamoDB Local's JVM fresh from start. */
const FIRST_WARM_UP_SECONDS = 10
/** Only the cells whose route name contains this (`BENCH_ONLY=owner`), for a quick look at one. */
const ONLY = process.env.BENCH_ONLY
/** Only these client counts (`BENCH_CLIENTS=50`). */
const CLIENTS = process.env.BENCH_CLIENTS?.split(',').map(Number)

async function expectOk(response: Response | Answer, status: number) {
  const body = 'text' in response ? await response.text() : response.body
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${body}`)
}

/**
 * The API runs in a process of its own, as it would behind a load balancer: the harness's own HTTP
 * client must not share the server's event loop. `--serve <dynamoEndpoint>` is that process.
 */
if (process.argv[2] === '--serve') {
  const stack = await startLocalStack({
    dynamoEndpoint: process.argv[3],
    tableName: 'bench-load',
    port: 0,
    events: false,
    // One client address and one phone at 50 concurrent clients: the app's per-client limits would
    // answer 429s, not the route (API Gateway's throttling is not part of the local stack either).
    rateLimits: false,
  })
  const staffToken = await stack.keys.sign({ sub: 'bench-staff', role: 'staff', region: '35.73' })
  process.stdout.write(`${JSON.stringify({ url: stack.url, staffToken })}\n`)
  process.on('SIGTERM', () => void stack.stop().then(() => process.exit(0)))
} else {
  await runBenchmark()
}

async function runBenchmark() {
  const db = await startDynamoDBLocal()
  const stack = await startServer(import.meta.url, db.endpoint)
  const floor = createDocumentClient({ endpoint: db.endpoint })
  const tableName = 'bench-load'
  const { staffToken } = stack
  const request = () => ({
    business: {
      name: 'Keripik Tempe Bu Sri',
      ownerName: 'Sri Rahayu',
      phone: '0813 3344 5566',
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
  })

  // One request to read back, and a program to read.
  const created = await fetch(`${stack.url}/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request()),
  })
  const { id: requestId, trackingToken } = (await created.json()) as { id: string; trackingToken: string }
  const program = await fetch(`${stack.url}/v1/programs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` },
    body: JSON.stringify({
      region: '35.73',
      name: 'Bench',
      topics: ['social_media'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-02-01T00:00:00+07:00',
      endsAt: '2099-12-31T23:59:59+07:00',
      segments: { umum: 70 },
    }),
  })
  const { id: programId } = (await program.json()) as { id: string }
  const openProgram = async (name: string) => {
    const response = await fetch(`${stack.url}/v1/programs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` },
      body: JSON.stringify({
        region: '35.73',
        name,
        topics: ['social_media'],
        timeZone: 'Asia/Jakarta',
        startsAt: '2026-02-01T00:00:00+07:00',
        endsAt: '2099-12-31T23:59:59+07:00',
        segments: { umum: 70 },
        status: 'open',
      }),
    })
    if (response.status !== 201) throw new Error(`program: ${response.status} ${await response.text()}`)
    return ((await response.json()) as { id: string }).id
  }

  let phones = 0
  /** A submission into `programId`'s `umum` segment, from a phone nobody used yet (one seat per phone). */
  const intoSegment = (programId: string) => {
    const body = request()
    body.business.phone = `0813${String(phones++).padStart(8, '0')}`
    return { ...body, programId, segment: 'umum' }
  }

  /** Submissions recorded for the floor, made before a cell so the floor's time is DynamoDB's alone. */
  const recorded = async (count: number, input: () => ReturnType<typeof request>) => {
    const pool: TransactWriteCommandInput[][] = []
    for (let i = 0; i < count; i++) pool.push(await recordSubmission(NewRequest.parse(input()), tableName))
    return () => pool.pop() ?? recordSubmission(NewRequest.parse(input()), tableName)
  }

  /** The floor's submission: the recorded transaction, and the waitlist's when the segment is full. */
  const floorSubmit = async (
    next: () => TransactWriteCommandInput[] | Promise<TransactWriteCommandInput[]>,
  ) => {
    const [seat, waitlist] = await next()
    try {
      await floor.send(new TransactWriteCommand(seat as TransactWriteCommandInput))
    } catch (error) {
      if (!waitlist || !segmentRefused(error)) throw error
      await floor.send(new TransactWriteCommand(waitlist))
    }
  }

  interface Cell {
    name: string
    clients: readonly number[]
    /**
     * Unrecorded calls per side before it is measured ({@link WARM_UP}, then {@link WARM_UP_SECONDS});
     * 0 when `prepare` warms up.
     */
    warmUp?: number
    /** Runs once before the cell is measured (opens its programs, records the floor's writes). */
    prepare?: () => Promise<void>
    api: () => Promise<void>
    floor: () => Promise<unknown>
  }
  // The measured calls: up to 50 at once, each on a connection of its own.
  const send = httpClient(stack.url, 50)
  const post = (body: unknown) =>
    send('POST', '/v1/requests', { 'content-type': 'application/json' }, JSON.stringify(body))
  let nextPlain: () => TransactWriteCommandInput[] | Promise<TransactWriteCommandInput[]> = () => []
  const segment = { api: '', floor: '' }
  let nextInSegment: typeof nextPlain = () => []

  const cells: Cell[] = [
    {
      name: 'GET /v1/requests/{id} (owner)',
      clients: [1, 50],
      api: async () =>
        expectOk(await send('GET', `/v1/requests/${requestId}`, { 'x-tracking-token': trackingToken }), 200),
      floor: () =>
        floor.send(
          new GetCommand({ TableName: tableName, Key: keys.request(requestId), ConsistentRead: true }),
        ),
    },
    {
      name: 'GET /v1/programs/{id} (staff)',
      clients: [1, 50],
      api: async () =>
        expectOk(
          await send('GET', `/v1/programs/${programId}`, { authorization: `Bearer ${staffToken}` }),
          200,
        ),
      floor: () =>
        floor.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.program(programId).pk },
            ConsistentRead: true,
          }),
        ),
    },
    {
      name: 'POST /v1/requests (public)',
      clients: [1, 50],
      prepare: async () => {
        // Both cells' warm-ups and slices (~6 000 floor calls at most; 3 000 more when this is the
        // first cell), so the floor never records while it is measured.
        nextPlain = await recorded(10_000, request)
      },
      api: async () => expectOk(await post(request()), 201),
      // The same transaction, item for item: the one `submitRequest` builds, recorded.
      floor: () => floorSubmit(nextPlain),
    },
    {
      // Issue 19: a registration burst into one 70-seat segment: the first 70 take a seat, every
      // later one is refused by the seat counter and waitlisted by a second transaction.
      name: 'POST /v1/requests into one program segment (seats, then waitlist)',
      clients: [50],
      warmUp: 0,
      prepare: async () => {
        // Warmed up on programs of their own, so the measured ones start with 70 free seats.
        segment.api = await openProgram('Bench burst (warm-up)')
        segment.floor = await openProgram('Bench burst floor (warm-up)')
        const warm = await recorded(WARM_UP, () => intoSegment(segment.floor))
        for (let i = 0; i < WARM_UP; i++) {
          await expectOk(await post(intoSegment(segment.api)), 201)
          await floorSubmit(warm)
        }
        segment.api = await openProgram('Bench burst')
        segment.floor = await openProgram('Bench burst floor')
        nextInSegment = await recorded(1_500, () => intoSegment(segment.floor))
      },
      api: async () => expectOk(await post(intoSegment(segment.api)), 201),
      floor: () => floorSubmit(nextInSegment),
    },
  ]

  const processes = { api: stack.pid, dynamodb: db.javaPid }
  const rows: string[] = []
  const cpuRows: string[] = []
  let failures = 0
  let first = true
  for (const cell of cells) {
    if (ONLY && !cell.name.includes(ONLY)) continue
    await cell.prepare?.()
    if (first && cell.warmUp !== 0) await warmUp(50, FIRST_WARM_UP_SECONDS, cell)
    first = false
    for (const clients of cell.clients) {
      if (CLIENTS && !CLIENTS.includes(clients)) continue
      const warm = cell.warmUp ?? WARM_UP
      const { api, floor: base } = await sideBySide(
        clients,
        SECONDS,
        { api: cell.api, floor: cell.floor },
        { processes, warmUp: warm, warmUpSeconds: warm === 0 ? 0 : WARM_UP_SECONDS },
      )
      const ratio = api.throughput / base.throughput
      const pass = clients === 50 ? ratio >= 0.8 : api.p50 <= base.p50 + 1
      if (!pass) failures++
      rows.push(
        `| ${cell.name} | ${clients} | ${api.throughput.toFixed(0)} | ${base.throughput.toFixed(0)} | ${ratio.toFixed(2)} | ${api.p50.toFixed(1)} / ${api.p99.toFixed(1)} | ${base.p50.toFixed(1)} / ${base.p99.toFixed(1)} | ${clients === 50 ? 'throughput ≥ 0.8×' : 'p50 ≤ floor + 1 ms'} ${pass ? 'PASS' : 'FAIL'} |`,
      )
      cpuRows.push(`| ${cell.name} | ${clients} | ${cpuOf(api)} | ${cpuOf(base)} |`)
    }
  }

  console.log(
    `\nLoad on the local stack vs the floor (DynamoDB Local alone), ${SECONDS} s per cell in alternating slices:\n`,
  )
  console.log(
    '| route | clients | API req/s | floor req/s | ratio | API p50 / p99 ms | floor p50 / p99 ms | budget |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---|')
  for (const row of rows) console.log(row)
  console.log('\nCPU ms per request (the load client in this process, the API process, DynamoDB Local):\n')
  console.log(
    '| route | clients | API side: client + API + DynamoDB = total | floor side: client + DynamoDB = total |',
  )
  console.log('|---|---:|---|---|')
  for (const row of cpuRows) console.log(row)

  send.close()
  floor.destroy()
  await stack.stop()
  await db.stop()
  process.exitCode = failures > 0 ? 1 : 0
}

/**
 * The transactions `submitRequest` sends for one submission, recorded instead of sent, so the floor
 * writes exactly what the API writes (every item, condition and event) with none of the API's work.
 * Into a program, the first is answered as a full segment answers it, so the waitlist's second
 * transaction is recorded too.
 */
async function recordSubmission(input: NewRequest, tableName: string): Promise<TransactWriteCommandInput[]> {
  const sent: TransactWriteCommandInput[] = []
  const doc = {
    async send(command: unknown) {
      if (!(command instanceof TransactWriteCommand)) throw new Error('submitRequest made another call')
      sent.push(command.input)
      if (input.programId !== undefined && sent.length === 1) throw segmentFull(command.input)
      return {}
    },
  }
  await submitRequest({ doc: doc as never, tableName }, systemClock, input)
  return sent
}

/** The cancellation DynamoDB answers when a segment's seat counter refuses (`admitted < quota`). */
function segmentFull(input: TransactWriteCommandInput): Error {
  const reasons = (input.TransactItems ?? []).map((item) =>
    String(item.Update?.Key?.sk ?? '').startsWith('SEGMENT#')
      ? { Code: 'ConditionalCheckFailed', Item: { entity: { S: 'programSegment' } } }
      : { Code: 'None' },
  )
  return Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: reasons,
  })
}

/** Whether DynamoDB cancelled a transaction because a condition failed (the full segment's seat). */
function segmentRefused(error: unknown): boolean {
  const reasons = (error as { name?: string; CancellationReasons?: Array<{ Code?: string }> } | null)
    ?.CancellationReasons
  return (
    (error as { name?: string } | null)?.name === 'TransactionCanceledException' &&
    (reasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')
  )
}
