import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { type ServerType, serve } from '@hono/node-server'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { ensureTable } from '@pendamping/core/adapters/dynamo/create-table'
import { createTokenVerifier, type TokenVerifier } from '@pendamping/core/auth/index'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { createApp } from '@pendamping/functions/api/app'
import { logger } from '@pendamping/functions/logger'
import { provideRuntime } from '@pendamping/functions/runtime'
import { createPublisher } from '@pendamping/functions/stream/publisher'
import { schedules } from '@pendamping/functions/wiring'
import { Hono } from 'hono'
import { type SeedResult, seed } from '../seed.ts'
import { seedPastJourneys } from '../seed-journeys.ts'
import { seedMentors } from '../seed-mentors.ts'
import { LocalBus } from './bus.ts'
import type { LocalConsole } from './console.ts'
import { type DynamoDBLocal, startDynamoDBLocal } from './dynamodb-local.ts'
import { LOCAL_ISSUER, LocalKeySet } from './keys.ts'
import { LocalNotifier } from './notifier.ts'
import { createStreamWorker, type StreamWorker } from './stream-worker.ts'

export interface LocalStackOptions {
  /** Keep DynamoDB Local's data here; in memory when absent. */
  dbPath?: string
  /** Use an already running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string
  /** 0 picks a free port. */
  port?: number
  tableName?: string
  /** Where the local signing key pair is kept; a fresh in-memory pair when absent. */
  keyFile?: string
  /** The clock of the API, the consumers and the sweeper; tests pass one they can move. */
  clock?: Clock
  /** Where the local notifier appends what it would send (`npm run notifications` reads it). */
  notificationsFile?: string
  /** Run the scheduled functions of `wiring.ts` on a timer (`npm start`); tests call `runSchedules()`. */
  runSchedules?: boolean
  publicUrl?: string
  /** Seed the demo program, mentors and requests once (`npm start`). */
  seed?: boolean
  /**
   * Run the stream worker, publisher and consumers (default). The load benchmark turns them off: on
   * AWS they run in other functions, so they must not share the API's CPU when the API is measured.
   */
  events?: boolean
  /**
   * Print the logs as this console's human lines (`npm start`) instead of Powertools' JSON: the
   * stack hands it the logger's records, the bus's events and the server's requests while it runs.
   */
  console?: LocalConsole
}

export interface LocalStack {
  url: string
  dynamoEndpoint: string
  tableName: string
  keys: LocalKeySet
  /** The local EventBridge: the rules of `wiring.ts`, and every delivery it made. */
  bus: LocalBus
  /** Reads the table's stream into the publisher, as the stream subscription does on AWS. */
  streamWorker: StreamWorker
  /** The table the API and the consumers share (its client is the one they use). */
  store: Store
  /** What the consumers sent, as the local notifier recorded it. */
  notifier: LocalNotifier
  /** What seeding did on this start (nothing when the data was already there). */
  seeded: SeedResult & { mentors: number; journeys: number }
  /** Runs every scheduled function of `wiring.ts` once now (the sweeper), as its schedule would. */
  runSchedules(): Promise<void>
  stop(): Promise<void>
}

/** The path where the local key set publishes its JWKS, as Cognito does under the user pool's URL. */
export const LOCAL_JWKS_PATH = '/.well-known/jwks.json'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** Imports the function an SST handler string (`packages/functions/src/sweeper.handler`) names. */
async function loadHandler(handler: string): Promise<() => Promise<unknown>> {
  const dot = handler.lastIndexOf('.')
  const module = (await import(pathToFileURL(`${REPO_ROOT}${handler.slice(0, dot)}.ts`).href)) as Record<
    string,
    unknown
  >
  const fn = module[handler.slice(dot + 1)]
  if (typeof fn !== 'function') throw new Error(`${handler} does not export a function`)
  return fn as () => Promise<unknown>
}

