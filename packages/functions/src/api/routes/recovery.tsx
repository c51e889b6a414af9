/**
 * Link recovery (docs/contract/channels.md#lost-link): the API (`/v1/link-recovery`) and the pages
 * (`/pulihkan-tautan`, `/en/recover-link`) where a person who lost their private link gets a new one
 * by a one-time code sent to the phone or e-mail on file. The pages need no JavaScript.
 */

import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { useContext } from '@pendamping/core/actor'
import { normalizePhone } from '@pendamping/core/business'
import { NotFoundError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import { ID_PATTERN } from '@pendamping/core/id'
import { DEFAULT_RATE_LIMITS, QuotaSpentError, type RateLimits, spendQuota } from '@pendamping/core/ratelimit'
import {
  CODE_MINUTES,
  completeRecovery,
  Recovered,
  RecoveryCode,
  RecoveryInput,
  RecoveryStarted,
  startRecovery,
} from '@pendamping/core/recovery'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import { pageLocale, privatePage } from '../../pages/common.ts'
import { checkForm, ErrorSummary, type FieldErrors, TextField, Typed } from '../../pages/fields.tsx'
import { Layout, translator } from '../../pages/layout.tsx'
import { limitedPage } from '../../pages/limited.tsx'
import { RECOVERY_PATHS } from '../../pages/message-link.tsx'
import { CSRF_FIELD, csrfToken, readCheckedForm } from '../../pages/security.ts'
import type { AppEnv } from '../env.ts'
import { announce } from '../middleware/rate-limit.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

/** The pages, by language (declared with the private pages' message links, which point here). */
export { RECOVERY_PATHS }

/**
 * The per-phone quota (the one public forms spend), counted on what was typed — a normalised phone or
 * an e-mail — so one phone cannot be sent codes without end; the per-client quota is spent already.
 */
async function spendAddressQuota(
  c: Context<AppEnv>,
  deps: { store: Store; clock?: Clock | undefined; rateLimits?: RateLimits | false | undefined },
  input: RecoveryInput,
): Promise<void> {
  const limits = deps.rateLimits ?? DEFAULT_RATE_LIMITS
  if (limits === false) return
  const who =
    input.phone !== undefined
      ? `phone:${normalizePhone(input.phone) ?? input.phone}`
      : `email:${(input.email ?? '').toLowerCase()}`
  announce(c, await spendQuota(deps.store, limits.phone, who, (deps.clock ?? systemClock).now()))
}

export function recoveryRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  const app = new Hono<AppEnv>()
    .post(
      '/v1/link-recovery',
      describeRoute({
        summary: 'Ask for a one-time code to replace a lost private link',
        description:
          'Send the phone (or e-mail) given with the request or registration and, if remembered, its ' +
          '`requestId` or `registrationId`. The answer is the same whether or not anything is on file ' +
          `for it: a \`recoveryId\` to answer with the code, valid ${CODE_MINUTES} minutes. The code goes ` +
          'by the person’s channel to the contact on file. Rate-limited per phone and per client.',
        tags: ['Link recovery'],
        security: [{}],
        responses: { 202: json(RecoveryStarted, 'The challenge to answer'), ...problems(400, 415, 429) },
      }),
      validate('json', RecoveryInput),
      async (c) => {
        const input = c.req.valid('json')
        await spendAddressQuota(c, deps, input)
        return c.json(await startRecovery(deps.store, clock, input, useContext().locale), 202)
      },
    )
    .post(
      '/v1/link-recovery/:id/code',
      describeRoute({
        summary: 'Answer the code and get new private links',
        description:
          'The right code, once, replaces the private link of each request and registration it was ' +
          'sent for: the old links stop working. A wrong, expired, used or unknown code is a 404; after ' +
          'five tries the code stops working.',
        tags: ['Link recovery'],
        security: [{}],
        responses: { 200: json(Recovered, 'The new private links'), ...problems(400, 404, 415, 429) },
      }),
      validate('param', IdParam),
      validate('json', RecoveryCode),
      async (c) =>
        c.json(await completeRecovery(deps.store, clock, c.req.valid('param').id, c.req.valid('json').code)),
    )
  for (const locale of ['id', 'en'] as const) pagesFor(app, locale, deps, clock)
  return app
}

/** Field labels, also the plain names in error messages. */
function labelsOf(locale: Locale) {
  const tr = translator(locale)
  return {
    phone: tr('Nomor HP', 'Phone number'),
    email: tr('atau email', 'or email'),
    requestId: tr('Nomor permintaan (jika ingat)', 'Request id (if you remember it)'),
    registrationId: tr('Nomor pendaftaran kelas (jika ingat)', 'Class registration id (if you remember it)'),
    code: tr('Kode 6 angka', '6-digit code'),
  }
}

function AskForm(props: { locale: Locale; csrf: string; typed: Typed; errors: FieldErrors }) {
  const { locale, typed, errors } = props
  const tr = translator(locale)
  const labels = labelsOf(locale)
  const title = tr('Tautan pribadi hilang?', 'Lost your private link?')
  return (
    <Layout locale={locale} title={title} other={RECOVERY_PATHS[locale === 'id' ? 'en' : 'id']}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Isi nomor HP (atau email) yang Anda pakai saat mendaftar. Kami kirim kode sekali pakai lewat WhatsApp, SMS, atau email sesuai pilihan Anda. Dengan kode itu Anda mendapat tautan baru, dan tautan lama tidak berlaku lagi.',
          'Enter the phone (or email) you used when you signed up. We send a one-time code by WhatsApp, SMS or email, as you chose. With the code you get a new link, and the old one stops working.',
        )}
      </p>
      <ErrorSummary errors={errors} labels={labels} title={tr('Periksa lagi', 'Please check')} />
      <form method="post" action={RECOVERY_PATHS[locale]} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <TextField
          name="phone"
          type="tel"
          label={labels.phone}
          value={typed.get('phone')}
          error={errors.phone}
          autocomplete="tel"
          inputmode="tel"
        />
        <TextField
          name="email"
          type="email"
          label={labels.email}
          value={typed.get('email')}
          error={errors.email}
          autocomplete="email"
        />
        <TextField
          name="requestId"
          label={labels.requestId}
          value={typed.get('requestId')}
          error={errors.requestId}
        />
        <TextField
          name="registrationId"
          label={labels.registrationId}
          value={typed.get('registrationId')}
          error={errors.registrationId}
        />
        <button type="submit">{tr('Kirim kode', 'Send the code')}</button>
      </form>
    </Layout>
  )
}

