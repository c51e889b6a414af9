import * as z from 'zod/mini'

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
