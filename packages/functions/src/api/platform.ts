/**
 * Every module the API's Lambda entry (`index.ts`) loads before its first answer, in one place: the
 * entry imports them from here, and each module the app loads lazily (route groups, error pages)
 * imports this file first (docs/decisions/0012-lazy-lambda-request.md).
 *
 * Why: esbuild puts a module in a chunk shared by exactly the entry points that reach it, and every
 * lazy module is an entry point. Lazy modules that each reached a different part of the cold path
 * split it into ~20 small chunks, and a cold start paid for loading each (resolve, read, compile:
 * a few milliseconds in all). Reached by all of them, the cold path is one chunk. Nothing here runs
 * anything when imported; `platform.test.ts` fails when a lazily loaded module does not import it first.
 */

export { createTokenVerifier } from '@pendamping/core/auth'
export { cognitoAccountDirectory } from '@pendamping/core/cognito'
export { config, rateLimitsOf } from '@pendamping/core/config'
export { localAccountDirectory } from '@pendamping/core/directory'
export { createDocumentClient } from '@pendamping/core/dynamo'
export { logger } from '../logger.ts'
export { linkedMessageLinks } from '../message-links.ts'
export { createApp } from './app.ts'
export { handle } from './lambda/handle.ts'
