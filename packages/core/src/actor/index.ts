import { AsyncLocalStorage } from 'node:async_hooks'
import { ForbiddenError, UnauthorizedError } from '../errors/index.ts'

export type Role = 'mentor' | 'staff' | 'admin'

/** Who is calling. Core reads it from request context and never sees Hono or Lambda types. */
export type Actor =
  | { kind: 'anonymous' }
  /** A signed-in account: `sub` from the token, `region` a Kemendagri code (`35`, `35.73`) or `*` for admins. */
  | { kind: 'account'; sub: string; role: Role; region: string }
  /** A business owner holding the tracking token of one request. */
  | { kind: 'owner'; requestId: string }

export interface RequestContext {
  actor: Actor
  requestId: string
  /** `id` or `en`, from `Accept-Language`. */
  locale: 'id' | 'en'
}

const storage = new AsyncLocalStorage<RequestContext>()

/** Runs `fn` with `context` available to everything it calls, however deep. */
export function withContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn)
}

export function useContext(): RequestContext {
  return storage.getStore() ?? { actor: { kind: 'anonymous' }, requestId: 'none', locale: 'id' }
}

export function useActor(): Actor {
  return useContext().actor
}

/**
 * The signed-in account, or 401; with `roles`, 403 when the account has none of them. Admins may do
 * everything staff may do (in every region), so `requireAccount('staff')` admits them too.
 */
export function requireAccount(...roles: Role[]): Extract<Actor, { kind: 'account' }> {
  const actor = useActor()
  if (actor.kind !== 'account') throw new UnauthorizedError('Sign-in required')
  const allowed = roles.includes(actor.role) || (actor.role === 'admin' && roles.includes('staff'))
  if (roles.length > 0 && !allowed) throw new ForbiddenError(`Role ${actor.role} may not do this`)
  return actor
}

/**
 * Whether a region code lies inside the actor's region: staff of `35` see `35`, `35.73`, `35.73.01`…;
 * staff of `35.73` do not see `35.7` or `35.74`. Admins (`*`) see everything.
 */
export function regionCovers(scope: string, region: string): boolean {
  return scope === '*' || region === scope || region.startsWith(`${scope}.`)
}
