/**
 * The account directory port, apart from the account item's schema so the API's entry point can
 * wire it without loading zod at cold start.
 */
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
