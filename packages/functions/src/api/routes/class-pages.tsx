import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { certificateView, listCertificatesOf } from '@pendamping/core/certificate'
import {
  CatalogQuery,
  cancelRegistration,
  checkIn,
  listCatalog,
  NewRegistration,
  openParticipant,
  type Registered,
  readClass,
  readDraw,
  readParticipant,
  registerForClass,
  rotateParticipantToken,
} from '@pendamping/core/class'
import { ConflictError, DomainError, NotFoundError, ValidationError } from '@pendamping/core/errors'
import { type Locale, translate } from '@pendamping/core/i18n'
import { ID_PATTERN, newId } from '@pendamping/core/id'
import {
  answerOnce,
  IDEMPOTENCY_KEY_PATTERN,
  IdempotencyKeyReusedError,
  idempotencyClaim,
} from '@pendamping/core/idempotency'
import type { MessageLinks } from '@pendamping/core/link'
import { changeParticipantConsent } from '@pendamping/core/privacy'
import { QuotaSpentError, type RateLimits } from '@pendamping/core/ratelimit'
import type { PrivateKey } from '@pendamping/core/request'
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
import { consentForm } from '../../pages/consent.tsx'
import { pageFailure } from '../../pages/failure.ts'
import { checkForm, type FieldErrors, messagesOf, Typed } from '../../pages/fields.tsx'
import { Layout, translator } from '../../pages/layout.tsx'
import { limitedPage } from '../../pages/limited.tsx'
import {
  cookieSeconds,
  isMessageLink,
  LinkEndedError,
  linkEndedBy,
  linkEndedPage,
  privateKeyOf,
} from '../../pages/message-link.tsx'
import {
  forgetParticipantToken,
  heldParticipantToken,
  keepParticipantToken,
  PARTICIPANT_COOKIE_SECONDS,
  PARTICIPANT_TOKEN,
} from '../../pages/participant-link.ts'
import { PICK_PROVINCE } from '../../pages/region-picker.tsx'
import { actingAs, csrfToken, readCheckedForm } from '../../pages/security.ts'
import type { AppEnv } from '../env.ts'
import { spendPhoneQuota } from '../middleware/rate-limit.ts'
import { toProblem } from '../problem.ts'
import { validate } from '../validation.ts'
import { IdParam } from './shared.ts'

export interface ClassPageDependencies {
  store: Store
  clock?: Clock | undefined
  rateLimits?: RateLimits | false | undefined
  /** Opens the participant's page from links in messages (docs/contract/channels.md#links-in-messages). */
  messageLinks?: MessageLinks | undefined
}

/** What a participant's credential (a link's token or this browser's cookie) opens their page with. */
type KeyOf = (participantId: string, credential: string) => PrivateKey

/** The catalog's query as a page reads it: empty fields (an untouched select) are no filter. */
function catalogFilter(c: Context<AppEnv>) {
  const query: Record<string, string> = {}
  for (const [name, value] of Object.entries(c.req.query()))
    if (value !== '' && ['region', 'topic', 'date', 'mode', 'cursor'].includes(name)) query[name] = value
  return { query, parsed: z.safeParse(CatalogQuery, query) }
}

/**
 * The private page's holder, registering for another class: `?participant=…` (or the form's
 * `participantId`) names them, and the token is this browser's cookie of that participant, never in the
 * address or the form.
 */
