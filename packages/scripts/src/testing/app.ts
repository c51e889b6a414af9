import { createTokenVerifier } from '@pendamping/core/auth/index'
import type { Clock } from '@pendamping/core/store'
import { type AppDependencies, createApp } from '@pendamping/functions/api/app'
import { LOCAL_ISSUER, LocalKeySet } from '../local/keys.ts'
import type { TestTable } from './table.ts'

/**
 * The real app on a test file's own table, with a fresh local key set whose tokens it accepts (verified
 * with the same verifier as production, from the key set in memory instead of its URL).
 *
 * @example
 * const { app, keys } = await testApp(table)
 * await app.request('/v1/programs', { headers: { authorization: `Bearer ${await keys.sign(staff)}` } })
 */
export async function testApp(table: TestTable, options: { clock?: Clock } & Partial<AppDependencies> = {}) {
  const keys = await LocalKeySet.generate()
  const app = createApp({
    store: { doc: table.doc, tableName: table.tableName },
    verifyToken: createTokenVerifier({
      jwksUrl: 'http://unused.invalid',
      issuer: LOCAL_ISSUER,
      keys: keys.resolver(),
    }),
    corsOrigins: [],
    ...options,
  })
  return { app, keys }
}
