/**
 * The domain's error family. Each carries a stable `code` that the HTTP edge maps to an RFC 9457
 * problem `type` and status, and message keys the edge turns into the caller's language. Messages
 * here are for developers and logs only; they never carry personal data.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429

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
}
