import { GetCommand } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { keys } from '../adapters/dynamo/keys.ts'
import type { TransactItem } from '../request/index.ts'
import type { Store } from '../store.ts'

/** Who gets an account when staff approve a mentor. */
export interface AccountInvitation {
  /** The sign-in name and where the invitation goes. */
  email: string
  name: string
  role: 'mentor'
  /** The Kemendagri code the account's tokens carry as `region`. */
  region: string
  mentorId: string
}

/**
 * Where accounts live: Cognito on AWS (`adapters/cognito.ts`), an in-memory record locally. Approval
 * calls {@link AccountDirectory.invite} before its transaction, so `invite` must be safe to repeat:
 * a second call for the same email answers the same `sub` instead of failing.
 */
export interface AccountDirectory {
  invite(invitation: AccountInvitation): Promise<{ sub: string }>
}

/**
 * The local stand-in for Cognito: the account's `sub` is the mentor id, so a developer signs a
 * token with `npm run token -- --role mentor --sub <mentorId>`; invitations are kept for reading.
 */
export function localAccountDirectory(): AccountDirectory & { invitations: AccountInvitation[] } {
  const invitations: AccountInvitation[] = []
  return {
    invitations,
    async invite(invitation) {
      if (!invitations.some((sent) => sent.email === invitation.email)) invitations.push(invitation)
      return { sub: invitation.mentorId }
    },
  }
}

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
