import type { Actor } from '../actor/index.ts'
import type { Store } from '../adapters/dynamo/index.ts'
import { UnauthorizedError } from '../errors/index.ts'
import { readAccount } from './index.ts'

/** A token or session of an account that may no longer act: 401, as for a token that does not verify. */
export class AccountSuspendedError extends UnauthorizedError {
  constructor() {
    super('The account is suspended')
  }
}

/**
 * Refuses a suspended mentor's tokens and sessions, however long they still live: the API checks this
 * on every request a mentor's token or page session makes, through the cached account read (no
 * DynamoDB call while cached; the same read that finds the mentor behind the token). Staff and admin
 * accounts are not suspended by the product, so their requests skip it.
 */
export async function assertInGoodStanding(store: Store, actor: Extract<Actor, { kind: 'account' }>) {
  if (actor.role !== 'mentor') return
  const account = await readAccount(store, actor.sub)
  if (account?.status === 'suspended') throw new AccountSuspendedError()
}
