import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import type { Hono } from 'hono'
import { generateSpecs, loadVendor } from 'hono-openapi'
import { type core, toJSONSchema } from 'zod/mini'
import type { AppEnv } from '../env.ts'

export type Spec = Awaited<ReturnType<typeof generateSpecs>>

const documentation = {
  info: {
    title: 'Pendamping API',
    version: '1.0.0',
    description:
      'Pairs Indonesian small businesses (UMKM) with young digital-marketing mentors. Errors are RFC 9457 ' +
      '`application/problem+json` in Bahasa Indonesia or English by `Accept-Language`. Every write is ' +
      'rate-limited per client address, phone or account, and every read per client address or account ' +
      '(`RateLimit-Policy`, `RateLimit`; 429 with `Retry-After`), and API Gateway caps the whole API.',
    license: { name: 'UNLICENSED: all rights reserved' },
  },
  openapi: '3.1.0',
  servers: [
    {
      url: '/',
      description: 'The stage serving this document: production, or a dev, test or local stack',
      'x-internal': false,
    },
  ],
  components: {
    securitySchemes: {
      bearer: {
        type: 'http' as const,
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access or id token of the Cognito user pool (locally: the local key set), verified as RFC8725 ' +
          'recommends: RS256 only, issuer, expiry and audience checked, lifetime 60 minutes.',
      },
      trackingToken: { type: 'apiKey' as const, in: 'header' as const, name: 'X-Tracking-Token' },
    },
  },
}

/**
 * The OpenAPI document, generated from every route's schemas. This module loads on the first ask
 * (`meta.ts`), so the generator stays off the cold start; and it imports hono-openapi itself, rather
 * than on first use, so no lazy entry reaches Hono's modules except through the platform chunk (a cold
 * start loads Hono in one file, `api/platform.ts`). The zod converter is handed to the generator
 * rather than left to its default, a dynamic `import('zod/v4/core')` of all of zod (~400 KB with its
 * locales): that import stays out of the Lambda bundle (`external` in `infra/bundle.ts`), and the
 * schemas are converted by the same `toJSONSchema` the default would call.
 */
export async function generate(api: Hono<AppEnv>): Promise<Spec> {
  const zodToJsonSchema: ToJsonSchema = (schema, options) => {
    if (!isZodSchema(schema)) throw new TypeError('Not a zod schema')
    // zod types its output as its own JSON Schema type, the generator as draft 7's; the value is the
    // one the generator's default converter would have returned.
    return toJSONSchema(schema, options) as ReturnType<ToJsonSchema>
  }
  loadVendor('zod', { toJSONSchema: zodToJsonSchema })
  const { bound } = await import('../openapi-bounds.ts')
  // The generator's default 400 (`{ success, error, data }`) is not what the app answers: `described`
  // documents the problem instead.
  const spec = await generateSpecs(api, {
    documentation,
    exclude: ['/openapi.json', '/docs'],
    defaultValidationErrorResponse: false,
  })
  return described(spec, bound)
}

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null

const INT32 = 2 ** 31

/**
 * What the app does to every operation, written into the document once instead of on every route:
 * - an integer's `format` from its bounds (`int32` when they fit, else `int64`), which zod leaves out;
 * - every answer's strings and lists bounded (`openapi-bounds.ts`);
 * - `security: [{}]` (anonymous access, in OpenAPI's words) on an operation that names no scheme: it
 *   is public (a test lists which may be);
 * - a 400 problem on an operation that validates its input, 500 and 503 on every one (an outage is a
 *   503 with `Retry-After`), and a description on a page's answer;
 * - on every operation, the rate-limit headers each 2xx and 4xx answer carries and its 429 with
 *   `Retry-After`: every read and write is counted (`middleware/read-limits.ts`, `rate-limit.ts`).
 */
export function described(spec: Spec, bound: (schema: unknown) => void = () => {}): Spec {
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) visit(item)
    if (!isNode(value)) return
    if (value.type === 'integer' && value.format === undefined) {
      const min = typeof value.minimum === 'number' ? value.minimum : -Infinity
      const max = typeof value.maximum === 'number' ? value.maximum : Infinity
      value.format = min >= -INT32 && max < INT32 ? 'int32' : 'int64'
    }
    for (const child of Object.values(value)) visit(child)
  }
  visit(spec.paths)
  const text = { type: 'string', maxLength: 200 }
  const limitHeaders = {
    RateLimit: {
      description: 'Quota left: `"read";r=1199;t=41` (draft-ietf-httpapi-ratelimit-headers)',
      schema: text,
    },
    'RateLimit-Policy': { description: 'The quotas that apply: `"read";q=1200;w=60`', schema: text },
    'Access-Control-Allow-Origin': {
      description: 'Only for the stage’s own web origins (`CORS_ORIGINS`); absent for any other',
      schema: text,
    },
  }
  const problem = (description: string) => ({ description, content: { 'application/problem+json': {} } })
  for (const item of Object.values(spec.paths ?? {}))
    for (const [method, operation] of Object.entries(item ?? {})) {
      if (!methods.includes(method as (typeof methods)[number]) || !isNode(operation)) continue
      operation.security ??= [{}]
      operation.responses ??= {}
      const responses = operation.responses as unknown as Record<string, Node>
      if (operation.parameters !== undefined || operation.requestBody !== undefined)
        responses['400'] ??= problem('Invalid input: `errors` lists each field')
      responses['429'] ??= problem('Too many requests: wait `Retry-After` seconds')
      responses['500'] ??= problem('Unexpected error: no detail is given')
      responses['503'] ??= problem('A dependency is unavailable: try again after `Retry-After` seconds')
      for (const [status, response] of Object.entries(responses)) {
        if (Object.keys(response).length === 0) Object.assign(response, { description: 'The page (HTML)' })
        if (isNode(response.content))
          for (const media of Object.values(response.content)) if (isNode(media)) bound(media.schema)
        if (!/^[24]/.test(status)) continue
        const headers = (response.headers ?? {}) as Node
        response.headers = {
          ...headers,
          ...limitHeaders,
          ...(status === '429'
            ? {
                'Retry-After': {
                  description: 'Seconds until the quota is whole again',
                  schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86400 },
                },
              }
            : {}),
        }
      }
    }
  return spec
}

type ToJsonSchema = NonNullable<Parameters<typeof loadVendor>[1]['toJSONSchema']>

function isZodSchema(schema: unknown): schema is core.$ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const
