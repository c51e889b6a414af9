import { PutCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type TestTable, useTestTable } from '../testing/table.ts'
import { createStreamWorker, type StreamWorker } from './stream-worker.ts'

// Each scenario reads its own table's stream from the start, so batches hold exactly its records.
const live = useTestTable({ stream: true })
const retried = useTestTable({ stream: true })
const poisoned = useTestTable({ stream: true })

const quiet = { info: () => {}, warn: () => {}, error: vi.fn() }
let worker: StreamWorker | undefined
afterEach(async () => {
  await worker?.stop()
  worker = undefined
})

async function put(table: TestTable, pk: string) {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { pk, sk: 'ITEM', entity: 'test', version: 1, n: 7 },
    }),
  )
}

const pkOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S
const failing = (record: DynamoDBRecord): DynamoDBBatchResponse => ({
  batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }],
})

describe('Local stream worker', () => {
  it('hands a written item to the handler in the Lambda DynamoDB stream event format', async () => {
    const events: DynamoDBStreamEvent[] = []
    worker = createStreamWorker({
      endpoint: live.endpoint,
      tableName: live.tableName,
      pollIntervalMs: 20,
      logger: quiet,
      handler: async (event, context) => {
        expect(context.functionName).toBe('publisher')
        events.push(structuredClone(event))
        return { batchItemFailures: [] }
      },
    })
    await worker.start()

    await put(live, 'ITEM#live')

    await vi.waitFor(() => expect(events.flatMap((event) => event.Records)).toHaveLength(1), {
      timeout: 10_000,
    })
    const [record] = events.flatMap((event) => event.Records)
    expect(Object.keys(record ?? {})).toEqual([
      'eventID',
      'eventName',
      'eventVersion',
      'eventSource',
      'awsRegion',
      'dynamodb',
      'eventSourceARN',
    ])
    expect(record).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ap-southeast-3',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'ITEM#live' }, sk: { S: 'ITEM' } },
        NewImage: {
          pk: { S: 'ITEM#live' },
          sk: { S: 'ITEM' },
          entity: { S: 'test' },
          version: { N: '1' },
          n: { N: '7' },
        },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: worker.streamArn,
    })
    expect(worker.streamArn).toMatch(new RegExp(`:table/${live.tableName}/stream/`))
    // Epoch seconds, as Lambda sends it, not the SDK's Date.
    expect(Math.abs((record?.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(
      600,
    )
  })

  it('delivers again from the first failed record, not before it', async () => {
    for (const pk of ['a', 'b', 'c']) await put(retried, pk)
    const batches: string[][] = []
    let failedOnce = false
    worker = createStreamWorker({
      endpoint: retried.endpoint,
      tableName: retried.tableName,
      pollIntervalMs: 20,
      retryDelayMs: 10,
      logger: quiet,
      handler: async ({ Records }) => {
        batches.push(Records.map((record) => pkOf(record) ?? ''))
        const b = Records.find((record) => pkOf(record) === 'b')
        if (b && !failedOnce) {
          failedOnce = true
          return failing(b)
        }
        return { batchItemFailures: [] }
      },
    })
    await worker.start()

    await vi.waitFor(
      () =>
        expect(batches).toEqual([
          ['a', 'b', 'c'],
          ['b', 'c'],
        ]),
      { timeout: 10_000 },
    )
    expect(worker.deadLetters).toEqual([])
  })

  it('treats a thrown error as a failure of the whole batch', async () => {
    // Reads the same table as above from the start: a, b, c.
    const batches: string[][] = []
    let threw = false
    worker = createStreamWorker({
      endpoint: retried.endpoint,
      tableName: retried.tableName,
      pollIntervalMs: 20,
      retryDelayMs: 10,
      logger: quiet,
      handler: async ({ Records }) => {
        batches.push(Records.map((record) => pkOf(record) ?? ''))
        if (!threw) {
          threw = true
          throw new Error('handler crashed')
        }
      },
    })
    await worker.start()

    await vi.waitFor(
      () =>
        expect(batches).toEqual([
          ['a', 'b', 'c'],
          ['a', 'b', 'c'],
        ]),
      { timeout: 10_000 },
    )
  })

  it('sends a record that keeps failing to the dead-letter list after 3 tries and moves on', async () => {
    for (const pk of ['a', 'poison', 'c']) await put(poisoned, pk)
    const batches: string[][] = []
    worker = createStreamWorker({
      endpoint: poisoned.endpoint,
      tableName: poisoned.tableName,
      pollIntervalMs: 20,
      retryDelayMs: 10,
      logger: quiet,
      handler: async ({ Records }) => {
        batches.push(Records.map((record) => pkOf(record) ?? ''))
        const poison = Records.find((record) => pkOf(record) === 'poison')
        return poison ? failing(poison) : { batchItemFailures: [] }
      },
    })
    await worker.start()

    await vi.waitFor(
      () => expect(batches).toEqual([['a', 'poison', 'c'], ['poison', 'c'], ['poison', 'c'], ['c']]),
      { timeout: 10_000 },
    )
    expect(worker.deadLetters).toEqual([
      {
        record: expect.objectContaining({ eventName: 'INSERT', eventSourceARN: worker.streamArn }),
        attempts: 3,
        reason: 'reported by batchItemFailures',
        at: expect.any(String),
      },
    ])
    expect(pkOf(worker.deadLetters[0]?.record ?? {})).toBe('poison')
    expect(quiet.error).toHaveBeenCalledWith(
      'Stream record sent to the dead-letter list',
      expect.objectContaining({ attempts: 3, eventID: worker.deadLetters[0]?.record.eventID }),
    )
  })

  it('stops cleanly: nothing is delivered after stop() resolves', async () => {
    const handler = vi.fn(async () => ({ batchItemFailures: [] }))
    const stopped = createStreamWorker({
      endpoint: live.endpoint,
      tableName: live.tableName,
      pollIntervalMs: 20,
      startingPosition: 'LATEST',
      logger: quiet,
      handler,
    })
    await stopped.start()
    await stopped.stop()

    await put(live, 'ITEM#after-stop')

    // A second worker sees the write, so the stopped one had every chance to.
    const seen: string[] = []
    worker = createStreamWorker({
      endpoint: live.endpoint,
      tableName: live.tableName,
      pollIntervalMs: 20,
      logger: quiet,
      handler: async ({ Records }) => {
        seen.push(...Records.map((record) => pkOf(record) ?? ''))
      },
    })
    await worker.start()
    await vi.waitFor(() => expect(seen).toContain('ITEM#after-stop'), { timeout: 10_000 })
    expect(handler).not.toHaveBeenCalled()
  })
})
