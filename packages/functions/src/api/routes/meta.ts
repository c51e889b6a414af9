import type { Hono } from 'hono'
import { HonoBase } from 'hono/hono-base'
import { TrieRouter } from 'hono/router/trie-router'
import type { AppEnv } from '../env.ts'
import type { Spec } from './openapi-document.ts'

/**
 * `/health`, `/openapi.json` (generated from the routes' schemas, once per process, on first ask so
 * cold starts do not pay for it) and `/docs`, a reference rendered on the server with no third-party
 * scripts, so it works offline and on a phone.
 */
export function metaRoutes(documented: () => Promise<Hono<AppEnv>>) {
  let spec: Promise<Spec> | undefined
  const document = () => {
    // The generator and the document's texts load on first ask too (`openapi-document.ts`).
    spec ??= Promise.all([documented(), import('./openapi-document.ts')]).then(([api, { generate }]) =>
      generate(api),
    )
    return spec
  }
  return new HonoBase<AppEnv>({ router: new TrieRouter() })
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/openapi.json', async (c) => c.json(await document()))
    .get('/docs', async (c) => {
      // The page (and Hono's JSX) loads on first ask, like the document: not at cold start.
      const { referencePage } = await import('./reference.tsx')
      return c.html(referencePage(await document()))
    })
}
