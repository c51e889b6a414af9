/**
 * Fault (c): EventBridge and SES answer with throttling, partial failures and outages for a while.
 * The real stream worker reads the real table's stream into the real publisher, whose EventBridge
 * client is mocked (aws-sdk-client-mock); what EventBridge accepts goes on to the local bus and the
 * Notifications consumer, whose SES client is mocked too. Retries back off, what keeps failing lands
 * in the dead letters after its last try, and `dlq:redrive` replays it — twice, to no further effect.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge'
import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2'
import { transact } from '@pendamping/core/dynamo'
import { createEvent, type EventEnvelope, outbox } from '@pendamping/core/event'
import { EventBridgeBus } from '@pendamping/core/eventbridge'
import { ChannelNotifier, storedContacts } from '@pendamping/core/notification'
import { getRequest, RequestEvents, submitRequest } from '@pendamping/core/request'
import { SesSender } from '@pendamping/core/ses'
import { systemClock } from '@pendamping/core/store'
import { provideRuntime } from '@pendamping/functions/runtime'
import { createPublisher } from '@pendamping/functions/stream/publisher'
import { rules } from '@pendamping/functions/wiring'
import { redriveLocal } from '@pendamping/scripts/dlq-redrive'
import { LocalBus } from '@pendamping/scripts/local/bus'
import { createStreamWorker, type StreamWorker } from '@pendamping/scripts/local/stream-worker'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestBody, waitFor } from './support.ts'

const table = useTestTable({ stream: true })
const store = () => ({ doc: table.doc, tableName: table.tableName })
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

/** How each mocked service answers now. */
let eventBridge: 'healthy' | 'throttling' | 'partial' | 'down' = 'healthy'
let ses: 'healthy' | 'throttling' | 'down' = 'healthy'
/** Calls left before a passing fault (throttling, partial failures) of each service ends by itself. */
let eventBridgeFaults = 0
let sesFaults = 0
/** Calls SES refused. */
let sesRefused = 0

const eventBridgeClient = new EventBridgeClient({ region: 'ap-southeast-3', maxAttempts: 1 })
const sesClient = new SESv2Client({ region: 'ap-southeast-3', maxAttempts: 1 })
/** Every entry EventBridge accepted, by event id (an event may be accepted more than once). */
const accepted = new Map<string, number>()
/** Every email SES accepted: its notification tag. */
const emailed: string[] = []
const delays: number[] = []
let eventBridgeMock: ReturnType<typeof mockClient>
const eventBridgeCalls = () => eventBridgeMock.commandCalls(PutEventsCommand).length
let dir: string
let worker: StreamWorker
let bus: LocalBus
const requests: Array<{ id: string }> = []

function envelopeOfEntry(entry: PutEventsRequestEntry): EventEnvelope {
  const detail = JSON.parse(entry.Detail ?? '{}') as {
    metadata: { id: string; version: number; occurredAt: string }
    data: unknown
  }
  return { ...detail.metadata, type: entry.DetailType ?? '', detail: detail.data }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendamping-throttling-'))
  eventBridgeMock = mockClient(eventBridgeClient)
  eventBridgeMock
    .on(PutEventsCommand)
    .callsFake(async ({ Entries = [] }: { Entries?: PutEventsRequestEntry[] }) => {
      if (eventBridge === 'down' || (eventBridge === 'throttling' && eventBridgeFaults-- > 0))
        throw new ThrottlingException({ message: 'Rate exceeded', $metadata: {} })
      const refuse = eventBridge === 'partial' && eventBridgeFaults-- > 0
      const answers = Entries.map((entry, index) =>
        refuse && index % 2 === 0
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }
          : { EventId: crypto.randomUUID(), entry },
      )
      const taken = answers.flatMap((answer) =>
        'entry' in answer ? [envelopeOfEntry(answer.entry as PutEventsRequestEntry)] : [],
      )
      for (const event of taken) accepted.set(event.id, (accepted.get(event.id) ?? 0) + 1)
      await bus.publish(taken)
      return {
        FailedEntryCount: answers.filter((answer) => 'ErrorCode' in answer).length,
        Entries: answers.map((answer) => ('entry' in answer ? { EventId: answer.EventId } : answer)),
      }
    })
  mockClient(sesClient)
    .on(SendEmailCommand)
    .callsFake(async (input: { EmailTags?: Array<{ Name: string; Value: string }> }) => {
      if (ses === 'down' || (ses === 'throttling' && sesFaults-- > 0)) {
        sesRefused++
        throw new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: {} })
      }
      emailed.push(input.EmailTags?.find((tag) => tag.Name === 'notification')?.Value ?? '')
      return { MessageId: crypto.randomUUID() }
    })
  provideRuntime({
    store: store(),
    clock: systemClock,
    // E-mail is the only channel here: owners with a phone and an e-mail fall back to it.
    notifier: new ChannelNotifier({
      senders: [new SesSender({ client: sesClient, from: 'Pendamping <noreply@test.pendamping.id>' })],
      contacts: storedContacts(store(), systemClock),
    }),
    publicUrl: 'http://localhost',
  })
  const deadLetterFile = join(dir, 'dead-letters.jsonl')
  bus = new LocalBus({
    rules: rules.filter((rule) => rule.name === 'Notifications'),
    maxAttempts: 3,
    retryDelayMs: 20,
    timeoutMs: 5_000,
    deadLetterFile,
    logger: quiet,
  })
  const publisher = createPublisher({
    bus: new EventBridgeBus({
      client: eventBridgeClient,
      busName: 'pendamping-test-Bus',
      baseDelayMs: 4,
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(ms)
        await new Promise((resolve) => setTimeout(resolve, ms))
      },
    }),
  })
  worker = createStreamWorker({
    endpoint: table.endpoint,
    tableName: table.tableName,
    handler: async (event, context) => {
      const answer = await publisher(event, context)
      await bus.settled()
      return answer
    },
    pollIntervalMs: 50,
    retryDelayMs: 10,
    maxAttempts: 3,
    deadLetterFile,
    startingPosition: 'LATEST',
    logger: quiet,
  })
  await worker.start()
  for (let i = 0; i < 16; i++) {
    const body = requestBody(700 + i) as { business: Record<string, unknown> }
    body.business.email = `pemilik.${i}@example.id`
    requests.push(await submitRequest(store(), systemClock, body as never))
  }
}, 60_000)

