import { appendFile, readFile, rename, writeFile } from 'node:fs/promises'
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamApiRecord,
  type AttributeValue as StreamAttributeValue,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams'
import { logger as defaultLogger, scrubMessage } from '@pendamping/functions/logger'
import type { AttributeValue, Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'

/** What the table's stream subscription runs: the same function on AWS and here. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>

export interface StreamWorkerOptions {
  /** DynamoDB Local's URL. */
  endpoint: string
  tableName: string
  handler: StreamHandler
  /** Reported as the records' `awsRegion`, as Lambda does. Default `ap-southeast-3`. */
  region?: string
  /** Records per invocation at most (Lambda's default for streams: 100). */
  batchSize?: number
  /** Wait between polls of a shard that had nothing new. Default 200 ms. */
  pollIntervalMs?: number
  /** Invocations a record may be the first failure of before it goes to the dead-letter list. Default 3. */
  maxAttempts?: number
  /** Wait before delivering again after a failure. Default 100 ms. */
  retryDelayMs?: number
  /**
   * Where reading starts in the shards open when the worker starts. `TRIM_HORIZON` (default) also
   * publishes what was written while nothing was reading (consumers are idempotent, so a replay is
   * harmless); `LATEST` only what comes after.
   */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST'
  /** Name the handler sees as `context.functionName`. */
  functionName?: string
  /**
   * Where the worker keeps, per shard, the sequence number of the last record it finished with, as
   * the event source mapping keeps its position on AWS: a worker started again on the same data (the
   * stack stopped abruptly) carries on after it instead of from the oldest record. Written after every
   * batch; a batch finished but not yet recorded is delivered again, which consumers absorb.
   */
  checkpointFile?: string
  /** Where records sent to the dead-letter list are also appended (JSON lines), for `npm run dlq:redrive`. */
  deadLetterFile?: string
  logger?: Pick<typeof defaultLogger, 'info' | 'warn' | 'error'>
}

/** A record the handler kept failing: what the event source mapping's on-failure queue receives on AWS. */
export interface DeadLetter {
  record: DynamoDBRecord
  attempts: number
  /** Why the last invocation failed: the error it threw, or `reported by batchItemFailures`. */
  reason: string
  at: string
}

export interface StreamWorker {
  /** Finds the table's stream and starts polling it; resolves once the shards are positioned. */
  start(): Promise<void>
  /** Stops polling and waits for the invocation in flight to finish; a stopped worker stays stopped. */
  stop(): Promise<void>
  readonly streamArn: string
  /** Poison records, oldest first. */
  readonly deadLetters: readonly DeadLetter[]
}

interface Shard {
  id: string
  parentId: string | undefined
  iterator: string | undefined
  /** The sequence number of the last record the handler finished with (succeeded or dead-lettered). */
  checkpoint: string | undefined
  /** Where to start when there is no checkpoint. */
  start: 'TRIM_HORIZON' | 'LATEST'
  done: boolean
}

/** What {@link StreamWorkerOptions.checkpointFile} holds. */
interface SavedCheckpoints {
  streamArn: string
  shards: Record<string, { checkpoint?: string | undefined; done: boolean }>
}

/** How often (in polls) to look for new shards when every known shard is still open. */
const DESCRIBE_EVERY_POLLS = 25

/**
 * Reads the table's DynamoDB stream from DynamoDB Local, as the Lambda event source mapping does on
 * AWS, and hands each batch to the handler in the exact Lambda DynamoDB stream event format.
 *
 * Like a mapping with `ReportBatchItemFailures`: when the handler throws, or reports failures, the
 * batch is delivered again from the first failed record (everything before it is checkpointed). A
 * record that is the first failure `maxAttempts` times goes to {@link StreamWorker.deadLetters} (and
 * the log), and reading moves on past it. Parent shards are read to their end before their children.
 *
 * @example
 * const worker = createStreamWorker({ endpoint, tableName, handler: createPublisher({ bus }) })
 * await worker.start()
 * // … later
 * await worker.stop()
 */
