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
      '`application/problem+json` in Bahasa Indonesia or English by `Accept-Language`.',
  },
  openapi: '3.1.0',
  components: {
    securitySchemes: {
      bearer: { type: 'http' as const, scheme: 'bearer', bearerFormat: 'JWT' },
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
  return generateSpecs(api, { documentation, exclude: ['/openapi.json', '/docs'] })
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
