import type { AddressInfo } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { type ServerType, serve } from '@hono/node-server'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { ensureTable } from '@pendamping/core/adapters/dynamo/create-table'
import { createTokenVerifier, type TokenVerifier } from '@pendamping/core/auth/index'
import { createApp } from '@pendamping/functions/api/app'
import { createPublisher } from '@pendamping/functions/stream/publisher'
import { Hono } from 'hono'
import { LocalBus } from './bus.ts'
import { type DynamoDBLocal, startDynamoDBLocal } from './dynamodb-local.ts'
import { LOCAL_ISSUER, LocalKeySet } from './keys.ts'
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
  stop(): Promise<void>
}

/** The path where the local key set publishes its JWKS, as Cognito does under the user pool's URL. */
export const LOCAL_JWKS_PATH = '/.well-known/jwks.json'

/**
 * The whole product on one machine: DynamoDB Local, the table from the shared definition, the same
 * Hono app the Lambda serves (on Node), and the local stand-in for Cognito's key set.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
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
  const bus = new LocalBus()
  const streamWorker = createStreamWorker({
    endpoint: dynamoEndpoint,
    tableName,
    handler: createPublisher({ bus }),
  })
  await streamWorker.start()

  const keys = options.keyFile ? await LocalKeySet.persistent(options.keyFile) : await LocalKeySet.generate()
  let url = ''
  // Tokens are verified exactly as on AWS: by fetching the key set from its URL (here, our own server).
  let verifyToken: TokenVerifier | undefined
  const app = createApp({
    store,
    verifyToken: (token) => {
      verifyToken ??= createTokenVerifier({ jwksUrl: `${url}${LOCAL_JWKS_PATH}`, issuer: LOCAL_ISSUER })
      return verifyToken(token)
    },
    corsOrigins: [],
  })
  const local = new Hono().get(LOCAL_JWKS_PATH, (c) => c.json(keys.jwks)).route('/', app)

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
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await streamWorker.stop()
      await bus.settled()
      store.doc.destroy()
      await db?.stop()
    },
  }
}
