import { newId } from '@pendamping/core/adapters/dynamo/keys'
import { certificateView, listCertificatesOf } from '@pendamping/core/certificate/index'
import { checkIn } from '@pendamping/core/class/attendance'
import {
  CatalogQuery,
  listCatalog,
  NewRegistration,
  type Registered,
  readClass,
} from '@pendamping/core/class/index'
import { readDraw } from '@pendamping/core/class/lottery'
import {
  cancelRegistration,
  openParticipant,
  readParticipant,
  registerForClass,
} from '@pendamping/core/class/register'
import { ConflictError, DomainError, ValidationError } from '@pendamping/core/errors/index'
import type { Locale } from '@pendamping/core/i18n/index'
import { translate } from '@pendamping/core/i18n/index'
import { ID_PATTERN } from '@pendamping/core/id/index'
import {
  answerOnce,
  IDEMPOTENCY_KEY_PATTERN,
  IdempotencyKeyReusedError,
  idempotencyClaim,
} from '@pendamping/core/idempotency/index'
import { QuotaSpentError, type RateLimits } from '@pendamping/core/ratelimit/index'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { type Context, Hono } from 'hono'
import * as z from 'zod/mini'
import { logger } from '../../logger.ts'
import {
  CATALOG,
  CatalogPage,
  ClassPage,
  classPath,
  DrawPage,
  ParticipantPage,
  RegisteredPage,
  SUBMISSION_FIELD,
} from '../../pages/classes.tsx'
import { pageLocale, privatePage } from '../../pages/common.ts'
import { checkForm, type FieldErrors, messagesOf, Typed } from '../../pages/fields.tsx'
import { Layout, translator } from '../../pages/layout.tsx'
import { limitedPage } from '../../pages/limited.tsx'
import { PICK_PROVINCE } from '../../pages/region-picker.tsx'
import { actingAs, CsrfError, csrfToken, readCheckedForm } from '../../pages/security.ts'
import type { AppEnv } from '../env.ts'
import { spendPhoneQuota } from '../middleware/rate-limit.ts'
import { toProblem } from '../problem.ts'
import { validate } from '../validation.ts'
import { IdParam } from './shared.ts'

export interface ClassPageDependencies {
  store: Store
  clock?: Clock | undefined
  rateLimits?: RateLimits | false | undefined
}

/** The catalog's query as a page reads it: empty fields (an untouched select) are no filter. */
function catalogFilter(c: Context<AppEnv>) {
  const query: Record<string, string> = {}
  for (const [name, value] of Object.entries(c.req.query()))
    if (value !== '' && ['region', 'topic', 'date', 'mode', 'cursor'].includes(name)) query[name] = value
  return { query, parsed: z.safeParse(CatalogQuery, query) }
}

/** `?participant=…&token=…`: the private link's holder, registering for another class. */
function carried(c: Context<AppEnv>): { participantId: string; token: string } | undefined {
  const participantId = c.req.query('participant') ?? ''
  const token = c.req.query('token') ?? ''
  return ID_PATTERN.test(participantId) && /^[A-Za-z0-9_-]{43}$/.test(token)
    ? { participantId, token }
    : undefined
}

/**
 * Registers at most once per filled-in form, by the API's `Idempotency-Key` protocol: a re-posted
 * form (a reload, a double tap) replays the first answer instead of trying a second place.
 */
async function registerOnce(
  store: Store,
  clock: Clock,
  classId: string,
  submission: string,
  data: z.infer<typeof NewRegistration>,
  token: string | undefined,
  locale: Locale,
): Promise<Registered> {
  const register = (claim?: ReturnType<typeof idempotencyClaim>) =>
    registerForClass(store, clock, classId, data, token, { idempotency: claim, locale })
  if (!IDEMPOTENCY_KEY_PATTERN.test(submission)) return register()
  const claim = idempotencyClaim({
    who: 'public page',
    path: classPath('id', classId),
    key: submission,
    body: JSON.stringify(data),
  })
  try {
    const outcome = await answerOnce(store, clock, claim, () => register(claim))
    return 'fresh' in outcome ? outcome.fresh : (outcome.replayed.body as Registered)
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError) return register()
    throw error
  }
}

/**
 * The class pages: the catalog (`/kelas`, `/en/classes`), each class with its registration form, a
 * lottery's draw, and the participant's private page (`/peserta/{id}?token=…`) where they see their
 * places and groups, cancel, and check in during a meeting. Server-rendered, no JavaScript, CSRF on
 * every post; the same core functions and schemas as the API.
 */
