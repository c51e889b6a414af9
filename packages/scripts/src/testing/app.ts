import { randomBytes } from 'node:crypto'
import { type AccountActor, createTokenVerifier } from '@pendamping/core/auth'
import type { Clock } from '@pendamping/core/store'
import { type AppDependencies, createApp } from '@pendamping/functions/api/app'
import { SESSION_COOKIE, type SignInSettings, sealSession } from '@pendamping/functions/pages/session'
import { LOCAL_ISSUER, LocalKeySet } from '../local/keys.ts'
import type { TestTable } from './table.ts'

/**
 * The real app on a test file's own table, with a fresh local key set whose tokens it accepts (verified
 * with the same verifier as production, from the key set in memory instead of its URL), and a page
 * session key: `session(actor)` is the `cookie` header of someone signed in to the pages (the sign-in
 * itself, through an identity provider, is `test/sign-in.test.ts`'s).
 *
 * @example
 * const { app, keys } = await testApp(table)
 * await app.request('/v1/programs', { headers: { authorization: `Bearer ${await keys.sign(staff)}` } })
 */
export async function testApp(table: TestTable, options: { clock?: Clock } & Partial<AppDependencies> = {}) {
  const keys = await LocalKeySet.generate()
  const signIn: SignInSettings = {
    // Never contacted by these tests: nobody starts a sign-in here.
    issuer: 'http://localhost:9/oidc',
    clientId: 'test',
    clientSecret: 'test',
    sessionSecret: randomBytes(32).toString('base64url'),
    publicUrl: 'http://localhost',
  }
  const app = createApp({
    store: { doc: table.doc, tableName: table.tableName },
    verifyToken: createTokenVerifier({
      jwksUrl: 'http://unused.invalid',
      issuer: LOCAL_ISSUER,
      keys: keys.resolver(),
    }),
    corsOrigins: [],
    signIn,
    // Tests of other things send hundreds of writes from one address; rate-limit tests pass their own.
    rateLimits: false,
    ...options,
  })
  /** The `cookie` header of `actor` signed in to the pages, their ID token valid an hour more. */
  const session = async (actor: Omit<AccountActor, 'kind'>) => {
    const now = Math.floor(Date.now() / 1000)
    const value = await sealSession(signIn, { ...actor, expiresAt: now + 3600, since: now })
    return `${SESSION_COOKIE}=${value}`
  }
  return { app, keys, signIn, session }
}
