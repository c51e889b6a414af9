/**
 * Fault (b): the whole local stack dies mid-journey (SIGKILL: no shutdown, work in flight) and is
 * started again on the same data. The stream worker carries on from its stored checkpoint, every
 * outbox event reaches every consumer of it once in effect, and the timed follow-ups written before
 * the crash still fire.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { withContext } from '@pendamping/core/actor'
import { createDocumentClient, fromStreamImage, get } from '@pendamping/core/dynamo'
import { Offer } from '@pendamping/core/entities'
import { envelopeOf } from '@pendamping/core/event'
import { getOffer } from '@pendamping/core/offer'
import { COUNTED_EVENTS, readReport } from '@pendamping/core/report'
import { getRequest } from '@pendamping/core/request'
import type { Clock } from '@pendamping/core/store'
import { rules } from '@pendamping/functions/wiring'
import { LocalKeySet } from '@pendamping/scripts/local/keys'
import { type LocalStack, stackFiles, startLocalStack } from '@pendamping/scripts/local/stack'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestBody, waitFor } from './support.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const REQUESTS = 12
/** The consumers whose processed markers this test reads (each acts once per event it is wired to). */
const CHECKED = [
  'InstantMatch',
  'SeatRelease',
  'FollowUpScheduler',
  'FollowUpRunner',
  'Notifications',
  'ReportCounters',
]

let dir: string
let keys: LocalKeySet
let child: ChildProcess | undefined
let stack: LocalStack | undefined
let offset = 0
/** Real time, moved forward by hand: leases from before the crash lapse as they would. */
const clock: Clock = { now: () => new Date(Date.now() + offset) }
const requestIds: string[] = []
/** The stream position the killed stack had recorded, and the events up to it. */
const checkpointed: { sequence: string; eventIds: string[] } = { sequence: '', eventIds: [] }
let firstRun: { url: string; dynamoEndpoint: string; tableName: string }

const tableOf = (endpoint: string, doc = createDocumentClient({ endpoint })) => ({
  endpoint,
  tableName: firstRun.tableName,
  doc,
})

/** Every (consumer, event) pair that should have a `done` marker and has none. */
async function unconsumed(table: ReturnType<typeof tableOf>) {
  const events = (await scanTable(table, 'event')).map((item) => envelopeOf(item)).filter((event) => !!event)
  const done = new Set(
    (await scanTable(table, 'processed'))
      .filter((item) => item.status === 'done')
      .map((item) => `${item.consumer}|${item.eventId}`),
  )
  return events.flatMap((event) =>
    rules
      .filter((rule) => CHECKED.includes(rule.name) && rule.detailTypes.includes(event.type))
      .filter((rule) => rule.name !== 'ReportCounters' || COUNTED_EVENTS.includes(event.type))
      .filter((rule) => !done.has(`${rule.name}|${event.id}`))
      .map((rule) => `${rule.name} ← ${event.type} ${event.id}`),
  )
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendamping-restart-'))
  // The first stack makes the key pair and keeps it there; tokens for it are signed with it.
  const keyFile = join(dir, 'keys.json')
  child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/crash-stack.ts'], {
    cwd: ROOT,
    env: { ...process.env, FAULT_DB_PATH: join(dir, 'dynamodb'), FAULT_KEY_FILE: keyFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  firstRun = await new Promise((resolve, reject) => {
    let buffered = ''
    child?.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const line = buffered.split('\n').find((text) => text.startsWith('READY '))
      if (line) resolve(JSON.parse(line.slice('READY '.length)))
    })
    child?.once('exit', (code) =>
      reject(new Error(`the stack exited (${code}) before it was ready:\n${output}`)),
    )
  })
  keys = await LocalKeySet.persistent(keyFile)
}, 60_000)

