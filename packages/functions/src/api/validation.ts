import { type FieldIssue, ValidationError } from '@pendamping/core/errors'
import { hasMessage } from '@pendamping/core/i18n'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { ValidationTargets } from 'hono'
import { validator } from 'hono-openapi'

type ZodLikeIssue = StandardSchemaV1.Issue & {
  code?: string
  maximum?: number | bigint
  minimum?: number | bigint
  expected?: string
  keys?: string[]
  input?: unknown
  /** What was measured: `string`, `array`, `number` … */
  origin?: string
}

function valueAt(input: unknown, path: StandardSchemaV1.Issue['path']): unknown {
  let value = input
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map(String)
    .join('.')
}

/**
 * Maps schema issues to field issues with message keys. A schema may name its own key as the message
 * (`z.string().check(z.refine(isPhone, 'field.phone'))`); otherwise the zod issue code picks one.
 */
export function toFieldIssues(issues: readonly StandardSchemaV1.Issue[], input?: unknown): FieldIssue[] {
  return issues.map((raw) => {
    const issue = raw as ZodLikeIssue
    const path = pathOf(issue)
    if (hasMessage(issue.message)) return { path, key: issue.message }
    // zod/mini leaves the received value out of its issues: look at the input to tell absent from wrong.
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined)
      return { path, key: 'field.required' }
    const params: Record<string, string | number> = {}
    if (issue.maximum !== undefined) params.maximum = Number(issue.maximum)
    if (issue.minimum !== undefined) params.minimum = Number(issue.minimum)
    if (issue.expected !== undefined) params.expected = issue.expected
    if (issue.keys) params.keys = issue.keys.join(', ')
    let key = `field.${issue.code ?? 'invalid'}`
    if (issue.code === 'too_big' || issue.code === 'too_small') {
      const sized = issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set'
      key =
        issue.code === 'too_big'
          ? sized
            ? 'field.too_long'
            : 'field.too_big'
          : sized
            ? 'field.too_short'
            : 'field.too_small'
    }
    return { path, key: hasMessage(key) ? key : 'field.invalid', params }
  })
}

/**
 * Validates one part of the request with a Standard Schema (zod/mini at the edge) and records it
 * for the OpenAPI document. Failures throw {@link ValidationError}, answered as a 400 problem
 * listing every field, before any handler (and so any write) runs.
 *
 * @example
 * app.post('/v1/requests', validate('json', NewRequest), (c) => c.json(c.req.valid('json')))
 */
export function validate<Schema extends StandardSchemaV1, Target extends keyof ValidationTargets>(
  target: Target,
  schema: Schema,
) {
  return validator(target, schema, (result) => {
    if (!result.success) throw new ValidationError(toFieldIssues(result.error, result.data))
  })
}