/** Milliseconds of an EventBridge `rate(N unit)` expression. */
export function rateMs(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression)
  if (!match) throw new Error(`Unsupported schedule expression ${expression}`)
  const unit = match[2]?.startsWith('minute') ? 60_000 : match[2]?.startsWith('hour') ? 3_600_000 : 86_400_000
  return Number(match[1]) * unit
}

function reportScheduleFailure(error: unknown) {
  console.error('scheduled function failed', error)
}

/**
 * The whole product on one machine: DynamoDB Local, the table from the shared definition, the same
 * Hono app the Lambda serves (on Node), and the local stand-in for Cognito's key set.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const humanConsole = options.console
  if (humanConsole) logger.printTo(humanConsole.log)
  let db: DynamoDBLocal | undefined
  if (!options.dynamoEndpoint) db = await startDynamoDBLocal(options.dbPath ? { dbPath: options.dbPath } : {})
  const dynamoEndpoint = options.dynamoEndpoint ?? db?.endpoint ?? ''
  const tableName = options.tableName ?? 'pendamping-local'
  const client = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: 'ap-southeast-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  await ensureTable(client, tableName)
  client.destroy()
  const store = { doc: createDocumentClient({ endpoint: dynamoEndpoint }), tableName }
  const clock = options.clock ?? systemClock
  const notifier = new LocalNotifier(options.notificationsFile)
  // The consumers and the sweeper run in this process, with the local adapters instead of SES.
  provideRuntime({
    store,
    clock,
    notifier,
    publicUrl: options.publicUrl ?? `http://localhost:${options.port ?? 3000}`,
  })
  // Mentors first, so the demo requests seeded next (and matched from their events) find them.
  const mentors = options.seed ? await seedMentors(store, clock) : 0
  const demo: SeedResult = options.seed ? await seed(store, clock) : { seeded: false, requests: [] }
  const journeys = demo.seeded && demo.programId ? await seedPastJourneys(store, clock, demo.programId) : 0
  const scheduled = await Promise.all(schedules.map((schedule) => loadHandler(schedule.handler)))
  const runSchedules = async () => {
    for (const run of scheduled) await run()
  }
  const timers = options.runSchedules
    ? schedules.map((schedule, i) =>
        setInterval(() => void scheduled[i]?.().catch(reportScheduleFailure), rateMs(schedule.expression)),
      )
    : []
  const bus = new LocalBus(humanConsole ? { onEvent: humanConsole.event } : {})
  const streamWorker = createStreamWorker({
    endpoint: dynamoEndpoint,
    tableName,
    handler: createPublisher({ bus }),
  })
  if (options.events ?? true) await streamWorker.start()

  const keys = options.keyFile ? await LocalKeySet.persistent(options.keyFile) : await LocalKeySet.generate()
  let url = ''
  // Tokens are verified exactly as on AWS: by fetching the key set from its URL (here, our own server).
  let verifyToken: TokenVerifier | undefined
  const app = createApp({
    store,
    clock,
    verifyToken: (token) => {
      verifyToken ??= createTokenVerifier({ jwksUrl: `${url}${LOCAL_JWKS_PATH}`, issuer: LOCAL_ISSUER })
      return verifyToken(token)
    },
    corsOrigins: [],
  })
  const local = new Hono()
  if (humanConsole) local.use(humanConsole.requests)
  local.get(LOCAL_JWKS_PATH, (c) => c.json(keys.jwks)).route('/', app)

  const server = await new Promise<ServerType>((resolve) => {
    const started = serve(
      { fetch: local.fetch, port: options.port ?? 0, hostname: '127.0.0.1' },
      (info: AddressInfo) => {
        url = `http://localhost:${info.port}`
        resolve(started)
      },
    )
  })

  return {
    url,
    dynamoEndpoint,
    tableName,
    keys,
    bus,
    streamWorker,
    store,
    notifier,
    seeded: { ...demo, mentors, journeys },
    runSchedules,
    async stop() {
      for (const timer of timers) clearInterval(timer)
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await streamWorker.stop()
      await bus.settled()
      store.doc.destroy()
      await db?.stop()
      if (humanConsole) logger.printTo(undefined)
    },
  }
}
