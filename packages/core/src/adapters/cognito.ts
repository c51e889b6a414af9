import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SourceData } from '@smithy/types'
import type { AccountDirectory, AccountInvitation } from '../account/directory.ts'
import { ConflictError } from '../errors/index.ts'

/** An attribute of a Cognito user, as the API spells it. */
export interface CognitoAttribute {
  Name: string
  Value: string
}

/** The `AdminCreateUser` input Pendamping sends (the fields it uses of the API's request). */
export interface AdminCreateUserInput {
  UserPoolId: string
  Username: string
  UserAttributes: CognitoAttribute[]
  DesiredDeliveryMediums: Array<'EMAIL' | 'SMS'>
}

/**
 * The request that invites an approved mentor: the email is the username, verified (staff checked it
 * with the applicant), and the role and region become the token's `custom:role` / `custom:region`.
 * Cognito emails the temporary password itself.
 */
export function adminCreateUserInput(
  userPoolId: string,
  invitation: AccountInvitation,
): AdminCreateUserInput {
  return {
    UserPoolId: userPoolId,
    Username: invitation.email,
    UserAttributes: [
      { Name: 'email', Value: invitation.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: invitation.name },
      { Name: 'custom:role', Value: invitation.role },
      { Name: 'custom:region', Value: invitation.region },
    ],
    DesiredDeliveryMediums: ['EMAIL'],
  }
}

/** A Cognito API error, with its `__type` (`UsernameExistsException` …) as `name`. */
export class CognitoError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

export interface CognitoAccountDirectoryOptions {
  userPoolId: string
  region: string
  /** The Lambda role's credentials by default (the same chain the DynamoDB client uses). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  /** For tests: where requests go instead of the network. */
  fetch?: typeof fetch
}

const bytes = (data: SourceData): Uint8Array | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data)

/** SHA-256 (or HMAC-SHA-256 with a secret) over node:crypto, in the shape the signer asks for. */
class Sha256 {
  private hash: Hash | Hmac
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh()
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret))
  }
  update(data: Uint8Array) {
    this.hash.update(data)
  }
  async digest() {
    return new Uint8Array(this.hash.digest())
  }
  reset() {
    this.hash = this.fresh()
  }
}

/**
 * The account directory on AWS: Cognito's `AdminCreateUser`, called over its JSON API with a SigV4
 * signature made by the same signer and credential chain the DynamoDB client already bundles, so the
 * API function carries no second AWS client. Safe to repeat: when the user exists (an approval retried
 * after a crash between the invitation and the table write), it answers that user's `sub`.
 */
export function cognitoAccountDirectory(options: CognitoAccountDirectoryOptions): AccountDirectory {
  const post = options.fetch ?? globalThis.fetch
  const hostname = `cognito-idp.${options.region}.amazonaws.com`
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
  })

  async function call<T>(operation: string, input: object): Promise<T> {
    const body = JSON.stringify(input)
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/',
      query: {},
      headers: {
        host: hostname,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body,
    })
    const response = await post(`https://${hostname}/`, {
      method: 'POST',
      headers: signed.headers,
      body,
    })
    const text = await response.text()
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    if (!response.ok) {
      const type =
        String(json.__type ?? 'UnknownError')
          .split('#')
          .pop() ?? 'UnknownError'
      throw new CognitoError(type, String(json.message ?? json.Message ?? ''), response.status)
    }
    return json as T
  }

  const subOf = (attributes: CognitoAttribute[] | undefined) => {
    const sub = attributes?.find((attribute) => attribute.Name === 'sub')?.Value
    if (!sub) throw new Error('Cognito answered a user without a sub')
    return sub
  }

  return {
    async invite(invitation) {
      try {
        const created = await call<{ User?: { Attributes?: CognitoAttribute[] } }>(
          'AdminCreateUser',
          adminCreateUserInput(options.userPoolId, invitation),
        )
        return { sub: subOf(created.User?.Attributes) }
      } catch (error) {
        if (!(error instanceof CognitoError) || error.name !== 'UsernameExistsException') throw error
      }
      const existing = await call<{ UserAttributes?: CognitoAttribute[] }>('AdminGetUser', {
        UserPoolId: options.userPoolId,
        Username: invitation.email,
      })
      const role = existing.UserAttributes?.find((attribute) => attribute.Name === 'custom:role')?.Value
      if (role !== invitation.role) {
        throw new ConflictError('The email already belongs to another kind of account', 'account-exists')
      }
      return { sub: subOf(existing.UserAttributes) }
    },
  }
}
