/**
 * `npm run dlq:redrive`: replays what failed every retry — the stream records the publisher could not
 * publish and the bus events a consumer could not handle — through the whole event path again, once
 * the cause is fixed. Each event is republished from its outbox item (`republish`): consumers are
 * idempotent on the event id, so those that acted before do nothing and only the work that was
 * missing is done. Running it twice changes nothing more.
 *
 *   npm run dlq:redrive                      # the local stack's dead letters (.local/dead-letters.jsonl)
 *   npm run dlq:redrive -- --dry-run         # list them only
 *   npm run dlq:redrive -- --queue-url <DeadLetters queue URL> --table <table name>   # on AWS
 *
 * On AWS the `DeadLetters` queue holds two kinds of messages: a consumer's failed EventBridge event
 * (Lambda's dead-letter queue: the event itself) and a stream batch the publisher gave up on (the
 * event source mapping's on-failure destination: the shard and sequence numbers, whose records are
 * read back from the stream while it keeps them, 24 hours). A message is deleted once its events are
 * republished; one that cannot be read is left for a person.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { envelopeFromBus } from '@pendamping/core/bus'
import { republish } from '@pendamping/core/consumer'
import { createDocumentClient, fromStreamImage } from '@pendamping/core/dynamo'
import { type EventEnvelope, envelopeOf } from '@pendamping/core/event'
import type { Store } from '@pendamping/core/store'
import type { DynamoDBRecord } from 'aws-lambda'
import { stackFiles } from './local/stack.ts'

/** One dead letter, as either side of the local stack records it (`dead-letters.jsonl`). */
export type LocalDeadLetter =
  | { source: 'stream'; record: DynamoDBRecord; attempts: number; reason: string; at: string }
  | {
      source: 'bus'
      rule: string
      event: { 'detail-type': string; detail: unknown }
      reason: string
      at: string
    }

/** The event a dead letter carries, or undefined when it carries none that can be read. */
export function eventOf(letter: LocalDeadLetter): EventEnvelope | undefined {
  try {
    if (letter.source === 'bus') return envelopeFromBus(letter.event)
    const image = letter.record.dynamodb?.NewImage
    return image ? envelopeOf(fromStreamImage(image)) : undefined
  } catch {
    return undefined
  }
}

export interface RedriveResult {
  /** Events republished, each once however many dead letters named it. */
  republished: string[]
  /** Dead letters that carry no readable event: kept for a person to look at. */
  unreadable: number
}

/**
 * Republishes the events of the local stack's dead letters and removes those letters from the file;
 * letters without a readable event stay. Safe to run again: what is left is only what did not go.
 */
export async function redriveLocal(store: Store, file: string, options: { dryRun?: boolean } = {}) {
  const letters = await readLetters(file)
  const result: RedriveResult = { republished: [], unreadable: 0 }
  const kept: LocalDeadLetter[] = []
  const events = new Map<string, EventEnvelope>()
  for (const letter of letters) {
    const event = eventOf(letter)
    if (event) events.set(event.id, event)
    else {
      result.unreadable++
      kept.push(letter)
    }
  }
  if (options.dryRun) return { ...result, republished: [...events.keys()] }
  for (const event of events.values()) {
    await republish(store, event)
    result.republished.push(event.id)
  }
  // Letters added while this ran (the stack is live) are kept: only what was read is removed.
  const now = await readLetters(file)
  const remaining = [...kept, ...now.slice(letters.length)]
  await writeFile(`${file}.tmp`, remaining.map((letter) => `${JSON.stringify(letter)}\n`).join(''))
  await rename(`${file}.tmp`, file)
  return result
}

async function readLetters(file: string): Promise<LocalDeadLetter[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LocalDeadLetter]
      } catch {
        return []
      }
    })
}

/** What the event source mapping sends to its on-failure destination about a stream batch. */
interface StreamBatchInfo {
  shardId: string
  startSequenceNumber: string
  endSequenceNumber: string
  streamArn: string
}

