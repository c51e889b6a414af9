/**
 * The app as an OpenID Connect client, with `openid-client`: discovery from the issuer URL,
 * authorization code with PKCE (S256), state and nonce, the refresh grant, token revocation and
 * RP-initiated logout. The same code talks to Cognito's managed login on AWS and to the local provider
 * on `npm start`. Loaded only by the sign-in routes and when a session is renewed, never on the JSON
 * API's cold path.
 */

import '../api/platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import type { AccountActor, TokenVerifier } from '@pendamping/core/auth'
import { UnauthorizedError } from '@pendamping/core/errors'
import * as client from 'openid-client'
import type { PageSession, SignInFlow, SignInSettings } from './session.ts'

export const CALLBACK_PATH = '/auth/callback'

const configurations = new Map<string, Promise<client.Configuration>>()

/** Plain HTTP only for a provider on this machine (the local stack); anything else must be HTTPS. */
const isLoopback = (url: URL) =>
  url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)

/** The provider's metadata and our client at it, discovered once per process (and again after a failure). */
export function configurationOf(settings: SignInSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`
  let found = configurations.get(key)
  if (!found) {
    const issuer = new URL(settings.issuer)
    found = client.discovery(
      issuer,
      settings.clientId,
      undefined,
      client.ClientSecretBasic(settings.clientSecret),
      { execute: isLoopback(issuer) ? [client.allowInsecureRequests] : [], timeout: 5 },
    )
    found.catch(() => configurations.delete(key))
    configurations.set(key, found)
  }
  return found
}

const callbackUrl = (settings: SignInSettings) => new URL(CALLBACK_PATH, settings.publicUrl).href

/** Where to send the browser to sign in, and the checks its callback must meet. */
export async function beginSignIn(
  settings: SignInSettings,
  flow: Pick<SignInFlow, 'audience' | 'next'>,
): Promise<{ url: URL; flow: SignInFlow }> {
  const configuration = await configurationOf(settings)
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(settings),
    scope: settings.scope ?? 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })
  return { url, flow: { ...flow, state, nonce, verifier } }
}

/** The account an ID token names, verified by the API's own verifier (RS256 against the JWKS, issuer). */
async function accountOf(verifyToken: TokenVerifier, idToken: string | undefined): Promise<AccountActor> {
  if (!idToken) throw new UnauthorizedError('The provider sent no ID token')
  return verifyToken(idToken)
}

function sessionOf(
  account: AccountActor,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  refreshToken: string | undefined,
  since: number,
): PageSession {
  const claims = tokens.claims()
  const now = Math.floor(Date.now() / 1000)
  return {
    sub: account.sub,
    role: account.role,
    region: account.region,
    expiresAt: typeof claims?.exp === 'number' ? claims.exp : now + (tokens.expiresIn() ?? 300),
    refreshToken: tokens.refresh_token ?? refreshToken,
    since,
  }
}

/**
 * The callback: checks `state`, the PKCE verifier and the ID token's `nonce` (openid-client), exchanges
 * the code, and verifies the ID token with the API's verifier. Anything forged, replayed or expired
 * throws.
 */
export async function finishSignIn(
  settings: SignInSettings,
  verifyToken: TokenVerifier,
  currentUrl: URL,
  flow: SignInFlow,
): Promise<PageSession> {
  const configuration = await configurationOf(settings)
  // The redirect URI registered at the provider, whatever host the request came in by.
  const received = new URL(callbackUrl(settings))
  received.search = currentUrl.search
  const tokens = await client.authorizationCodeGrant(configuration, received, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  })
  const account = await accountOf(verifyToken, tokens.id_token)
  return sessionOf(account, tokens, undefined, Math.floor(Date.now() / 1000))
}

/**
 * A fresh ID token for a session, with its refresh token. The provider refuses once the account is
 * disabled or signed out everywhere; the account's role and region are read again from the new token.
 */
export async function renewSession(
  settings: SignInSettings,
  verifyToken: TokenVerifier,
  session: PageSession,
): Promise<PageSession> {
  if (!session.refreshToken) throw new UnauthorizedError('No refresh token')
  const configuration = await configurationOf(settings)
  const tokens = await client.refreshTokenGrant(configuration, session.refreshToken)
  const account = await accountOf(verifyToken, tokens.id_token)
  if (account.sub !== session.sub) throw new UnauthorizedError('The refreshed token names someone else')
  return sessionOf(account, tokens, session.refreshToken, session.since)
}

/**
 * Signs out everywhere the app can reach: the refresh token is revoked at the provider (Cognito
 * revokes the access tokens issued from it too), and the browser is sent to end the provider's own
 * login session, coming back to `returnTo`.
 */
export async function signOut(
  settings: SignInSettings,
  session: PageSession | undefined,
  returnTo: string,
): Promise<string> {
  const configuration = await configurationOf(settings)
  if (session?.refreshToken)
    await client.tokenRevocation(configuration, session.refreshToken, { token_type_hint: 'refresh_token' })
  const back = new URL(returnTo, settings.publicUrl).href
  if (configuration.serverMetadata().end_session_endpoint)
    return client
      .buildEndSessionUrl(configuration, { client_id: settings.clientId, post_logout_redirect_uri: back })
      .toString()
  if (settings.logoutUrl) {
    const url = new URL(settings.logoutUrl)
    url.searchParams.set('client_id', settings.clientId)
    url.searchParams.set('logout_uri', back)
    return url.toString()
  }
  return back
}
