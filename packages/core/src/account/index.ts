import { GetCommand } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { keys } from '../adapters/dynamo/keys.ts'
import type { TransactItem } from '../request/index.ts'
import type { Store } from '../store.ts'

export { type AccountDirectory, type AccountInvitation, localAccountDirectory } from './directory.ts'

/** Links a token's `sub` to the mentor it belongs to (`entity: 'account'`). */
export const AccountItem = z.object({
  entity: z.literal('account'),
  version: z.literal(1),
  sub: z.string(),
  role: z.literal('mentor'),
  mentorId: z.string(),
  createdAt: z.string(),
})
export type AccountItem = z.infer<typeof AccountItem>

/** The `Put` that links `sub` to `mentorId`, refused if the `sub` is already linked. */
export function accountLinkPut(tableName: string, sub: string, mentorId: string, now: Date): TransactItem {
  const item: AccountItem = {
    entity: 'account',
    version: 1,
    sub,
    role: 'mentor',
    mentorId,
    createdAt: now.toISOString(),
  }
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.account(sub), ...item },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }
}

/** The mentor id behind a token's `sub`, or `undefined` when the account has none. One `GetItem`. */
export async function mentorIdOfAccount(store: Store, sub: string): Promise<string | undefined> {
  const { Item } = await store.doc.send(
    new GetCommand({ TableName: store.tableName, Key: keys.account(sub) }),
  )
  return Item ? z.parse(AccountItem, Item).mentorId : undefined
}