/** The outbox events of a failed stream batch, read back from the stream (it keeps records 24 hours). */
async function eventsOfBatch(
  streams: DynamoDBStreamsClient,
  batch: StreamBatchInfo,
): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = []
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: batch.streamArn,
      ShardId: batch.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: batch.startSequenceNumber,
    }),
  )
  const end = BigInt(batch.endSequenceNumber)
  for (let reads = 0; iterator && reads < 100; reads++) {
    const { Records = [], NextShardIterator } = await streams.send(
      new GetRecordsCommand({ ShardIterator: iterator }),
    )
    for (const record of Records) {
      const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '0')
      if (sequence > end) return events
      const image = record.eventName === 'INSERT' ? record.dynamodb?.NewImage : undefined
      const event = image ? envelopeOf(fromStreamImage(image as Record<string, object>)) : undefined
      if (event) events.push(event)
    }
    if (Records.length === 0 && reads > 0) break
    iterator = NextShardIterator
  }
  return events
}

/** Drains the `DeadLetters` queue on AWS: republishes each message's events, then deletes it. */
export async function redriveQueue(
  store: Store,
  queueUrl: string,
  clients: { sqs: SQSClient; streams: DynamoDBStreamsClient },
  options: { dryRun?: boolean; maxMessages?: number } = {},
): Promise<RedriveResult> {
  const result: RedriveResult = { republished: [], unreadable: 0 }
  const seen = new Set<string>()
  for (let received = 0; received < (options.maxMessages ?? 1000); ) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        // Long enough to republish a batch; a message not deleted comes back for the next run.
        VisibilityTimeout: 120,
      }),
    )
    if (Messages.length === 0) break
    received += Messages.length
    for (const message of Messages) {
      let events: EventEnvelope[] | undefined
      try {
        const body = JSON.parse(message.Body ?? '') as Record<string, unknown>
        if (body.DDBStreamBatchInfo)
          events = await eventsOfBatch(clients.streams, body.DDBStreamBatchInfo as StreamBatchInfo)
        else if (typeof body['detail-type'] === 'string')
          events = [envelopeFromBus(body as { 'detail-type': string; detail: unknown })]
      } catch {
        events = undefined
      }
      if (!events) {
        result.unreadable++
        continue
      }
      if (options.dryRun) {
        for (const event of events) result.republished.push(event.id)
        continue
      }
      for (const event of events) {
        if (seen.has(event.id)) continue
        await republish(store, event)
        seen.add(event.id)
        result.republished.push(event.id)
      }
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      )
    }
  }
  return result
}

async function main() {
  const { values } = parseArgs({
    options: {
      'queue-url': { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string', default: 'ap-southeast-3' },
      dir: { type: 'string', default: resolve(import.meta.dirname, '../../../.local') },
      'dry-run': { type: 'boolean', default: false },
    },
  })
  const dryRun = values['dry-run']
  let result: RedriveResult
  if (values['queue-url']) {
    if (!values.table) throw new Error('--table <name> is required with --queue-url')
    const store = { doc: createDocumentClient({ region: values.region }), tableName: values.table }
    result = await redriveQueue(
      store,
      values['queue-url'],
      {
        sqs: new SQSClient({ region: values.region }),
        streams: new DynamoDBStreamsClient({ region: values.region }),
      },
      { dryRun },
    )
  } else {
    const files = stackFiles(values.dir)
    let running: { dynamoEndpoint: string; tableName: string }
    try {
      running = JSON.parse(await readFile(files.running, 'utf8'))
    } catch {
      throw new Error(`No running local stack found (${files.running}); start it with \`npm start\` first.`)
    }
    const store = {
      doc: createDocumentClient({ endpoint: running.dynamoEndpoint }),
      tableName: running.tableName,
    }
    result = await redriveLocal(store, files.deadLetters, { dryRun })
    store.doc.destroy()
  }
  const verb = dryRun ? 'Would republish' : 'Republished'
  console.log(
    `${verb} ${result.republished.length} event(s)${result.unreadable ? `; ${result.unreadable} dead letter(s) carry no readable event and were kept` : ''}.`,
  )
  for (const id of result.republished) console.log(`  ${id}`)
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
