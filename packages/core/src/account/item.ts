import * as z from 'zod/mini'
import { CONTACT_CHANNELS } from '../notification/channels.ts'

/**
 * An account as the product knows it (`entity: 'account'`, `ACCOUNT#<sub>`): a mentor's links their
 * token's `sub` to the mentor; a staff member's records who invited them, for which region. The
 * directory (Cognito) holds the sign-in itself; `status` here is what the API checks on every
 * request of a mentor, so a suspension refuses tokens already issued.
 */
export const AccountItem = z.object({
  entity: z.literal('account'),
  version: z.literal(1),
  sub: z.string(),
  role: z.enum(['mentor', 'staff', 'admin']),
  /** A mentor's account: the mentor it belongs to. */
  mentorId: z.optional(z.string()),
  /** A staff or admin account: their region (`*` for an admin), who invited them, and how to reach them. */
  region: z.optional(z.string()),
  email: z.optional(z.string()),
  /** Issue 17: a staff member's phone (E.164) and chosen channel for region alerts; e-mail when absent. */
  phone: z.optional(z.string()),
  channel: z.optional(z.enum(CONTACT_CHANNELS)),
  name: z.optional(z.string()),
  invitedBy: z.optional(z.string()),
  /** Absent on accounts made before suspension existed: active. */
  status: z.optional(z.enum(['active', 'suspended'])),
  createdAt: z.string(),
  updatedAt: z.optional(z.string()),
})
export type AccountItem = z.infer<typeof AccountItem>