afterAll(async () => {
  await worker?.stop()
  await bus?.settled()
  await rm(dir, { recursive: true, force: true })
})

/** Writes `RequestUnmatched` for requests `from`…`to` in the outbox, as matching would. */
async function unmatched(from: number, to: number): Promise<string[]> {
  const ids: string[] = []
  for (const { id } of requests.slice(from, to)) {
    const request = await getRequest(store(), id)
    if (!request) throw new Error('request vanished')
    const event = createEvent(
      RequestEvents.Unmatched,
      {
        requestId: request.id,
        programId: request.programId,
        segment: request.segment,
        region: request.region,
        sector: request.sector,
        sizeClass: request.sizeClass,
        needs: request.needs,
        reason: 'no-eligible-mentor',
      },
      new Date(),
    )
    await transact(store(), [['event', outbox(event)]])
    ids.push(event.id)
  }
  return ids
}

/** The requests whose owner was emailed: tags read `<eventId>_owner_<requestId>_request-unmatched`. */
const emailedOwners = () =>
  new Set(emailed.map((tag) => /_owner_(.+)_request-unmatched$/.exec(tag)?.[1] ?? tag))
const deadLetters = async () =>
  (await readFile(join(dir, 'dead-letters.jsonl'), 'utf8').catch(() => '')).split('\n').filter(Boolean)

describe('EventBridge and SES throttling, failing and down for a while', () => {
  const written: string[] = []

  it('rides out throttled calls with exponential backoff', async () => {
    eventBridge = 'throttling'
    eventBridgeFaults = 3
    written.push(...(await unmatched(0, 4)))
    await waitFor(() => written.every((id) => accepted.has(id)), {
      message: 'the throttled events are published',
    })
    // 4 ms, then 8, then 16: each retry of a throttled call waits twice as long (full jitter, at its top).
    expect(delays.slice(0, 3)).toEqual([3, 7, 15])
    await waitFor(() => emailedOwners().size === 4, { message: 'the four owners are told' })
  })

  it('resends only the entries EventBridge refused, and retries a throttled SES send', async () => {
    eventBridge = 'partial'
    eventBridgeFaults = 3
    ses = 'throttling'
    sesFaults = 2
    const calls = eventBridgeCalls()
    written.push(...(await unmatched(4, 8)))
    await waitFor(() => written.every((id) => accepted.has(id)), {
      message: 'the half-refused events are published',
    })
    // The refused halves went again, in calls of their own.
    expect(eventBridgeCalls() - calls).toBeGreaterThan(1)
    await waitFor(() => emailedOwners().size === 8, { message: 'the owners are told despite SES throttling' })
    expect(sesRefused).toBe(2)
    eventBridge = 'healthy'
    ses = 'healthy'
  })

  it('sends what still fails after its last try to the dead letters: stream records and bus events', async () => {
    eventBridge = 'down'
    const notPublished = await unmatched(8, 12)
    written.push(...notPublished)
    await waitFor(async () => (await deadLetters()).length === 4, {
      timeout: 30_000,
      message: 'the four records EventBridge never took are dead letters',
    })
    expect(worker.deadLetters).toHaveLength(4)
    eventBridge = 'healthy'
    ses = 'down'
    const notEmailed = await unmatched(12, 16)
    written.push(...notEmailed)
    await waitFor(async () => (await deadLetters()).length === 8, {
      timeout: 30_000,
      message: 'the four events whose email SES never took are dead letters',
    })
    expect(bus.deadLetters.map((letter) => letter.rule)).toEqual(Array(4).fill('Notifications'))
    expect(notPublished.some((id) => accepted.has(id))).toBe(false)
    expect(emailedOwners().size).toBe(8)
  })

  it('replays the dead letters once the services are back, and a second redrive changes nothing', async () => {
    ses = 'healthy'
    const first = await redriveLocal(store(), join(dir, 'dead-letters.jsonl'))
    expect(first.republished).toHaveLength(8)
    await waitFor(() => written.every((id) => accepted.has(id)) && emailedOwners().size === 16, {
      timeout: 30_000,
      message: 'every redriven event is published and every owner told',
    })
    expect(await deadLetters()).toEqual([])
    const second = await redriveLocal(store(), join(dir, 'dead-letters.jsonl'))
    expect(second.republished).toEqual([])
  })

  it('told every owner exactly once: nothing acknowledged was lost, nothing applied twice', async () => {
    await bus.settled()
    expect(written).toHaveLength(16)
    for (const id of written) expect(accepted.get(id) ?? 0, id).toBeGreaterThanOrEqual(1)
    // Some events were accepted twice (a refused half of a call, a redrive of one that had gone out):
    // the consumer's claim absorbed them.
    expect(emailed).toHaveLength(16)
    expect(emailedOwners()).toEqual(new Set(requests.map((request) => request.id)))
  })
})
