import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { getRequestListener } from '@hono/node-server'
import { createTokenVerifier, type TokenVerifier } from '@pendamping/core/auth'
import type { CertificateAuthority } from '@pendamping/core/certificate'
import { createDocumentClient, type DynamoDBTimeouts, ensureTable } from '@pendamping/core/dynamo'
import type { RateLimits } from '@pendamping/core/ratelimit'
import { respreadRequestLists } from '@pendamping/core/request'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { createApp } from '@pendamping/functions/api/app'
import { logger } from '@pendamping/functions/logger'
import type { SignInSettings } from '@pendamping/functions/pages/session'
import { provideRuntime } from '@pendamping/functions/runtime'
import { createPublisher } from '@pendamping/functions/stream/publisher'
import { schedules } from '@pendamping/functions/wiring'
import { Hono } from 'hono'
import { type SeedResult, seed } from '../seed.ts'
import { seedPastJourneys } from '../seed-journeys.ts'
import { seedMentors } from '../seed-mentors.ts'
import { LocalAccounts } from './accounts.ts'
import { LocalBus } from './bus.ts'
import { localCertificateAuthority } from './certificate-keys.ts'
import type { LocalConsole } from './console.ts'
import { type DynamoDBLocal, startDynamoDBLocal } from './dynamodb-local.ts'
import { createLocalIdentityProvider, LOCAL_OIDC_PATH, type LocalIdentityProvider } from './identity.ts'
import { LOCAL_ISSUER, LocalKeySet } from './keys.ts'
import { localMessageLinks } from './message-links.ts'
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
  /** Where the certificate signing keyring is kept; a fresh in-memory one when absent. */
  certificateKeyFile?: string
  /** Where the secret of links in messages is kept; a fresh in-memory one when absent. */
  messageLinkSecretFile?: string
  /** Where the local provider keeps the accounts invited since (the demo accounts always exist); in memory when absent. */
  accountsFile?: string
  /** Lifetime of the local provider's ID and access tokens (60 minutes, as Cognito's, by default). */
  tokenSeconds?: number
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
  /** The app's rate limits; the defaults when absent, `false` for none (the load bench). */
  rateLimits?: RateLimits | false | undefined
  /**
   * Print the logs as this console's human lines (`npm start`) instead of Powertools' JSON: the
   * stack hands it the logger's records, the bus's events and the server's requests while it runs.
   */
  console?: LocalConsole
  /**
   * Where the stream worker keeps its position and where dead letters (of the stream and the bus) are
   * appended, so a stack stopped abruptly carries on where it was and `npm run dlq:redrive` finds
   * what failed. Beside `dbPath` by default (`.local/` for `npm start`); nowhere when in memory.
   */
  stateDir?: string
  /** A consumer invocation's timeout, as on AWS (30 s by default): its claim's lease, then a retry. */
  consumerTimeoutMs?: number
  /** The DynamoDB client's timeouts; DynamoDB Local's lenient ones by default (`adapters/dynamo/client.ts`). */
  dynamoTimeouts?: Partial<DynamoDBTimeouts>
}

/** The files of a stack's {@link LocalStackOptions.stateDir}. */
export function stackFiles(stateDir: string) {
  return {
    /** The stream worker's position per shard. */
    checkpoint: join(stateDir, 'stream-checkpoint.json'),
    /** Dead letters of the stream worker and the bus, one JSON object a line. */
    deadLetters: join(stateDir, 'dead-letters.jsonl'),
    /** Where a running stack's DynamoDB is, for `npm run dlq:redrive`. */
    running: join(stateDir, 'stack.json'),
  }
}

