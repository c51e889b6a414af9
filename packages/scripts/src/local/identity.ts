import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { JWK } from 'jose'
import Provider, {
  type Configuration,
  errors,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider'
import type { LocalAccounts } from './accounts.ts'
import type { LocalKeySet } from './keys.ts'

/** Where the local provider is mounted on the stack's server: its issuer is `<url>/oidc`. */
export const LOCAL_OIDC_PATH = '/oidc'

/** The resource the provider's JWT access tokens are for (RFC 8707): the Pendamping API. */
export const API_RESOURCE = 'urn:pendamping:api'

export interface LocalIdentityProviderOptions {
  /** `http://localhost:<port>/oidc`. */
  issuer: string
  /** The private half of the key set `npm run token` signs with ({@link LocalKeySet.signingJwk}). */
  signingKey: JWK
  accounts: LocalAccounts
  client: {
    id: string
    secret: string
    /** The app's `/auth/callback`. */
    redirectUris: string[]
    /** Where the app may send people back after signing out (`/masuk`, `/reports`). */
    postLogoutRedirectUris: string[]
  }
  /** Lifetime of ID and access tokens, 3600 s (Cognito's 60 minutes) by default; tests shorten it. */
  tokenSeconds?: number | undefined
}

export interface LocalIdentityProvider {
  issuer: string
  /** Serves a request whose path starts with {@link LOCAL_OIDC_PATH}. */
  handle(req: IncomingMessage, res: ServerResponse): void
}

const html = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  )

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1b1b}
main{max-width:24rem;margin:2rem auto;padding:1.25rem;background:#fff;border:1px solid #e2e4e8;border-radius:8px}
h1{font-size:1.3rem;margin:0 0 .5rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #8a919c;border-radius:6px}
button{font:inherit;margin-top:1rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#0b5cad;color:#fff}
.err{color:#a4160e;font-weight:600}.note{color:#4d535c;font-size:.9rem}`

function page(title: string, body: string) {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`
}

function loginPage(uid: string, email: string, error?: string) {
  return page(
    'Masuk — Pendamping (lokal)',
    `<h1>Masuk ke Pendamping</h1>
<p class="note">Penyedia identitas lokal (pengganti login Cognito di mesin pengembang).</p>
${error ? `<p class="err" role="alert" id="login-error">${html(error)}</p>` : ''}
<form method="post" action="${LOCAL_OIDC_PATH}/interaction/${html(uid)}/login" autocomplete="off">
<label for="email">Email</label>
<input id="email" name="email" type="email" required value="${html(email)}" autofocus>
<label for="password">Kata sandi</label>
<input id="password" name="password" type="password" required>
<button type="submit">Masuk</button>
</form>`,
  )
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 16 * 1024) throw new Error('Form too large')
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/**
 * A real OpenID Connect provider (`oidc-provider`) holding the local accounts: the stand-in for the
 * Cognito user pool's managed login on a developer's machine, so the app's sign-in runs the same code
 * (discovery, authorization code with PKCE, refresh, revocation, RP-initiated logout) as on AWS.
 *
 * - ID and access tokens are RS256 JWTs signed with the local key set and carry `sub`, `role` and
 *   `region`, so the API's verifier accepts them from the same JWKS as `npm run token`'s.
 * - One confidential client (the app), authorization code only, PKCE S256 required; refresh tokens
 *   always issued (as Cognito does), living 30 days, independent of the provider's login session.
 * - A disabled account cannot sign in and its refresh tokens stop working; "sign out everywhere"
 *   refuses every refresh token issued before it — what `AdminDisableUser` and
 *   `AdminUserGlobalSignOut` do on AWS.
 * - First-party client: no consent screen (the grant is made on sign-in).
 */
export function createLocalIdentityProvider(options: LocalIdentityProviderOptions): LocalIdentityProvider {
  const { accounts } = options
  const tokenSeconds = options.tokenSeconds ?? 3600
  // A login session whose account was disabled (or signed out everywhere) since asks to sign in again.
  const { Check } = interactionPolicy
  const policy = interactionPolicy.base()
  policy
    .get('login')
    ?.checks.push(
      new Check('account_unavailable', 'The account was disabled or signed out everywhere', (ctx) =>
        ctx.oidc.session?.accountId && !ctx.oidc.account ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
      ),
    )
  const configuration: Configuration = {
    clients: [
      {
        client_id: options.client.id,
        client_secret: options.client.secret,
        client_name: 'Pendamping',
        redirect_uris: options.client.redirectUris,
        post_logout_redirect_uris: options.client.postLogoutRedirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [options.signingKey as never] },
    // Random per start: the provider's own login session does not survive a restart.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      // Role and region go in every ID token, as Cognito's `custom:` attributes do.
      openid: ['sub', 'role', 'region'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    scopes: ['openid', 'email', 'profile'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      // The app revokes only its own tokens.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Signing out of the app ends the provider's session too, without a second question.
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Keluar — Pendamping (lokal)',
            `${form}<p>Keluar…</p><noscript><button form="op.logoutForm" name="logout" value="yes">Keluar</button></noscript><script>document.forms[0].insertAdjacentHTML('beforeend','<input type="hidden" name="logout" value="yes">');document.forms[0].submit()</script>`,
          )
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Anda sudah keluar', '<h1>Anda sudah keluar</h1>')
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => API_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget()
          return {
            scope: 'pendamping',
            audience: API_RESOURCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: tokenSeconds,
            jwt: { sign: { alg: 'RS256' } },
          }
        },
      },
    },
    // Cognito's access tokens carry the client id; ours carry role and region as the ID token does.
    extraTokenClaims: async (_ctx, token) => {
      const account = 'accountId' in token && token.accountId ? accounts.find(token.accountId) : undefined
      return account ? { role: account.role, region: account.region } : undefined
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: () => false,
    ttl: {
      AccessToken: tokenSeconds,
      IdToken: tokenSeconds,
      AuthorizationCode: 60,
      RefreshToken: 30 * 24 * 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 30 * 24 * 3600,
    },
    findAccount: async (ctx, sub, token) => {
      // A token's issue time, or the login session's: both die with "sign out everywhere".
      const issuedAt = token && 'iat' in token ? token.iat : ctx.oidc?.session?.authTime()
      const account = accounts.stillValid(sub, issuedAt)
      if (!account) return undefined
      return {
        accountId: account.sub,
        claims: async () => ({
          sub: account.sub,
          role: account.role,
          region: account.region,
          email: account.email,
          email_verified: true,
          name: account.name,
        }),
      }
    },
    // The app is first-party: the grant is made at sign-in instead of asking for consent.
    loadExistingGrant: async (ctx) => {
      const { session, client } = ctx.oidc
      if (!session?.accountId || !client) return undefined
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId)
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined
      if (existing) return existing
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
      grant.addOIDCScope('openid email profile')
      grant.addResourceScope(API_RESOURCE, 'pendamping')
      await grant.save()
      return grant
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${LOCAL_OIDC_PATH}/interaction/${interaction.uid}`,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html'
      ctx.body = page(
        'Gagal masuk',
        `<h1>Gagal masuk</h1><p class="err" id="op-error">${html(String(out.error ?? 'error'))}</p>`,
      )
    },
  }

  const provider = new Provider(options.issuer, configuration)
  // The login form: email and the local password.
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path)
    if (!match) return next()
    const details = await provider.interactionDetails(ctx.req, ctx.res)
    if (match[1] !== details.uid) return next()
    ctx.set('cache-control', 'no-store')
    if (!match[2] && ctx.method === 'GET') {
      ctx.type = 'html'
      ctx.body = loginPage(details.uid, '')
      return
    }
    if (match[2] && ctx.method === 'POST') {
      const form = await readForm(ctx.req)
      const email = form.get('email') ?? ''
      const account = accounts.signIn(email, form.get('password') ?? '')
      if (!account) {
        ctx.status = 401
        ctx.type = 'html'
        ctx.body = loginPage(details.uid, email, 'Email atau kata sandi salah, atau akun dinonaktifkan.')
        return
      }
      const returnTo = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { login: { accountId: account.sub } },
        { mergeWithLastSubmission: false },
      )
      ctx.status = 303
      ctx.redirect(returnTo)
      return
    }
    return next()
  })

  const callback = provider.callback()
  return {
    issuer: options.issuer,
    handle(req: IncomingMessage, res: ServerResponse) {
      // Mounted under /oidc: the provider reads its mount path from `originalUrl` (as under Express).
      const url = req.url ?? '/'
      ;(req as IncomingMessage & { originalUrl?: string }).originalUrl = url
      req.url = url.slice(LOCAL_OIDC_PATH.length) || '/'
      callback(req, res)
    },
  }
}
