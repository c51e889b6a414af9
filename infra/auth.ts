import { isProduction, publicUrl } from './stage.ts'

/**
 * Accounts (mentors, staff, admins). Nobody signs up: staff invite an approved mentor, admins (or
 * staff of a parent region) invite staff, with `AdminCreateUser`, the email as the username and
 * Cognito's own message suppressed (the invitation goes by the person's channel). `custom:role` and
 * `custom:region` become the ID token claims the API authorises with; they are mutable so staff can
 * change them. People sign in through the managed login with a password or a one-time code sent to
 * their email (Essentials tier, choice-based sign-in).
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
      userPoolTier: 'ESSENTIALS',
      signInPolicy: { allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] },
      deletionProtection: isProduction ? 'ACTIVE' : 'INACTIVE',
    },
  },
})

/** The user pool's managed login (version 2), on a Cognito prefix domain of the stage's own. */
export const loginDomain = new aws.cognito.UserPoolDomain('UserPoolDomain', {
  domain: `pendamping-${$app.stage}`,
  userPoolId: userPool.id,
  managedLoginVersion: 2,
})

/** The managed login's base URL: `https://pendamping-<stage>.auth.<region>.amazoncognito.com`. */
export const loginUrl = userPool.id.apply(
  (id) => `https://pendamping-${$app.stage}.auth.${id.slice(0, id.indexOf('_'))}.amazoncognito.com`,
)

/** Where the managed login ends its own session on sign-out (Cognito publishes no `end_session_endpoint`). */
export const logoutUrl = $interpolate`${loginUrl}/logout`

/** Where the managed login sends people back: the pages' callback, on the stage's origin (and `sst dev`'s). */
export const callbackUrls = [
  `${publicUrl}/auth/callback`,
  ...($dev ? ['http://localhost:3000/auth/callback'] : []),
]

/** Where people land after signing out: the mentors' and the staff's sign-in pages. */
export const logoutUrls = [
  `${publicUrl}/masuk`,
  `${publicUrl}/reports`,
  ...($dev ? ['http://localhost:3000/masuk', 'http://localhost:3000/reports'] : []),
]

/**
 * The web app's client: confidential (a secret, linked to the API only), OAuth 2.0 authorization code
 * only (Cognito requires PKCE's S256 challenge whenever the app sends one, and the app always does),
 * openid/email/profile scopes, the stage's callback and sign-out URLs. Users may read their role and
 * region but never write them: an app client can write every writable attribute unless told
 * otherwise, which would let a mentor make themself admin with `UpdateUserAttributes`.
 */
export const userPoolClient = userPool.addClient('UserPoolClient', {
  transform: {
    client: {
      generateSecret: true,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: ['openid', 'email', 'profile'],
      supportedIdentityProviders: ['COGNITO'],
      callbackUrls,
      logoutUrls,
      explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
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

/** The managed login's look for the client: Cognito's own (version 2 needs a style per client). */
export const loginBranding = new aws.cognito.ManagedLoginBranding('ManagedLoginBranding', {
  userPoolId: userPool.id,
  clientId: userPoolClient.id,
  useCognitoProvidedValues: true,
})

/**
 * The key that encrypts the pages' session cookies (32 random bytes, base64url:
 * `sst secret set SessionSecret "$(openssl rand -base64 32 | tr +/ -_ | tr -d =)"`). Rotating it signs
 * everyone out of the pages.
 */
export const sessionSecret = new sst.Secret('SessionSecret')

/** The token issuer; a user pool id starts with its region (`ap-southeast-3_AbC123`). */
export const issuer = userPool.id.apply(
  (id) => `https://cognito-idp.${id.slice(0, id.indexOf('_'))}.amazonaws.com/${id}`,
)

/** Where Cognito publishes the keys that sign the pool's tokens. */
export const jwksUrl = $interpolate`${issuer}/.well-known/jwks.json`