export function classPageRoutes(deps: ClassPageDependencies) {
  const clock = deps.clock ?? systemClock
  const { store } = deps
  const app = new Hono<AppEnv>()
  for (const locale of ['id', 'en'] as const) {
    app.get(CATALOG[locale], async (c) => {
      const { query, parsed } = catalogFilter(c)
      const carry = carried(c)
      if (carry) privatePage(c)
      const carryQuery = carry
        ? new URLSearchParams({ participant: carry.participantId, token: carry.token }).toString()
        : undefined
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: String(issue.path[0] ?? ''),
          key: issue.message.startsWith('field.') ? issue.message : 'field.invalid',
        }))
        return c.html(
          <CatalogPage
            locale={locale}
            items={[]}
            filter={query}
            next={null}
            errors={messagesOf(issues, locale)}
            carry={carryQuery}
          />,
          400,
        )
      }
      const page = await actingAs({ kind: 'anonymous' }, locale, () => listCatalog(store, parsed.data))
      const next = page.nextCursor
        ? `${CATALOG[locale]}?${new URLSearchParams({ ...query, cursor: page.nextCursor, ...(carry ? { participant: carry.participantId, token: carry.token } : {}) })}`
        : null
      return c.html(
        <CatalogPage
          locale={locale}
          items={page.items}
          filter={query}
          next={next}
          errors={{}}
          carry={carryQuery}
        />,
      )
    })

    const show = async (
      c: Context<AppEnv>,
      id: string,
      typed: Typed,
      errors: FieldErrors,
      as?: { participantId: string; token: string },
      focusCity = false,
    ) => {
      const info = await actingAs(c.var.actor, locale, () => readClass(store, id))
      let who: { participantId: string; token: string; name: string } | undefined
      if (as) {
        privatePage(c)
        const participant = await openParticipant(store, as.participantId, as.token)
        who = { ...as, name: participant.name }
      }
      return c.html(
        <ClassPage
          locale={locale}
          info={info}
          csrf={csrfToken(c)}
          typed={typed}
          errors={errors}
          as={who}
          focusCity={focusCity}
          submission={typed.get(SUBMISSION_FIELD) || newId()}
          now={clock.now().toISOString()}
        />,
        Object.keys(errors).length > 0 ? 400 : 200,
      )
    }

    app.get(`${CATALOG[locale]}/:id`, validate('param', IdParam), async (c) =>
      show(c, c.req.valid('param').id, new Typed(), {}, carried(c)),
    )

    app.post(`${CATALOG[locale]}/:id`, validate('param', IdParam), async (c) => {
      const { id } = c.req.valid('param')
      const fields = await readCheckedForm(c)
      const typed = new Typed(new URLSearchParams(fields))
      const action = fields.get('action')
      const province = fields.get('province') ?? ''
      const token = fields.get('token') ?? undefined
      const participantId = fields.get('participantId') ?? ''
      const as = token && participantId ? { participantId, token } : undefined
      for (const name of ['action', 'province', 'token']) fields.delete(name)
      if (action === PICK_PROVINCE) {
        if (!typed.get('person.region').startsWith(`${province}.`)) typed.params.delete('person.region')
        return show(c, id, typed, {}, as, true)
      }
      const submission = fields.get(SUBMISSION_FIELD) ?? ''
      fields.delete(SUBMISSION_FIELD)
      // An untouched optional business is no business.
      if (!fields.get('person.business.name') && !fields.get('person.business.sector')) {
        fields.delete('person.business.name')
        fields.delete('person.business.sector')
      }
      const checked = checkForm(NewRegistration, fields, locale)
      if (checked.errors) return show(c, id, typed, checked.errors, as)
      if (checked.data.person) await spendPhoneQuota(c, deps, checked.data.person.phone)
      try {
        const registered = await actingAs({ kind: 'anonymous' }, locale, () =>
          registerOnce(store, clock, id, submission, checked.data, token, locale),
        )
        const info = await actingAs({ kind: 'anonymous' }, locale, () => readClass(store, id))
        privatePage(c)
        return c.html(
          <RegisteredPage
            locale={locale}
            registered={registered}
            info={info}
            origin={new URL(c.req.url).origin}
          />,
          201,
        )
      } catch (error) {
        if (error instanceof ValidationError) return show(c, id, typed, messagesOf(error.issues, locale), as)
        if (error instanceof ConflictError && error.code === 'already-registered')
          return show(
            c,
            id,
            typed,
            { 'person.phone': translate(locale, 'problem.already-registered.detail') },
            as,
          )
        throw error
      }
    })

    app.get(
      `${CATALOG[locale]}/:id/${locale === 'en' ? 'draw' : 'undian'}`,
      validate('param', IdParam),
      async (c) => {
        const { id } = c.req.valid('param')
        const [info, draw] = await actingAs({ kind: 'anonymous' }, locale, () =>
          Promise.all([readClass(store, id), readDraw(store, id)]),
        )
        return c.html(<DrawPage locale={locale} info={info} draw={draw} />)
      },
    )
  }

  const participantPage = async (
    c: Context<AppEnv>,
    id: string,
    token: string,
    message: { notice?: string; error?: string } = {},
  ) => {
    const locale = pageLocale(c)
    const view = await actingAs({ kind: 'anonymous' }, locale, () => readParticipant(store, id, token))
    privatePage(c)
    const { participant: _stored, ...shown } = view
    // Certificates exist only once a class was completed: no read before that.
    const certificates = view.registrations.some(({ registration }) => registration.status === 'attended')
      ? (await listCertificatesOf(store, { kind: 'participant', id }, { limit: 20 })).items
      : []
    return c.html(
      <ParticipantPage
        locale={locale}
        view={shown}
        certificates={certificates.map((certificate) => certificateView(certificate, '', locale))}
        token={token}
        csrf={csrfToken(c)}
        now={clock.now().toISOString()}
        notice={message.notice}
        error={message.error}
      />,
      message.error ? 409 : 200,
    )
  }

  app.get('/peserta/:id', validate('param', IdParam), async (c) =>
    participantPage(c, c.req.valid('param').id, c.req.query('token') ?? ''),
  )

  const ActionParam = z.strictObject({ id: IdParam.shape.id, action: z.enum(['batal', 'hadir']) })
  app.post('/peserta/:id/:action', validate('param', ActionParam), async (c) => {
    const { id, action } = c.req.valid('param')
    const locale = pageLocale(c)
    const tr = translator(locale)
    const fields = await readCheckedForm(c)
    const token = fields.get('token') ?? ''
    const registration = fields.get('registration') ?? ''
    // The registration must be this participant's: opening the page checks the token first.
    await openParticipant(store, id, token)
    try {
      if (action === 'batal') {
        await cancelRegistration(store, clock, registration, token)
        return participantPage(c, id, token, {
          notice: tr('Pendaftaran dibatalkan.', 'Registration cancelled.'),
        })
      }
      await checkIn(store, clock, registration, token, (fields.get('code') ?? '').trim().toUpperCase())
      return participantPage(c, id, token, {
        notice: tr('Kehadiran Anda tercatat.', 'Your attendance is recorded.'),
      })
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error
      const problem = toProblem(error, locale)
      return participantPage(c, id, token, { error: `${problem.title}. ${problem.detail}` })
    }
  })

  app.onError((error, c) => {
    if (error instanceof QuotaSpentError) {
      logger.info('class page refused', { status: 429, route: c.req.routePath })
      return limitedPage(c, error)
    }
    const locale = pageLocale(c, c.req.path.startsWith('/en/') ? 'en' : undefined)
    const tr = translator(locale)
    let status = 500
    let title = tr('Terjadi kesalahan', 'Something went wrong')
    let text = tr('Maaf, coba lagi sebentar lagi.', 'Sorry, please try again in a moment.')
    if (error instanceof CsrfError) {
      status = 403
      title = tr('Formulir kedaluwarsa', 'The form expired')
      text = tr(
        'Demi keamanan, muat ulang halaman lalu kirim lagi.',
        'For your safety, reload the page and send it again.',
      )
    } else if (error instanceof DomainError) {
      const problem = toProblem(error, locale)
      status = problem.status
      title = problem.title
      text = problem.detail
    }
    if (status >= 500) logger.error('class page failed', { error, route: c.req.routePath })
    else logger.info('class page refused', { status, route: c.req.routePath })
    c.header('cache-control', 'no-store')
    return c.html(
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href={CATALOG[locale]}>{tr('← Semua kelas', '← All classes')}</a>
        </p>
      </Layout>,
      status as 400,
    )
  })
  return app
}
