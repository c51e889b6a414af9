import { requireAccount } from '@pendamping/core/actor'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'

/**
 * The role guards of every route group. They run before the body is read, so a refused caller
 * costs nothing; the domain still checks the region and ownership of the object itself.
 *
 * @example
 * app.post('/v1/programs', staffOnly, validate('json', ProgramInput), (c) => …)
 */
export const staffOnly: MiddlewareHandler<AppEnv> = async function staffOnly(_c, next) {
  requireAccount('staff', 'admin')
  await next()
}

/** A signed-in mentor (the domain checks the offer, engagement or session is theirs). */
export const mentorOnly: MiddlewareHandler<AppEnv> = async function mentorOnly(_c, next) {
  requireAccount('mentor')
  await next()
}