function CodeForm(props: { locale: Locale; csrf: string; recoveryId: string; errors: FieldErrors }) {
  const { locale, errors } = props
  const tr = translator(locale)
  const labels = labelsOf(locale)
  const title = tr('Masukkan kode', 'Enter the code')
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p>
        {tr(
          `Jika nomor atau email itu terdaftar, kode sudah kami kirim. Kode berlaku ${CODE_MINUTES} menit dan hanya sekali pakai.`,
          `If that phone or email is on file, the code is on its way. It works for ${CODE_MINUTES} minutes, once.`,
        )}
      </p>
      <ErrorSummary errors={errors} labels={labels} title={tr('Periksa lagi', 'Please check')} />
      <form method="post" action={`${RECOVERY_PATHS[locale]}/kode`} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <input type="hidden" name="recoveryId" value={props.recoveryId} />
        <TextField
          name="code"
          label={labels.code}
          value=""
          error={errors.code}
          autocomplete="one-time-code"
          inputmode="numeric"
          required
        />
        <button type="submit">{tr('Buka tautan baru', 'Get my new link')}</button>
      </form>
      <p>
        <a href={RECOVERY_PATHS[locale]}>{tr('Minta kode lagi', 'Ask for a new code')}</a>
      </p>
    </Layout>
  )
}

function LinksPage(props: { locale: Locale; links: Recovered['links']; base: string }) {
  const tr = translator(props.locale)
  const title = tr('Tautan baru Anda', 'Your new links')
  return (
    <Layout locale={props.locale} title={title}>
      <h1>{title}</h1>
      <p class="ok">
        {tr(
          'Simpan tautan ini. Tautan lama sudah tidak berlaku.',
          'Keep these links. The old ones no longer work.',
        )}
      </p>
      <ul>
        {props.links.map((link) => (
          <li>
            {link.kind === 'request'
              ? tr('Permintaan pendampingan', 'Mentoring request')
              : tr('Kelas Anda', 'Your classes')}
            {': '}
            <a class="link" href={link.path}>{`${props.base}${link.path}`}</a>
          </li>
        ))}
      </ul>
    </Layout>
  )
}

function pagesFor(app: Hono<AppEnv>, fixed: Locale, deps: RouteDependencies, clock: Clock) {
  const path = RECOVERY_PATHS[fixed]
  const limited = (c: Context<AppEnv>, error: unknown) => {
    if (error instanceof QuotaSpentError) return limitedPage(c, error)
    throw error
  }
  app.get(path, (c) => {
    const locale = pageLocale(c, fixed)
    const typed = new Typed(
      new URLSearchParams({ requestId: c.req.query('permintaan') ?? c.req.query('request') ?? '' }),
    )
    return c.html(<AskForm locale={locale} csrf={csrfToken(c)} typed={typed} errors={{}} />)
  })
  app.post(path, async (c) => {
    const locale = pageLocale(c, fixed)
    const fields = await readCheckedForm(c)
    for (const name of ['phone', 'email', 'requestId', 'registrationId'])
      if (fields.get(name)?.trim() === '') fields.delete(name)
    const checked = checkForm(RecoveryInput, fields, locale, labelsOf(locale))
    if (checked.errors)
      return c.html(
        <AskForm locale={locale} csrf={csrfToken(c)} typed={new Typed(fields)} errors={checked.errors} />,
        400,
      )
    try {
      await spendAddressQuota(c, deps, checked.data)
    } catch (error) {
      return limited(c, error)
    }
    const started = await startRecovery(deps.store, clock, checked.data, locale)
    return c.html(
      <CodeForm locale={locale} csrf={csrfToken(c)} recoveryId={started.recoveryId} errors={{}} />,
    )
  })
  app.post(`${path}/kode`, async (c) => {
    const locale = pageLocale(c, fixed)
    const fields = await readCheckedForm(c)
    const recoveryId = fields.get('recoveryId') ?? ''
    const again = (errors: FieldErrors, status: 400 | 404) =>
      c.html(<CodeForm locale={locale} csrf={csrfToken(c)} recoveryId={recoveryId} errors={errors} />, status)
    const checked = checkForm(RecoveryCode, new URLSearchParams({ code: fields.get('code') ?? '' }), locale)
    if (checked.errors) return again(checked.errors, 400)
    if (!ID_PATTERN.test(recoveryId))
      return again({ code: translator(locale)('Kode salah atau kedaluwarsa', 'Wrong or expired code') }, 404)
    try {
      const { links } = await completeRecovery(deps.store, clock, recoveryId, checked.data.code)
      privatePage(c)
      return c.html(<LinksPage locale={locale} links={links} base={new URL(c.req.url).origin} />)
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      return again(
        {
          code: translator(locale)(
            'Kode salah, kedaluwarsa, sudah dipakai, atau terlalu sering dicoba. Minta kode baru bila perlu.',
            'Wrong, expired or used code, or too many tries. Ask for a new code if needed.',
          ),
        },
        404,
      )
    }
  })
}
