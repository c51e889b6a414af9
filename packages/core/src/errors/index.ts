/**
 * The domain's error family. Each carries a stable `code` that the HTTP edge maps to an RFC 9457
 * problem `type` and status, and message keys the edge turns into the caller's language. Messages
 * here are for developers and logs only; they never carry personal data.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503

  /** Values the human message may show, e.g. `{ limit: 65536 }`; never personal data. */
  params: Record<string, string | number> = {}

  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** One invalid field: where it is (`business.phone`) and a message key with its parameters. */
export interface FieldIssue {
  path: string
  key: string
  params?: Record<string, string | number>
}

export class ValidationError extends DomainError {
  readonly code = 'validation'
  readonly status = 400
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`Invalid input: ${issues.map((issue) => issue.path || '(root)').join(', ')}`, options)
  }
}

export class MalformedBodyError extends DomainError {
  readonly code = 'malformed-body'
  readonly status = 400
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized'
  readonly status = 401
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden'
  readonly status = 403
}

/** Also answered when the caller may not know that the object exists. */
export class NotFoundError extends DomainError {
  readonly code = 'not-found'
  readonly status = 404
}

export class ConflictError extends DomainError {
  readonly code: string = 'conflict'
  readonly status = 409
  constructor(
    message: string,
    /** A more precise stable code, e.g. `seat-taken`, `offer-expired`, `session-overlap`. */
    readonly reason?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    if (reason) this.code = reason
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload-too-large'
  readonly status = 413
  constructor(limit: number, options?: ErrorOptions) {
    super(`Body over ${limit} bytes`, options)
    this.params = { limit }
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported-media-type'
  readonly status = 415
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate-limited'
  readonly status = 429
  constructor(
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('Too many requests', options)
  }

  /** The answer's headers: `Retry-After`, and what a quota adds (`RateLimit-Policy`, `RateLimit`). */
  get headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) }
  }
}

/** How long a caller is asked to wait after an outage before trying again, in seconds. */
export const OUTAGE_RETRY_AFTER_SECONDS = 30

/**
 * A dependency is down, throttling or too slow (DynamoDB, the key set, Cognito): nothing is wrong with
 * the request, and the same request may succeed shortly. Answered 503 with `Retry-After`, never a 500
 * (nothing is broken here) and never a 401 (the token may be fine). Thrown by the adapters once their
 * own retries are spent; {@link asOutage} recognises the raw errors that mean it.
 */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'service-unavailable'
  readonly status = 503
  constructor(
    message = 'A dependency is unavailable',
    readonly retryAfterSeconds: number = OUTAGE_RETRY_AFTER_SECONDS,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.params = { seconds: retryAfterSeconds }
  }
}

/** AWS error names that say "not now": throttling, capacity, a service having trouble, a timeout. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
  'TransactionInProgressException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerErrorException',
  'InternalFailure',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  'NetworkingError',
])

/** Socket and DNS failures (Node's `code`, undici's `UND_ERR_*`): the other side could not be reached. */
const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/

/**
 * Whether `error` means a dependency is unavailable for now (see {@link ServiceUnavailableError}): an
 * AWS throttle or server fault (`$fault: 'server'`, `$retryable`, a 5xx), a timeout, a connection
 * that failed, or `fetch failed` — looking through `cause`s. A refused condition, a validation error or
 * a bug is not one.
 */
export function isOutage(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false
  if (error instanceof ServiceUnavailableError) return true
  if (error instanceof DomainError) return false
  const failure = error as {
    name?: unknown
    code?: unknown
    message?: unknown
    $fault?: unknown
    $retryable?: unknown
    $metadata?: { httpStatusCode?: unknown }
    cause?: unknown
  }
  if (typeof failure.name === 'string' && TRANSIENT_NAMES.has(failure.name)) return true
  if (typeof failure.code === 'string' && NETWORK_CODES.test(failure.code)) return true
  if (failure.$retryable || failure.$fault === 'server') return true
  const status = failure.$metadata?.httpStatusCode
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true
  if (failure.name === 'TypeError' && failure.message === 'fetch failed') return true
  return isOutage(failure.cause, depth + 1)
}

/** `error` as a {@link ServiceUnavailableError} when it means an outage ({@link isOutage}), else undefined. */
export function asOutage(error: unknown): ServiceUnavailableError | undefined {
  if (error instanceof ServiceUnavailableError) return error
  if (!isOutage(error)) return undefined
  const name = (error as { name?: unknown }).name
  return new ServiceUnavailableError(
    `Dependency unavailable: ${typeof name === 'string' ? name : 'error'}`,
    undefined,
    {
      cause: error,
    },
  )
}
