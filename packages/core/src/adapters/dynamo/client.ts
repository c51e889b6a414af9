import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { asOutage } from '../../errors/index.ts'

/**
 * The handle every data-layer call takes: the document client and the one table's name. Passed in,
 * never imported, so tests and `npm start` point the same code at DynamoDB Local.
 */
export interface Store {
  doc: DynamoDBDocumentClient
  tableName: string
}

/**
 * How long one call may take, all retries included: a request path does at most three calls, and an
 * outage must become a 503 well inside API Gateway's 30 s (and a caller's patience), not a hang.
 */
export const DYNAMODB_TIMEOUTS: Readonly<DynamoDBTimeouts> = {
  /** Milliseconds to open a connection. */
  connectionTimeout: 1_000,
  /** Milliseconds from sending one attempt to its whole answer. */
  requestTimeout: 2_500,
  /**
   * Attempts per call, the first included, with the SDK's adaptive retry mode (exponential backoff
   * with jitter, and a client-side rate limiter that slows down while DynamoDB throttles): at most
   * 3 × (1 s + 2.5 s) plus under a second of backoff ≈ 8 s before a call gives up.
   */
  maxAttempts: 3,
}

/**
 * DynamoDB Local's: one JVM on a developer's machine or a busy CI runner, where a burst of 500 calls
 * queues for sockets and for the emulator itself. A slow answer there means a busy machine, not an
 * outage, so the wait is long, and connecting has no limit of its own: with two emulators bursting
 * on two cores, Jetty took over 30 s to accept a connection and the burst test saw false 503s. Tests
 * of an outage pass {@link DYNAMODB_TIMEOUTS} explicitly.
 */
export const LOCAL_DYNAMODB_TIMEOUTS: Readonly<DynamoDBTimeouts> = {
  connectionTimeout: 0,
  requestTimeout: 60_000,
  maxAttempts: 3,
}

export interface DynamoDBTimeouts {
  connectionTimeout: number
  requestTimeout: number
  maxAttempts: number
}

export interface DocumentClientOptions {
  /** DynamoDB Local's URL; absent on AWS, where the SDK finds the regional endpoint itself. */
  endpoint?: string | undefined
  region?: string | undefined
  /**
   * Overrides of the timeouts: {@link DYNAMODB_TIMEOUTS} on AWS, {@link LOCAL_DYNAMODB_TIMEOUTS} with
   * an `endpoint` (tests of an outage pass the AWS ones, or shorter).
   */
  timeouts?: Partial<DynamoDBTimeouts> | undefined
}

/**
 * The document client every repository uses: bounded connection and request timeouts, adaptive
 * retries with a bounded total, and an error that says what happened once the retries are spent —
 * a throttle, a timeout or a dropped connection becomes a `ServiceUnavailableError` (answered 503
 * with `Retry-After`), while refused conditions and validation errors pass through as they are.
 * Transactions keep one `ClientRequestToken` across the SDK's retries, so a retried commit is not
 * applied twice. Locally it talks to DynamoDB Local with dummy credentials (DynamoDB Local checks
 * none; `-sharedDb` makes every key see the same tables).
 */
export function createDocumentClient(options: DocumentClientOptions = {}): DynamoDBDocumentClient {
  const timeouts = {
    ...(options.endpoint ? LOCAL_DYNAMODB_TIMEOUTS : DYNAMODB_TIMEOUTS),
    ...options.timeouts,
  }
  const config: DynamoDBClientConfig = {
    region: options.region ?? 'ap-southeast-3',
    retryMode: 'adaptive',
    maxAttempts: timeouts.maxAttempts,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeout,
      requestTimeout: timeouts.requestTimeout,
      throwOnRequestTimeout: true,
    },
  }
  if (options.endpoint) {
    config.endpoint = options.endpoint
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
  }
  const client = new DynamoDBClient(config)
  // Outermost, so it sees what is left once the SDK's retries are spent.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args)
      } catch (error) {
        throw asOutage(error) ?? error
      }
    },
    { step: 'initialize', name: 'outageAsServiceUnavailable', priority: 'high' },
  )
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
}
