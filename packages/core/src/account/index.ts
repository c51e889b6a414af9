import { Account } from '../adapters/dynamo/entities/mentor.ts'
import { exists, get, type Store, type TransactItem } from '../adapters/dynamo/index.ts'
import type { AccountItem } from './item.ts'

export { visibleTo } from './access.ts'
export { ALERTS_BEFORE_DIGEST, noteStaleRequest, type StaleAlert, staffCovering } from './alerts.ts'
export { AccountEvents } from './events.ts'
export { AccountItem } from './item.ts'
export { inviteStaff, StaffAccount, StaffInvitation } from './staff.ts'
export { assertInGoodStanding } from './standing.ts'

/** The `Put` that links `sub` to `mentorId`, refused if the `sub` is already linked. */
export function accountLinkPut(sub: string, mentorId: string, now: Date): TransactItem {
  return Account.put({
    entity: 'account',
    version: 1,
    sub,
    role: 'mentor',
    mentorId,
    status: 'active',
    createdAt: now.toISOString(),
  })
}

/**
 * The `Update` that suspends or reinstates a mentor's account link, in the suspension's own
 * transaction: from then on the API refuses the tokens the account already holds
 * ({@link assertInGoodStanding}).
 */
export function accountStatusUpdate(sub: string, status: 'active' | 'suspended', now: Date): TransactItem {
  return Account.update({ sub }, { set: { status, updatedAt: now.toISOString() } }, { when: exists })
}

/**
 * How long a process trusts an account it read. A mentor's every authenticated request checks their
 * account; a cached read keeps that off DynamoDB for this long (and shares the read with
 * {@link mentorIdOfAccount}), so a suspension reaches every warm Lambda within this bound, and the
 * process that made it at once (it forgets the account).
 */
export const ACCOUNT_CACHE_MS = 5_000
const ACCOUNT_CACHE_SIZE = 5_000

const cached = new Map<string, { account: AccountItem; until: number }>()

/**
 * The account behind a token's `sub`, read through the per-process cache: one strongly consistent
 * `GetItem` at most every {@link ACCOUNT_CACHE_MS}. Missing accounts are not cached (an approval may
 * make one any moment).
 */
export async function readAccount(
  store: Store,
  sub: string,
  now = Date.now(),
): Promise<AccountItem | undefined> {
  const hit = cached.get(sub)
  if (hit && hit.until > now) return hit.account
  const account = await get(store, Account, { sub })
  cached.delete(sub)
  if (!account) return undefined
  if (cached.size >= ACCOUNT_CACHE_SIZE) cached.delete(cached.keys().next().value as string)
  cached.set(sub, { account, until: now + ACCOUNT_CACHE_MS })
  return account
}

/** Drops `sub` from this process's cache: the process that suspends a mentor refuses them at once. */
export function forgetAccount(sub: string): void {
  cached.delete(sub)
}

/** The mentor id behind a token's `sub`, or `undefined` when the account has none. At most one `GetItem`. */
export async function mentorIdOfAccount(store: Store, sub: string): Promise<string | undefined> {
  return (await readAccount(store, sub))?.mentorId
}