export function createStreamWorker(options: StreamWorkerOptions): StreamWorker {
  const region = options.region ?? 'ap-southeast-3'
  const batchSize = options.batchSize ?? 100
  const pollIntervalMs = options.pollIntervalMs ?? 200
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3)
  const retryDelayMs = options.retryDelayMs ?? 100
  const functionName = options.functionName ?? 'publisher'
  const logger = options.logger ?? defaultLogger
  const clientConfig = {
    endpoint: options.endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }
  const streams = new DynamoDBStreamsClient(clientConfig)
  const shards = new Map<string, Shard>()
  const deadLetters: DeadLetter[] = []
  /** Failed invocations per record, by sequence number, while it is the first failure of its batch. */
  const attempts = new Map<string, number>()
  let streamArn = ''
  let stopping = false
  /** Checkpoint writes, one after the other. */
  let saving: Promise<void> = Promise.resolve()

  /** Records where every shard stands (atomically: a crash mid-write leaves the previous file). */
  function saveCheckpoints(): Promise<void> {
    const file = options.checkpointFile
    if (!file) return saving
    const saved: SavedCheckpoints = {
      streamArn,
      shards: Object.fromEntries(
        [...shards.values()].map((shard) => [shard.id, { checkpoint: shard.checkpoint, done: shard.done }]),
      ),
    }
    saving = saving.then(async () => {
      try {
        await writeFile(`${file}.tmp`, JSON.stringify(saved))
        await rename(`${file}.tmp`, file)
      } catch (error) {
        logger.warn('Could not save the stream checkpoint', { error: error as Error })
      }
    })
    return saving
  }

  /** Takes up where a previous worker on the same stream left off. */
  async function loadCheckpoints(): Promise<void> {
    if (!options.checkpointFile) return
    let saved: SavedCheckpoints
    try {
      saved = JSON.parse(await readFile(options.checkpointFile, 'utf8')) as SavedCheckpoints
    } catch {
      return
    }
    // Another stream (the table was made again): its positions mean nothing here.
    if (saved.streamArn !== streamArn) return
    for (const [id, position] of Object.entries(saved.shards ?? {})) {
      const shard = shards.get(id)
      if (!shard) continue
      shard.checkpoint = position.checkpoint
      shard.done = position.done
    }
  }
  let running: Promise<void> | undefined
  let wake: (() => void) | undefined

  /** A sleep that {@link StreamWorker.stop} cuts short. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  async function describeShards(startingPosition: 'TRIM_HORIZON' | 'LATEST'): Promise<void> {
    let exclusiveStartShardId: string | undefined
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      )
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue
        const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined
        shards.set(shard.ShardId, {
          id: shard.ShardId,
          parentId: shard.ParentShardId,
          iterator: undefined,
          checkpoint: undefined,
          start: startingPosition,
          // Starting at LATEST, a shard already closed has nothing that comes after.
          done: closed && startingPosition === 'LATEST',
        })
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId
    } while (exclusiveStartShardId)
  }

  /** A shard is read once its parent has been read to the end (or is gone from the stream). */
  function readable(shard: Shard): boolean {
    if (shard.done) return false
    const parent = shard.parentId ? shards.get(shard.parentId) : undefined
    return !parent || parent.done
  }

  async function position(shard: Shard): Promise<string | undefined> {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.id,
        ...(shard.checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.checkpoint }
          : { ShardIteratorType: shard.start }),
      }),
    )
    return ShardIterator
  }

  /** Reads one batch of a shard; returns how many records it held. */
  async function poll(shard: Shard): Promise<number> {
    shard.iterator ??= await position(shard)
    if (!shard.iterator) {
      shard.done = true
      return 0
    }
    let output: Awaited<ReturnType<typeof readRecords>>
    try {
      output = await readRecords(shard.iterator)
    } catch (error) {
      if (error instanceof ExpiredIteratorException) {
        shard.iterator = undefined
        return 0
      }
      if (error instanceof TrimmedDataAccessException) {
        // The checkpoint fell off the stream's retention: carry on from the oldest record still there.
        logger.warn('Stream records trimmed before they were read', { shardId: shard.id })
        shard.checkpoint = undefined
        shard.start = 'TRIM_HORIZON'
        shard.iterator = undefined
        return 0
      }
      throw error
    }
    const records = output.Records ?? []
    if (records.length > 0) await deliver(shard, records)
    if (stopping) return records.length
    shard.iterator = output.NextShardIterator
    if (!shard.iterator) {
      // The shard is closed and read to its end: its children may start.
      shard.done = true
      await describeShards('TRIM_HORIZON')
      await saveCheckpoints()
    }
    return records.length
  }

  function readRecords(iterator: string) {
    return streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }))
  }

  /** Invokes the handler until every record is done with: succeeded, or dead-lettered. */
  async function deliver(shard: Shard, records: StreamApiRecord[]): Promise<void> {
    let remaining = records.map((record) => lambdaRecord(record, streamArn, region))
    while (remaining.length > 0 && !stopping) {
      let failedAt: number | undefined
      let reason = 'reported by batchItemFailures'
      try {
        const response = await options.handler({ Records: remaining }, lambdaContext(functionName))
        failedAt = firstFailure(response, remaining)
      } catch (error) {
        failedAt = 0
        reason = error instanceof Error ? `${error.name}: ${scrubMessage(error.message)}` : 'unknown failure'
      }
      if (failedAt === undefined) {
        shard.checkpoint = remaining.at(-1)?.dynamodb?.SequenceNumber ?? shard.checkpoint
        await saveCheckpoints()
        return
      }
      shard.checkpoint = remaining[failedAt - 1]?.dynamodb?.SequenceNumber ?? shard.checkpoint
      remaining = remaining.slice(failedAt)
      const [poison] = remaining
      const sequenceNumber = poison?.dynamodb?.SequenceNumber ?? ''
      const tries = (attempts.get(sequenceNumber) ?? 0) + 1
      if (poison && tries >= maxAttempts) {
        attempts.delete(sequenceNumber)
        const letter: DeadLetter = { record: poison, attempts: tries, reason, at: new Date().toISOString() }
        deadLetters.push(letter)
        if (options.deadLetterFile) {
          await appendFile(
            options.deadLetterFile,
            `${JSON.stringify({ source: 'stream', ...letter })}\n`,
          ).catch((error: unknown) =>
            logger.error('Could not record a dead letter', { error: error as Error }),
          )
        }
        logger.error('Stream record sent to the dead-letter list', {
          functionName,
          shardId: shard.id,
          sequenceNumber,
          eventID: poison.eventID,
          attempts: tries,
          reason,
        })
        shard.checkpoint = sequenceNumber
        await saveCheckpoints()
        remaining = remaining.slice(1)
      } else {
        attempts.set(sequenceNumber, tries)
        await pause(retryDelayMs)
      }
    }
  }

  async function run(): Promise<void> {
    let polls = 0
    while (!stopping) {
      polls++
      let received = 0
      try {
        if (polls % DESCRIBE_EVERY_POLLS === 0) await describeShards('TRIM_HORIZON')
        for (const shard of [...shards.values()].filter(readable)) {
          if (stopping) break
          received += await poll(shard)
        }
      } catch (error) {
        if (stopping) break
        logger.warn('Stream poll failed; trying again', { error: error as Error })
      }
      if (received === 0 && !stopping) await pause(pollIntervalMs)
    }
  }

  return {
    get streamArn() {
      return streamArn
    },
    deadLetters,
    async start() {
      if (running) return
      const tables = new DynamoDBClient(clientConfig)
      try {
        const { Table } = await tables.send(new DescribeTableCommand({ TableName: options.tableName }))
        streamArn = Table?.LatestStreamArn ?? ''
      } finally {
        tables.destroy()
      }
      if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`)
      stopping = false
      await describeShards(options.startingPosition ?? 'TRIM_HORIZON')
      await loadCheckpoints()
      // Position LATEST iterators now, so "after start" means after this call returns.
      for (const shard of shards.values()) {
        if (readable(shard)) shard.iterator = await position(shard)
      }
      running = run()
    },
    async stop() {
      stopping = true
      wake?.()
      await running
      running = undefined
      await saving
      streams.destroy()
    },
  }
}

/** The first record the handler's answer says failed, by Lambda's rules; undefined when all succeeded. */
function firstFailure(response: unknown, records: DynamoDBRecord[]): number | undefined {
  const failures = (response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures
  if (!Array.isArray(failures) || failures.length === 0) return undefined
  let first = records.length
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier
    const index = records.findIndex((record) => record.dynamodb?.SequenceNumber === id)
    // An empty, null or unknown identifier fails the whole batch, as on Lambda.
    if (typeof id !== 'string' || id === '' || index < 0) return 0
    first = Math.min(first, index)
  }
  return first
}

/**
 * A Streams API record as Lambda hands it to a function: epoch seconds for the creation time,
 * base64 for binaries, the stream's ARN as `eventSourceARN` and the function's region as `awsRegion`.
 */
export function lambdaRecord(record: StreamApiRecord, streamArn: string, region: string): DynamoDBRecord {
  const change = record.dynamodb ?? {}
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {}
  if (change.ApproximateCreationDateTime) {
    dynamodb.ApproximateCreationDateTime = Math.floor(change.ApproximateCreationDateTime.getTime() / 1000)
  }
  if (change.Keys) dynamodb.Keys = lambdaImage(change.Keys)
  if (change.NewImage) dynamodb.NewImage = lambdaImage(change.NewImage)
  if (change.OldImage) dynamodb.OldImage = lambdaImage(change.OldImage)
  if (change.SequenceNumber) dynamodb.SequenceNumber = change.SequenceNumber
  if (change.SizeBytes !== undefined) dynamodb.SizeBytes = change.SizeBytes
  if (change.StreamViewType) dynamodb.StreamViewType = change.StreamViewType
  // Keys in the order Lambda writes them, so a logged event reads like one recorded on AWS.
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? 'INSERT',
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    eventSourceARN: streamArn,
    // Present only on deletions by TTL.
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  }
}

function lambdaImage(image: Record<string, StreamAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaValue(value)]))
}

function lambdaValue(value: StreamAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S }
  if (value.N !== undefined) return { N: value.N }
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') }
  if (value.BOOL !== undefined) return { BOOL: value.BOOL }
  if (value.NULL !== undefined) return { NULL: value.NULL }
  if (value.SS !== undefined) return { SS: value.SS }
  if (value.NS !== undefined) return { NS: value.NS }
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) }
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) }
  if (value.M !== undefined) return { M: lambdaImage(value.M) }
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`)
}

/** The Lambda context a local invocation gets: what Powertools and handlers read from it. */
export function lambdaContext(functionName: string, region = 'ap-southeast-3', timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs
  const unsupported = () => {
    throw new Error('The callback API is not available locally; return a promise')
  }
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  }
}
