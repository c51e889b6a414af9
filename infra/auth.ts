import { isProduction } from './stage.ts'

/**
 * Accounts (mentors, staff, admins). Nobody signs up: staff invite an approved mentor with
 * `AdminCreateUser`, the email as the username. `custom:role` and `custom:region` become the token
 * claims the API authorises with; they are mutable so staff can change them.
 */
export const userPool = new sst.aws.CognitoUserPool('UserPool', {
  usernames: ['email'],
  transform: {
    userPool: {
      schemas: [
        {
          name: 'role',
          attributeDataType: 'String',
          mutable: true,
          stringAttributeConstraints: { minLength: '1', maxLength: '16' },
        },
        {
          name: 'region',
          attributeDataType: 'String',
          mutable: true,
          stringAttributeConstraints: { minLength: '1', maxLength: '16' },
        },
      ],
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireNumbers: true,
        requireSymbols: false,
        requireUppercase: false,
        temporaryPasswordValidityDays: 7,
      },
      deletionProtection: isProduction ? 'ACTIVE' : 'INACTIVE',
    },
  },
})

/**
 * The web app's client. Users may read their role and region but never write them: an app client
 * can write every writable attribute unless told otherwise, which would let a mentor make themself
 * admin with `UpdateUserAttributes`.
 */
export const userPoolClient = userPool.addClient('UserPoolClient', {
  transform: {
    client: {
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      readAttributes: ['email', 'email_verified', 'name', 'custom:role', 'custom:region'],
      writeAttributes: ['name'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' },
    },
  },
})

/** The token issuer; a user pool id starts with its region (`ap-southeast-3_AbC123`). */
export const issuer = userPool.id.apply(
  (id) => `https://cognito-idp.${id.slice(0, id.indexOf('_'))}.amazonaws.com/${id}`,
)

/** Where Cognito publishes the keys that sign the pool's tokens. */
export const jwksUrl = $interpolate`${issuer}/.well-known/jwks.json`
