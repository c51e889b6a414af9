import { Account } from '../adapters/dynamo/entities/account.ts'
import { get, type Store, type TransactItem } from '../adapters/dynamo/index.ts'

export { type AccountDirectory, type AccountInvitation, localAccountDirectory } from './directory.ts'
export { AccountItem } from './item.ts'

/** The `Put` that links `sub` to `mentorId`, refused if the `sub` is already linked. */
export function accountLinkPut(sub: string, mentorId: string, now: Date): TransactItem {
  return Account.put({
    entity: 'account',
    version: 1,
    sub,
    role: 'mentor',
    mentorId,
    createdAt: now.toISOString(),
  })
}

/** The mentor id behind a token's `sub`, or `undefined` when the account has none. One `GetItem`. */
export async function mentorIdOfAccount(store: Store, sub: string): Promise<string | undefined> {
  return (await get(store, Account, { sub }))?.mentorId
}