export interface LocalStack {
  url: string
  dynamoEndpoint: string
  tableName: string
  keys: LocalKeySet
  /** Signs the certificates the consumers issue; its keys are served at `/.well-known/openbadges-keys.json`. */
  certificates: CertificateAuthority
  /** The local OpenID Connect provider's accounts: the account directory the API and consumers use here. */
  accounts: LocalAccounts
  /** The local OpenID Connect provider (`<url>/oidc`), the pages' sign-in against it. */
  identity: LocalIdentityProvider
  signIn: SignInSettings
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
 * Hono app the Lambda serves (on Node), and the local stand-in for Cognito: a real OpenID Connect
 * provider at `<url>/oidc` holding the demo accounts, signing with the key set `npm run token` uses.
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
  const store = {
    doc: createDocumentClient({ endpoint: dynamoEndpoint, timeouts: options.dynamoTimeouts }),
    tableName,
  }
  // The table is kept between runs: requests written before the staff lists were spread over write
  // shards (or under another shard count) move to their shard (docs/contract/budgets.md).
  const respread = await respreadRequestLists(store)
  if (respread > 0) logger.info('moved requests to their staff-list shards', { requests: respread })
  const clock = options.clock ?? systemClock
  const notifier = new LocalNotifier(options.notificationsFile)
  const accounts = LocalAccounts.open(options.accountsFile)
  // Certificates name the stack's public URL, known once the server listens (below).
  let publicBase = options.publicUrl ?? `http://localhost:${options.port ?? 3000}`
  const certificates = await localCertificateAuthority(options.certificateKeyFile, () => publicBase)
  // Links in messages open the private pages: the consumers sign them, the app opens them.
  const messageLinks = await localMessageLinks(options.messageLinkSecretFile)
  // The consumers and the sweeper run in this process, with the local adapters instead of SES.
  provideRuntime({
    store,
    clock,
    notifier,
    publicUrl: options.publicUrl ?? `http://localhost:${options.port ?? 3000}`,
    certificates,
    accounts,
    messageLinks,
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
  const stateDir = options.stateDir ?? (options.dbPath ? dirname(resolve(options.dbPath)) : undefined)
  const files = stateDir ? stackFiles(stateDir) : undefined
  if (stateDir) await mkdir(stateDir, { recursive: true })
  const bus = new LocalBus({
    ...(humanConsole ? { onEvent: humanConsole.event } : {}),
    ...(options.consumerTimeoutMs ? { timeoutMs: options.consumerTimeoutMs } : {}),
    ...(files ? { deadLetterFile: files.deadLetters } : {}),
  })
  const publish = createPublisher({ bus })
  const streamWorker = createStreamWorker({
    endpoint: dynamoEndpoint,
    tableName,
    // EventBridge keeps what it accepted; the local bus keeps it in memory. So a batch counts as done
    // (and the stream position moves past it) only once its deliveries have ended: a stack stopped
    // abruptly delivers again what it had not finished, never loses it.
    handler: async (event, context) => {
      const answer = await publish(event, context)
      await bus.settled()
      return answer
    },
    ...(files ? { checkpointFile: files.checkpoint, deadLetterFile: files.deadLetters } : {}),
  })
  if (options.events ?? true) await streamWorker.start()
  if (files) await writeFile(files.running, JSON.stringify({ dynamoEndpoint, tableName, pid: process.pid }))

  const keys = options.keyFile ? await LocalKeySet.persistent(options.keyFile) : await LocalKeySet.generate()
  // The server listens first: the provider's issuer and the app's callback carry its port.
  let handle: RequestListener = (_req, res) => {
    res.statusCode = 503
    res.end()
  }
  const server = createServer((req, res) => handle(req, res))
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const url = `http://localhost:${(server.address() as AddressInfo).port}`
  publicBase = options.publicUrl ?? url
  const issuer = `${url}${LOCAL_OIDC_PATH}`
  const signIn: SignInSettings = {
    issuer,
    clientId: 'pendamping-local',
    clientSecret: randomBytes(32).toString('base64url'),
    // A new key on every start: page sessions do not outlive the stack (nor does the provider's login).
    sessionSecret: randomBytes(32).toString('base64url'),
    publicUrl: url,
  }
  const identity = createLocalIdentityProvider({
    issuer,
    signingKey: await keys.signingJwk(),
    accounts,
    tokenSeconds: options.tokenSeconds,
    client: {
      id: signIn.clientId,
      secret: signIn.clientSecret,
      redirectUris: [`${url}/auth/callback`],
      postLogoutRedirectUris: [`${url}/masuk`, `${url}/reports`],
    },
  })
  // Tokens are verified exactly as on AWS: by fetching the key set from its URL (here, our own
  // server). Two issuers sign with it: the provider (sign-in) and `npm run token` (API scripts).
  const verifyToken: TokenVerifier = createTokenVerifier({
    jwksUrl: `${url}${LOCAL_JWKS_PATH}`,
    issuer: [LOCAL_ISSUER, issuer],
  })
  const app = createApp({
    store,
    clock,
    verifyToken,
    accounts,
    corsOrigins: [],
    signIn,
    certificates,
    messageLinks,
    rateLimits: options.rateLimits,
  })
  const local = new Hono()
  if (humanConsole) local.use(humanConsole.requests)
  // Everything else is the app's own `fetch`, not `route()`: a mounted app's unknown paths would get
  // the host's plain-text 404 instead of the app's problem (or page).
  local.get(LOCAL_JWKS_PATH, (c) => c.json(keys.jwks)).all('*', (c) => app.fetch(c.req.raw, c.env as never))
  const serveLocal = getRequestListener(local.fetch)
  // Without the console's request lines, the app answers straight from the listener: one Hono app
  // per request, as on Lambda, not a second around it (measured by `npm run bench:load`).
  const serveApp = humanConsole ? serveLocal : getRequestListener(app.fetch)
  handle = (req, res) => {
    const path = req.url ?? '/'
    if (path === LOCAL_OIDC_PATH || path.startsWith(`${LOCAL_OIDC_PATH}/`)) identity.handle(req, res)
    else if (path.split('?', 1)[0] === LOCAL_JWKS_PATH) void serveLocal(req, res)
    else void serveApp(req, res)
  }

  return {
    url,
    dynamoEndpoint,
    tableName,
    keys,
    certificates,
    accounts,
    identity,
    signIn,
    bus,
    streamWorker,
    store,
    notifier,
    seeded: { ...demo, mentors, journeys },
    runSchedules,
    async stop() {
      for (const timer of timers) clearInterval(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await streamWorker.stop()
      await bus.settled()
      store.doc.destroy()
      if (files) await rm(files.running, { force: true })
      await db?.stop()
      if (humanConsole) logger.printTo(undefined)
    },
  }
}
