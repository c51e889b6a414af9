import { AccountItem } from '../../../account/item.ts'
import { entity } from '../entity.ts'
import { keys } from '../keys.ts'

/** An account link (`ACCOUNT#<sub>`): which mentor a token's `sub` belongs to. */
export const Account = entity('account', AccountItem, { key: (of: { sub: string }) => keys.account(of.sub) })
