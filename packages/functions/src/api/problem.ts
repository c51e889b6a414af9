import { DomainError, type FieldIssue, RateLimitedError, ValidationError } from '@pendamping/core/errors'
import { type Locale, translate } from '@pendamping/core/i18n'

/** An RFC 9457 problem document as Pendamping answers it. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  requestId?: string
  errors?: Array<{ path: string; code: string; message: string }>
}

/** Problem types are stable URNs: clients branch on them, not on the human text. */
export const problemType = (code: string) => `urn:pendamping:problem:${code}`

function fieldErrors(issues: FieldIssue[], locale: Locale) {
  return issues.map((issue) => ({
    path: issue.path,
    code: issue.key.replace(/^field\./, ''),
    message: translate(locale, issue.key, issue.params),
  }))
}

/**
 * Turns any thrown value into a problem in the caller's language. Unknown errors become a bare 500:
 * no message, no stack, no internal id leaves the process.
 */
export function toProblem(error: unknown, locale: Locale): Problem {
  if (!(error instanceof DomainError)) {
    return {
      type: problemType('internal'),
      title: translate(locale, 'problem.internal'),
      status: 500,
      detail: translate(locale, 'problem.internal.detail'),
    }
  }
  // Specific conflict reasons (`seat-taken` …) keep the generic conflict text unless they have their own.
  const family = error.status === 409 ? 'conflict' : error.code
  const key = `problem.${error.code}`
  const own = translate(locale, key) !== key
  const params: Record<string, string | number> =
    error instanceof RateLimitedError ? { seconds: error.retryAfterSeconds } : error.params
  const problem: Problem = {
    type: problemType(error.code),
    title: translate(locale, own ? key : `problem.${family}`),
    status: error.status,
    detail: translate(locale, own ? `${key}.detail` : `problem.${family}.detail`, params),
  }
  if (error instanceof ValidationError) {
    const errors = fieldErrors(error.issues, locale)
    problem.errors = errors
    problem.detail = translate(locale, 'problem.validation.detail', {
      fields: [...new Set(errors.map((e) => e.path || '(body)'))].join(', '),
    })
  }
  return problem
}
