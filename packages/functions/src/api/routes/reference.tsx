import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import type { generateSpecs } from 'hono-openapi'

type Spec = Awaited<ReturnType<typeof generateSpecs>>

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * `GET /docs`: the API reference rendered from the OpenAPI document on the server, with no
 * third-party scripts, so it works offline and on a phone. Imported on first ask (`meta.ts`).
 */
export function referencePage(spec: Spec) {
  return <Reference spec={spec} />
}

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