afterAll(async () => {
  child?.kill('SIGKILL')
  await stack?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('The local stack killed mid-journey and started again on the same data', () => {
  it('is killed while the events of a burst are still being handled', async () => {
    const staff = await keys.sign({ sub: 'staff-35.73', role: 'staff', region: '35.73' })
    for (let i = 0; i < 4; i++) {
      const applied = await fetch(`${firstRun.url}/v1/mentor-applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Mentor Restart ${i}`,
          email: `mentor.restart.${i}@example.id`,
          phone: `0812 7100 ${String(i).padStart(4, '0')}`,
          region: '35.73',
          regionsServed: [],
          skills: [{ topic: 'social_media', level: 3 }],
          modes: ['online', 'offline'],
          languages: ['id'],
          availability: [{ day: 'mon', from: '09:00', to: '17:00' }],
          capacity: 3,
          bio: 'Membantu UMKM berjualan lewat media sosial.',
          consent: { accepted: true, purposeVersion: '2026-11' },
        }),
      })
      const { id } = (await applied.json()) as { id: string }
      const approved = await fetch(`${firstRun.url}/v1/mentors/${id}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staff}` },
      })
      expect(approved.status).toBe(200)
    }
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        fetch(`${firstRun.url}/v1/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(requestBody(500 + i)),
        }),
      ),
    )
    for (const answer of answers) {
      expect(answer.status).toBe(201)
      requestIds.push(((await answer.json()) as { id: string }).id)
    }
    const table = tableOf(firstRun.dynamoEndpoint)
    const checkpointFile = stackFiles(dir).checkpoint
    // Some of the burst handled (its position stored), not all of it: then the power goes.
    await waitFor(
      async () => {
        const saved = await readFile(checkpointFile, 'utf8').catch(() => '')
        const offered = (await scanTable(table, 'event')).filter(
          (item) => envelopeOf(item)?.type === 'OfferMade',
        )
        return saved !== '' && offered.length >= 3
      },
      { timeout: 30_000, interval: 50, message: 'the first stack has handled part of the burst' },
    )
    child?.kill('SIGKILL')
    await new Promise((resolve) => child?.once('exit', resolve))
    const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as {
      shards: Record<string, { checkpoint?: string }>
    }
    checkpointed.sequence = Object.values(saved.shards).find((shard) => shard.checkpoint)?.checkpoint ?? ''
    expect(checkpointed.sequence).not.toBe('')
    // Its DynamoDB Local goes with it; wait until it has let go of the data folder.
    await waitFor(
      () =>
        fetch(firstRun.dynamoEndpoint, { signal: AbortSignal.timeout(500) }).then(
          () => false,
          () => true,
        ),
      { message: 'the killed stack’s DynamoDB Local is gone' },
    )
    table.doc.destroy()
  }, 60_000)

  it('carries on from the stream position it had stored, not from the start', async () => {
    stack = await startLocalStack({
      dbPath: join(dir, 'dynamodb'),
      clock,
      rateLimits: false,
      consumerTimeoutMs: 3000,
    })
    const table = tableOf(stack.dynamoEndpoint, stack.store.doc)
    await waitFor(async () => (await unconsumed(table)).length === 0, {
      timeout: 40_000,
      interval: 250,
      message: 'every event of the interrupted journey reaches every consumer',
    })
    // The events the first stack had finished before the crash were not published again.
    const config = {
      endpoint: stack.dynamoEndpoint,
      region: 'ap-southeast-3',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }
    const tables = new DynamoDBClient(config)
    const streams = new DynamoDBStreamsClient(config)
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: stack.tableName }))
    const arn = Table?.LatestStreamArn ?? ''
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }))
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
      let more = true
      while (iterator && more) {
        const { Records = [], NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator }),
        )
        for (const record of Records) {
          if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > BigInt(checkpointed.sequence)) more = false
          else if (record.eventName === 'INSERT' && record.dynamodb?.NewImage) {
            const event = envelopeOf(fromStreamImage(record.dynamodb.NewImage as Record<string, object>))
            if (event) checkpointed.eventIds.push(event.id)
          }
        }
        if (Records.length === 0) more = false
        iterator = NextShardIterator
      }
    }
    tables.destroy()
    streams.destroy()
    expect(checkpointed.eventIds.length).toBeGreaterThan(0)
    // The crash left work behind: the new stack published what the old one had not finished.
    expect(stack.bus.published.length).toBeGreaterThan(0)
    const republished = new Set(stack.bus.published.map((event) => event.id))
    expect(checkpointed.eventIds.filter((id) => republished.has(id))).toEqual([])
  }, 60_000)

  it('fires the follow-ups scheduled before the crash', async () => {
    if (!stack) throw new Error('the stack did not start again')
    const running = stack
    const first = await Promise.all(requestIds.map((id) => getRequest(running.store, id)))
    expect(first.every((request) => request?.status === 'offered')).toBe(true)
    const firstOffers = await Promise.all(
      requestIds.map(
        async (requestId) => (await get(running.store, Offer.lastOfRequest, { requestId })) ?? '',
      ),
    )
    // Two days on, every first offer has passed its 48-hour window: the sweeper expires them.
    offset += 49 * 3_600_000
    await stack.runSchedules()
    await waitFor(
      async () => {
        const offers = await Promise.all(firstOffers.map((id) => getOffer(running.store, id)))
        return offers.every((offer) => offer?.status === 'expired')
      },
      { timeout: 30_000, interval: 250, message: 'every offer made before the crash expires' },
    )
    const table = tableOf(stack.dynamoEndpoint, stack.store.doc)
    await waitFor(async () => (await unconsumed(table)).length === 0, {
      timeout: 30_000,
      interval: 250,
      message: 'every event after the expiry reaches every consumer',
    })
  }, 60_000)

  it('counted every event once: nothing acknowledged was lost, nothing applied twice', async () => {
    if (!stack) throw new Error('the stack did not start again')
    const running = stack
    const table = tableOf(stack.dynamoEndpoint, stack.store.doc)
    const events = (await scanTable(table, 'event'))
      .map((item) => envelopeOf(item))
      .filter((event) => !!event)
    const count = (type: string) => events.filter((event) => event.type === type).length
    expect(count('RequestSubmitted')).toBe(REQUESTS)
    expect(count('OfferExpired')).toBe(REQUESTS)
    for (const id of requestIds) {
      const request = await getRequest(stack.store, id)
      // One offer per matching pass: the first, expired, and the one after it.
      const made = events.filter(
        (event) => event.type === 'OfferMade' && (event.detail as { requestId: string }).requestId === id,
      )
      expect(request?.offerCount, id).toBe(made.length)
      expect(made.length, id).toBe(2)
    }
    const now = clock.now()
    const month = (at: number) => new Date(at + 7 * 3_600_000).toISOString().slice(0, 7)
    const report = await withContext(
      {
        actor: { kind: 'account', sub: 'admin', role: 'admin', region: '*' },
        requestId: 'test',
        locale: 'id',
      },
      () =>
        readReport(
          running.store,
          { from: month(now.getTime() - 40 * 86_400_000), to: month(now.getTime()) },
          now,
        ),
    )
    expect(report.requests.submitted).toBe(REQUESTS)
    expect(report.offers.made).toBe(count('OfferMade'))
    expect(report.offers.expired).toBe(REQUESTS)
  }, 30_000)
})
