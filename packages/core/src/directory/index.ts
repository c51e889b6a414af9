/**
 * The account directory port (where sign-in accounts live) and its in-memory adapter: a domain of its
 * own, apart from `account/` and its item schema, so the API's entry point can wire it without
 * loading zod or any route's code at cold start (docs/architecture.md#packages).
 */
import type { Role } from '../actor/index.ts'

/** Who gets an account: a mentor when staff approve them, staff when an admin (or parent-region staff) invites them. */
export interface AccountInvitation {
  /** The sign-in name. */
  email: string
  name: string
  role: Role
  /** The Kemendagri code the account's tokens carry as `region` (`*` for an admin). */
  region: string
  /** The mentor the account belongs to, for a mentor's account. */
  mentorId?: string | undefined
}

/**
 * Where accounts live: Cognito on AWS (`adapters/cognito.ts`), the local OpenID Connect provider's
 * account store on `npm start`, an in-memory record in tests. Approval calls
 * {@link AccountDirectory.invite} before its transaction, so `invite` must be safe to repeat: a
 * second call for the same email answers the same `sub` instead of failing. The invitation message
 * itself goes through the notification port (by the person's channel), not through the directory.
 */
export interface AccountDirectory {
  invite(invitation: AccountInvitation): Promise<{ sub: string }>
  /**
   * Locks the account at once: it can no longer sign in, and every session it holds ends (its refresh
   * tokens are revoked). Safe to repeat.
   */
  disable(sub: string): Promise<void>
  /** Unlocks a disabled account; the person signs in again. Safe to repeat. */
  enable(sub: string): Promise<void>
}

/**
 * An in-memory directory for tests and seeds: the account's `sub` is the mentor id (or a fresh
 * UUID for staff), so a developer signs a token with `npm run token -- --role mentor --sub <mentorId>`;
 * invitations and disabled accounts are kept for reading.
 */
export function localAccountDirectory(): AccountDirectory & {
  invitations: AccountInvitation[]
  disabled: Set<string>
} {
  const invitations: Array<AccountInvitation & { sub: string }> = []
  const disabled = new Set<string>()
  return {
    invitations,
    disabled,
    async invite(invitation) {
      const sent = invitations.find((earlier) => earlier.email === invitation.email)
      if (sent) return { sub: sent.sub }
      const sub = invitation.mentorId ?? crypto.randomUUID()
      invitations.push({ ...invitation, sub })
      return { sub }
    },
    async disable(sub) {
      disabled.add(sub)
    },
    async enable(sub) {
      disabled.delete(sub)
    },
  }
}
