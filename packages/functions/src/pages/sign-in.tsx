import '../api/platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import type { AccountActor } from '@pendamping/core/auth'
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { logger } from '../logger.ts'
import { pageLocale, privatePage } from './common.ts'
import { Layout, translator } from './layout.tsx'
import { beginSignIn, finishSignIn, signOut } from './oidc.ts'
import { CSRF_FIELD, csrfToken, readCheckedForm } from './security.ts'
import {
  AUDIENCE_ROLES,
  type Audience,
  endSession,
  heldSession,
  keepFlow,
  keepSession,
  type SessionDependencies,
  takeFlow,
} from './session.ts'

/** Where each audience may be sent after signing in. */
const NEXT: Record<Audience, RegExp> = {
  mentor: /^\/tawaran(\/[\w-]{1,64})?$/,
  staff: /^\/reports$/,
}
const HOME: Record<Audience, string> = { mentor: '/tawaran', staff: '/reports' }
const SIGN_IN: Record<Audience, string> = { mentor: '/masuk', staff: '/reports' }

function Message(props: {
  c: Context<AppEnv>
  title: [string, string]
  text: [string, string]
  again: string
}) {
  const locale = pageLocale(props.c)
  const tr = translator(locale)
  const title = tr(...props.title)
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p id="pesan">{tr(...props.text)}</p>
      <p>
        <a href={props.again}>{tr('Coba masuk lagi', 'Try signing in again')}</a>
      </p>
    </Layout>
  )
}

function notConfigured(c: Context<AppEnv>) {
  return c.html(
    <Message
      c={c}
      title={['Belum bisa masuk', 'Sign-in is not available']}
      text={['Layanan masuk belum disiapkan di sini.', 'Sign-in is not set up here.']}
      again="/"
    />,
    503,
  )
}

/**
 * Starts a sign-in: after the CSRF check of the form that asked for it, the browser goes to the
 * provider (Cognito's managed login, or the local provider) with a fresh state, nonce and PKCE
 * challenge, whose secrets wait in the `__Host-pd_signin` cookie.
 */
export async function startSignIn(
  c: Context<AppEnv>,
  deps: SessionDependencies,
  audience: Audience,
  next: string | null | undefined,
) {
  const settings = deps.signIn
  if (!settings) return notConfigured(c)
  const target = next && NEXT[audience].test(next) ? next : HOME[audience]
  const { url, flow } = await beginSignIn(settings, { audience, next: target })
  await keepFlow(c, settings, flow)
  privatePage(c)
  return c.redirect(url.href, 303)
}

/**
 * Signs out everywhere: the refresh token is revoked at the provider, the session cookie cleared, and
 * the browser sent through the provider's logout so its own login session ends too.
 */
export async function finishSignOut(c: Context<AppEnv>, deps: SessionDependencies, audience: Audience) {
  const settings = deps.signIn
  endSession(c)
  if (!settings) return c.redirect(SIGN_IN[audience], 303)
  const session = await heldSession(c, settings)
  let to = SIGN_IN[audience]
  try {
    to = await signOut(settings, session, SIGN_IN[audience])
  } catch (error) {
    // The cookie is gone either way; a provider that cannot be reached is logged, not shown.
    logger.warn('sign-out at the provider failed', {
      reason: error instanceof Error ? error.name : 'unknown',
    })
  }
  privatePage(c)
  return c.redirect(to, 303)
}

/**
 * `/masuk` (a mentor signs in), `/auth/callback` (where every sign-in comes back) and `/keluar` (a
 * mentor signs out). Staff start and end theirs on `/reports`. This module loads openid-client, so the
 * app loads it only when one of these paths is asked for.
 */
export function signInPages(deps: SessionDependencies) {
  const app = new Hono<AppEnv>()

  app.get('/masuk', (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    const title = tr('Masuk sebagai mentor', 'Mentor sign-in')
    const next = c.req.query('next')
    privatePage(c)
    return c.html(
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        <p>
          {tr(
            'Masuk dengan akun Pendamping Anda: email dan kode sekali pakai atau kata sandi, di halaman masuk resmi.',
            'Sign in with your Pendamping account: your email and a one-time code or password, on the official sign-in page.',
          )}
        </p>
        <form method="post" action="/masuk">
          <input type="hidden" name={CSRF_FIELD} value={csrfToken(c)} />
          {next && NEXT.mentor.test(next) ? <input type="hidden" name="next" value={next} /> : null}
          <button type="submit">{tr('Masuk', 'Sign in')}</button>
        </form>
        <p class="hint">
          {tr(
            'Belum punya akun? Akun mentor dibuat saat petugas program menyetujui pendaftaran Anda.',
            'No account yet? A mentor’s account is made when program staff approve the application.',
          )}{' '}
          <a href="/daftar-mentor">{tr('Daftar jadi mentor', 'Apply to mentor')}</a>
        </p>
      </Layout>,
    )
  })

  app.post('/masuk', async (c) => {
    const fields = await readCheckedForm(c)
    return startSignIn(c, deps, 'mentor', fields.get('next'))
  })

  app.post('/keluar', async (c) => {
    await readCheckedForm(c)
    return finishSignOut(c, deps, 'mentor')
  })

  app.get('/auth/callback', async (c) => {
    const settings = deps.signIn
    if (!settings) return notConfigured(c)
    privatePage(c)
    const flow = await takeFlow(c, settings)
    if (!flow) {
      // No sign-in under way in this browser: a forged, replayed or very late callback.
      logger.info('sign-in callback refused', { reason: 'no-flow' })
      return c.html(
        <Message
          c={c}
          title={['Gagal masuk', 'Sign-in failed']}
          text={[
            'Permintaan masuk ini tidak dikenal atau sudah kedaluwarsa. Silakan masuk lagi.',
            'This sign-in was not started here or has expired. Please sign in again.',
          ]}
          again="/masuk"
        />,
        400,
      )
    }
    let actor: AccountActor | undefined
    try {
      const session = await finishSignIn(settings, deps.verifyToken, new URL(c.req.url), flow)
      actor = { kind: 'account', sub: session.sub, role: session.role, region: session.region }
      if (!AUDIENCE_ROLES[flow.audience].includes(session.role)) {
        await signOut(settings, session, SIGN_IN[flow.audience]).catch(() => undefined)
        return c.html(
          <Message
            c={c}
            title={['Akun tidak sesuai', 'Wrong kind of account']}
            text={
              flow.audience === 'mentor'
                ? ['Akun ini bukan akun mentor.', 'This is not a mentor’s account.']
                : ['Halaman ini untuk staf program.', 'This page is for program staff.']
            }
            again={SIGN_IN[flow.audience]}
          />,
          403,
        )
      }
      if (deps.checkAccount) await deps.checkAccount(actor)
      await keepSession(c, settings, session)
    } catch (error) {
      logger.info('sign-in callback refused', { reason: error instanceof Error ? error.name : 'unknown' })
      return c.html(
        <Message
          c={c}
          title={['Gagal masuk', 'Sign-in failed']}
          text={[
            'Masuk tidak berhasil atau dibatalkan. Silakan coba lagi.',
            'The sign-in did not succeed or was cancelled. Please try again.',
          ]}
          again={SIGN_IN[flow.audience]}
        />,
        400,
      )
    }
    return c.redirect(flow.next, 303)
  })

  return app
}
