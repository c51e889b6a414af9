import type {
  AdminCreateUserCommandInput,
  AttributeType,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import type { AccountDirectory, AccountInvitation } from '../directory/index.ts'
import { ConflictError } from '../errors/index.ts'

/**
 * The request that creates an account: the email is the username, verified (staff checked it with
 * the person), and the role and region become the ID token's `custom:role` / `custom:region`.
 * Cognito's own message is suppressed: the invitation goes by the person's channel through the
 * notification port, and they sign in through the managed login (a one-time code to their email).
 */
export function adminCreateUserInput(
  userPoolId: string,
  invitation: AccountInvitation,
): AdminCreateUserCommandInput {
  return {
    UserPoolId: userPoolId,
    Username: invitation.email,
    UserAttributes: [
      { Name: 'email', Value: invitation.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: invitation.name },
      { Name: 'custom:role', Value: invitation.role },
      { Name: 'custom:region', Value: invitation.role === 'admin' ? '*' : invitation.region },
    ],
    MessageAction: 'SUPPRESS',
  }
}

export interface CognitoAccountDirectoryOptions {
  userPoolId: string
  region: string
  /** A client to use instead of a new one (tests mock the client class with aws-sdk-client-mock). */
  client?: CognitoIdentityProviderClient
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : '')

const attribute = (attributes: AttributeType[] | undefined, name: string) =>
  attributes?.find((item) => item.Name === name)?.Value

function subOf(attributes: AttributeType[] | undefined): string {
  const sub = attribute(attributes, 'sub')
  if (!sub) throw new Error('Cognito answered a user without a sub')
  return sub
}

/**
 * The account directory on AWS, with the Cognito Identity Provider client. The client is imported the
 * first time the directory is used (an approval, a staff invitation, a suspension), never at the API's
 * cold start. Usernames are the pool's generated ids (the pool signs in by email), so `sub` names a
 * user in every `Admin*` call.
 */
export function cognitoAccountDirectory(options: CognitoAccountDirectoryOptions): AccountDirectory {
  let loading:
    | Promise<{
        client: CognitoIdentityProviderClient
        sdk: typeof import('@aws-sdk/client-cognito-identity-provider')
      }>
    | undefined
  const cognito = () => {
    loading ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => ({
      sdk,
      client: options.client ?? new sdk.CognitoIdentityProviderClient({ region: options.region }),
    }))
    return loading
  }
  const UserPoolId = options.userPoolId

  return {
    /**
     * `AdminCreateUser`; safe to repeat: when the user exists (an approval retried after a crash
     * between the invitation and the table write) it answers that user's `sub`, unless the email
     * belongs to another kind of account.
     */
    async invite(invitation) {
      const { client, sdk } = await cognito()
      try {
        const created = await client.send(
          new sdk.AdminCreateUserCommand(adminCreateUserInput(UserPoolId, invitation)),
        )
        return { sub: subOf(created.User?.Attributes) }
      } catch (error) {
        if (nameOf(error) !== 'UsernameExistsException') throw error
      }
      const existing = await client.send(
        new sdk.AdminGetUserCommand({ UserPoolId, Username: invitation.email }),
      )
      if (attribute(existing.UserAttributes, 'custom:role') !== invitation.role) {
        throw new ConflictError('The email already belongs to another kind of account', 'account-exists')
      }
      return { sub: subOf(existing.UserAttributes) }
    },

    /**
     * `AdminDisableUser` (no new sign-in, no refresh), then `AdminUserGlobalSignOut` (every refresh
     * token the user holds is revoked). A user who no longer exists is already as good as disabled.
     */
    async disable(sub) {
      const { client, sdk } = await cognito()
      try {
        await client.send(new sdk.AdminDisableUserCommand({ UserPoolId, Username: sub }))
        await client.send(new sdk.AdminUserGlobalSignOutCommand({ UserPoolId, Username: sub }))
      } catch (error) {
        if (nameOf(error) !== 'UserNotFoundException') throw error
      }
    },

    /** `AdminEnableUser`: the person signs in again; nothing they lost comes back by itself. */
    async enable(sub) {
      const { client, sdk } = await cognito()
      await client.send(new sdk.AdminEnableUserCommand({ UserPoolId, Username: sub }))
    },
  }
}
