/**
 * `npm run bench:load`: the main read and write routes on the local stack, side by side with the
 * floor — DynamoDB Local alone doing the same DynamoDB calls from a bare Node client — with 1 and 50
 * concurrent clients. Both sides run through the same closed-loop harness in this process, so the
 * ratio shows what the HTTP layer, validation, auth and the app cost on top of the database.
 *
 * Budgets (docs/contract/budgets.md): with 50 clients, throughput ≥ 0.8× the floor's; with 1 client, p50 ≤ floor + 1 ms.
 */

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { keys, newId } from '@pendamping/core/adapters/dynamo/keys'
import { startDynamoDBLocal } from '../local/dynamodb-local.ts'
import { startLocalStack } from '../local/stack.ts'
import { closedLoop } from './closed-loop.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)

async function expectOk(response: Response, status: number) {
  const body = await response.text()
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

async function runBenchmark() {
  const db = await startDynamoDBLocal()
  const stack = await startServer(db.endpoint)
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
    consent: { accepted: true, purposeVersion: '2026-01' },
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
  const requestItem = (
    await floor.send(new GetCommand({ TableName: tableName, Key: keys.request(requestId) }))
  ).Item

  const routes: Array<{ name: string; api: () => Promise<void>; floor: () => Promise<unknown> }> = [
    {
      name: 'GET /v1/requests/{id} (owner)',
      api: async () =>
        expectOk(
          await fetch(`${stack.url}/v1/requests/${requestId}`, {
            headers: { 'x-tracking-token': trackingToken },
          }),
          200,
        ),
      floor: () => floor.send(new GetCommand({ TableName: tableName, Key: keys.request(requestId) })),
    },
    {
      name: 'GET /v1/programs/{id} (staff)',
      api: async () =>
        expectOk(
          await fetch(`${stack.url}/v1/programs/${programId}`, {
            headers: { authorization: `Bearer ${staffToken}` },
          }),
          200,
        ),
      floor: () =>
        floor.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.program(programId).pk },
          }),
        ),
    },
    {
      name: 'POST /v1/requests (public)',
      api: async () =>
        expectOk(
          await fetch(`${stack.url}/v1/requests`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request()),
          }),
          201,
        ),
      // The same write: the request item and its outbox event in one transaction.
      floor: () => {
        const id = newId()
        return floor.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...requestItem, ...keys.request(id), id },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.outbox(id),
                    entity: 'bench-event',
                    event: { id, detail: { requestId: id } },
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        )
      },
    },
  ]
  // The floor's outbox items carry another entity tag, so the stack's stream publisher skips them.

  const rows: string[] = []
  let failures = 0
  for (const route of routes) {
    for (const clients of [1, 50]) {
      // Alternate which side goes first so neither always gets the warmer machine.
      const apiFirst = clients === 1
      const first = await closedLoop(clients, SECONDS, apiFirst ? route.api : route.floor)
      const second = await closedLoop(clients, SECONDS, apiFirst ? route.floor : route.api)
      const api = apiFirst ? first : second
      const base = apiFirst ? second : first
      const ratio = api.throughput / base.throughput
      const pass = clients === 50 ? ratio >= 0.8 : api.p50 <= base.p50 + 1
      if (!pass) failures++
      rows.push(
        `| ${route.name} | ${clients} | ${api.throughput.toFixed(0)} | ${base.throughput.toFixed(0)} | ${ratio.toFixed(2)} | ${api.p50.toFixed(1)} / ${api.p99.toFixed(1)} | ${base.p50.toFixed(1)} / ${base.p99.toFixed(1)} | ${clients === 50 ? 'throughput ≥ 0.8×' : 'p50 ≤ floor + 1 ms'} ${pass ? 'PASS' : 'FAIL'} |`,
      )
    }
  }

  console.log(`\nLoad on the local stack vs the floor (DynamoDB Local alone), ${SECONDS} s per cell:\n`)
  console.log(
    '| route | clients | API req/s | floor req/s | ratio | API p50 / p99 ms | floor p50 / p99 ms | budget |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---|')
  for (const row of rows) console.log(row)

  floor.destroy()
  stack.stop()
  await db.stop()
  process.exitCode = failures > 0 ? 1 : 0
}
