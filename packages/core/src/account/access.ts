import { type Actor, regionCovers } from '../actor/index.ts'
import { NotFoundError } from '../errors/index.ts'

/** What an object says about who may touch it: the mentor's account and the region it belongs to. */
export interface Owned {
  mentorSub: string
  region: string
}

export type Account = Extract<Actor, { kind: 'account' }>

/** Whether `account` may see `object`: its own mentor, staff whose region covers it, any admin. */
export function maySee(account: Account, object: Owned): boolean {
  if (account.role === 'mentor') return object.mentorSub === account.sub
  return regionCovers(account.region, object.region)
}

/**
 * `object` when `account` may see it; otherwise a 404, the same as for an id that does not exist, so a
 * guessed id reveals nothing. With `mentorOnly`, staff and admins are refused too (actions only the
 * mentor takes: accept, schedule, complete).
 */
export function visibleTo<T extends Owned>(
  account: Account,
  object: T | undefined,
  what: string,
  mentorOnly = false,
): T {
  if (!object) throw new NotFoundError(`No such ${what}`)
  if (mentorOnly ? object.mentorSub !== account.sub : !maySee(account, object))
    throw new NotFoundError(`No such ${what}`)
  return object
}
