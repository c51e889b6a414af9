import { Hono } from 'hono'
import type { generateSpecs, loadVendor } from 'hono-openapi'
import type { core } from 'zod/mini'
import type { AppEnv } from '../env.ts'

type Spec = Awaited<ReturnType<typeof generateSpecs>>

const documentation = {
  info: {
    title: 'Pendamping API',
    version: '1.0.0',
    description:
      'Pairs Indonesian small businesses (UMKM) with young digital-marketing mentors. Errors are RFC 9457 ' +
      '`application/problem+json` in Bahasa Indonesia or English by `Accept-Language`. Every write is ' +
      'rate-limited per client address, phone or account (`RateLimit-Policy`, `RateLimit`; 429 with ' +
      '`Retry-After`), and API Gateway caps the whole API.',
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
 * `/health`, `/openapi.json` (generated from the routes' schemas, once per process, on first ask so
 * cold starts do not pay for it) and `/docs`, a reference rendered on the server with no third-party
 * scripts, so it works offline and on a phone.
 */
export function metaRoutes(documented: () => Promise<Hono<AppEnv>>) {
  let spec: Promise<Spec> | undefined
  const document = () => {
    spec ??= documented().then(generate)
    return spec
  }
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/openapi.json', async (c) => c.json(await document()))
    .get('/docs', async (c) => c.html(<Reference spec={await document()} />))
}

/**
 * Imported on first ask, so the generator stays off the cold start. The zod converter is handed to it
 * rather than left to its default, a dynamic `import('zod/v4/core')` of all of zod (~400 KB with its
 * locales): that import stays out of the Lambda bundle (`external` in `infra/bundle.ts`), and the schemas
 * are converted by the same `toJSONSchema` the default would call.
 */
async function generate(api: Hono<AppEnv>): Promise<Spec> {
  const [{ generateSpecs, loadVendor }, { toJSONSchema }] = await Promise.all([
    import('hono-openapi'),
    import('zod/mini'),
  ])
  const zodToJsonSchema: ToJsonSchema = (schema, options) => {
    if (!isZodSchema(schema)) throw new TypeError('Not a zod schema')
    // zod types its output as its own JSON Schema type, the generator as draft 7's; the value is the
    // one the generator's default converter would have returned.
    return toJSONSchema(schema, options) as ReturnType<ToJsonSchema>
  }
  loadVendor('zod', { toJSONSchema: zodToJsonSchema })
  return described(await generateSpecs(api, { documentation, exclude: ['/openapi.json', '/docs'] }))
}

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null

const INT32 = 2 ** 31

/**
 * What the app does to every operation, written into the document once instead of on every route:
 * - an integer's `format` from its bounds (`int32` when they fit, else `int64`), which zod leaves out;
 * - `security: []` on an operation that names no scheme: it is public (a test lists which may be);
 * - on every write, the rate-limit headers each answer carries and its 429 with `Retry-After`
 *   (`writeLimits` in `middleware/rate-limit.ts` applies to every POST, PATCH and DELETE).
 */
export function described(spec: Spec): Spec {
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
      description: 'Quota left: `"client";r=29;t=41` (draft-ietf-httpapi-ratelimit-headers)',
      schema: text,
    },
    'RateLimit-Policy': { description: 'The quotas that apply: `"client";q=30;w=60`', schema: text },
    'Access-Control-Allow-Origin': {
      description: 'Only for the stage’s own web origins (`CORS_ORIGINS`); absent for any other',
      schema: text,
    },
  }
  for (const item of Object.values(spec.paths ?? {}))
    for (const [method, operation] of Object.entries(item ?? {})) {
      if (!methods.includes(method as (typeof methods)[number]) || !isNode(operation)) continue
      operation.security ??= []
      if (method === 'get') continue
      operation.responses ??= {}
      const responses = operation.responses as unknown as Record<string, Node>
      responses['429'] ??= {
        description: 'Too many writes: wait `Retry-After` seconds',
        content: { 'application/problem+json': {} },
      }
      for (const [status, response] of Object.entries(responses)) {
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

function Reference({ spec }: { spec: Spec }) {
  const paths = Object.entries(spec.paths ?? {})
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{spec.info.title}</title>
        <style>{`body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;color:#1a1a1a}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f4f4;padding:.75rem;overflow:auto;border-radius:4px}
details{border:1px solid #ddd;border-radius:4px;margin:.5rem 0;padding:.5rem .75rem}summary{cursor:pointer}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}`}</style>
      </head>
      <body>
        <h1>{spec.info.title}</h1>
        <p>{spec.info.description}</p>
        <p>
          Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI {spec.openapi})
        </p>
        {paths.map(([path, item]) =>
          methods.map((method) => {
            const operation = item?.[method]
            if (!operation) return null
            return (
              <details>
                <summary>
                  <span class="m">{method}</span> <code>{path}</code> {operation.summary ?? ''}
                </summary>
                {operation.description ? <p>{operation.description}</p> : null}
                <pre>
                  {JSON.stringify(
                    {
                      parameters: operation.parameters,
                      requestBody: operation.requestBody,
                      responses: operation.responses,
                    },
                    null,
                    2,
                  )}
                </pre>
              </details>
            )
          }),
        )}
      </body>
    </html>
  )
}