function carried(
  c: Context<AppEnv>,
  keyOf: KeyOf,
  participantId: string | undefined,
): { participantId: string; token: PrivateKey } | undefined {
  if (!participantId || !ID_PATTERN.test(participantId)) return undefined
  const token = heldParticipantToken(c, participantId)
  try {
    return token ? { participantId, token: keyOf(participantId, token) } : undefined
  } catch (error) {
    if (error instanceof LinkEndedError) return undefined
    throw error
  }
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
  token: PrivateKey | undefined,
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
 * lottery's draw, and the participant's private page (`/peserta/{id}`, its link's token exchanged for a
 * cookie) where they see their places and groups, cancel, check in during a meeting, and make a new
 * link. Server-rendered, no JavaScript, CSRF on
 * every post; the same core functions and schemas as the API.
 */
export function classPageRoutes(deps: ClassPageDependencies) {
  const clock = deps.clock ?? systemClock
  const { store } = deps
  const keyOf: KeyOf = (participantId, credential) =>
    privateKeyOf(deps.messageLinks, 'participant', participantId, credential, clock.now())
  const app = new Hono<AppEnv>()
  for (const locale of ['id', 'en'] as const) {
    app.get(CATALOG[locale], async (c) => {
      const { query, parsed } = catalogFilter(c)
      const carry = carried(c, keyOf, c.req.query('participant'))
      if (carry) privatePage(c)
      const carryQuery = carry
        ? new URLSearchParams({ participant: carry.participantId }).toString()
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
        ? `${CATALOG[locale]}?${new URLSearchParams({ ...query, cursor: page.nextCursor, ...(carry ? { participant: carry.participantId } : {}) })}`
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
      as?: { participantId: string; token: PrivateKey },
      focusCity = false,
    ) => {
      const info = await actingAs(c.var.actor, locale, () => readClass(store, id))
      let who: { participantId: string; name: string } | undefined
      if (as) {
        privatePage(c)
        const participant = await openParticipant(store, as.participantId, as.token)
        who = { participantId: as.participantId, name: participant.name }
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
      show(c, c.req.valid('param').id, new Typed(), {}, carried(c, keyOf, c.req.query('participant'))),
    )

    app.post(`${CATALOG[locale]}/:id`, validate('param', IdParam), async (c) => {
      const { id } = c.req.valid('param')
      const fields = await readCheckedForm(c)
      const typed = new Typed(new URLSearchParams(fields))
      const action = fields.get('action')
      const province = fields.get('province') ?? ''
      // Registering again as the private page's holder: their id in the form, their token in this
      // browser's cookie of them.
      const as = carried(c, keyOf, fields.get('participantId') || undefined)
      if (fields.has('participantId') && !as) throw new NotFoundError('No such participant for this token')
      const token = as?.token
      for (const name of ['action', 'province']) fields.delete(name)
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
        // This browser holds the new participant's token from now on; the link is shown to keep.
        if (registered.participantToken)
          keepParticipantToken(c, registered.participantId, registered.participantToken)
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
    token: PrivateKey,
    message: { notice?: string; error?: string; newLink?: string } = {},
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
        csrf={csrfToken(c)}
        now={clock.now().toISOString()}
        notice={message.notice}
        error={message.error}
        newLink={message.newLink}
        consent={view.participant.consent.purposes}
      />,
      message.error ? 409 : 200,
    )
  }

  /**
   * The key this browser holds for the participant (its cookie); none is a 404, as a wrong one is, and
   * so is a message link's cookie that outlived its link.
   */
  const held = (c: Context<AppEnv>, id: string): PrivateKey => {
    const token = heldParticipantToken(c, id)
    if (!token) throw new NotFoundError('No such participant for this token')
    try {
      return keyOf(id, token)
    } catch (error) {
      if (error instanceof LinkEndedError) throw new NotFoundError('No such participant for this token')
      throw error
    }
  }

  // The private link (`/peserta/{id}?token=…`) is exchanged on its first visit for an HttpOnly
  // `__Host-` cookie of that participant and a 303 to the clean address, as the tracking page's link
  // is: the token leaves the address bar, the history and any `Referer` at once. A message's link
  // (`pages/message-link.tsx`) enters the same way, its cookie living until the link expires; one that
  // opens nothing any more gets a page pointing to link recovery.
  app.get('/peserta/:id', validate('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const sent = c.req.query('token')
    const credential = sent ?? heldParticipantToken(c, id)
    try {
      if (sent === undefined) {
        try {
          return await participantPage(c, id, held(c, id))
        } catch (error) {
          // A cookie whose token was replaced or revoked is of no more use to this browser.
          if (error instanceof NotFoundError) forgetParticipantToken(c, id)
          throw error
        }
      }
      if (!PARTICIPANT_TOKEN.test(sent) && !isMessageLink(sent))
        throw new NotFoundError('No such participant for this token')
      const key = keyOf(id, sent)
      await openParticipant(store, id, key)
      keepParticipantToken(c, id, sent, cookieSeconds(key, clock.now(), PARTICIPANT_COOKIE_SECONDS))
      privatePage(c)
      return c.redirect(`/peserta/${id}${c.req.query('lang') === 'en' ? '?lang=en' : ''}`, 303)
    } catch (error) {
      const ended = linkEndedBy(error, credential)
      if (!ended) throw error
      return linkEndedPage(c, pageLocale(c), ended)
    }
  })

  const ActionParam = z.strictObject({
    id: IdParam.shape.id,
    action: z.enum(['batal', 'hadir', 'tautan-baru', 'persetujuan']),
  })
  app.post('/peserta/:id/:action', validate('param', ActionParam), async (c) => {
    const { id, action } = c.req.valid('param')
    const locale = pageLocale(c)
    const tr = translator(locale)
    const fields = await readCheckedForm(c)
    const token = held(c, id)
    const registration = fields.get('registration') ?? ''
    // The registration must be this participant's: opening the page checks the token first.
    await openParticipant(store, id, token)
    if (action === 'tautan-baru') {
      // A new link: the old token stops working at once; this browser keeps the new one.
      const rotated = await actingAs({ kind: 'anonymous' }, locale, () =>
        rotateParticipantToken(store, clock, id, token),
      )
      keepParticipantToken(c, id, rotated.participantToken)
      const origin = new URL(c.req.url).origin
      return participantPage(c, id, rotated.participantToken, {
        notice: tr('Tautan pribadi baru sudah dibuat.', 'A new private link is made.'),
        newLink: `${origin}/peserta/${id}?token=${rotated.participantToken}${locale === 'en' ? '&lang=en' : ''}`,
      })
    }
    if (action === 'persetujuan') {
      // One purpose withdrawn or given: the same core function as `POST /v1/participants/{id}/consent`.
      const input = consentForm(fields)
      await actingAs({ kind: 'anonymous' }, locale, () =>
        changeParticipantConsent(store, clock, id, token, input),
      )
      return participantPage(c, id, token, {
        notice: input.given
          ? tr('Persetujuan Anda sudah dicatat.', 'Your consent is recorded.')
          : tr('Persetujuan Anda sudah ditarik.', 'Your consent is withdrawn.'),
      })
    }
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
    const { status, title, text } = pageFailure(error, locale)
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
