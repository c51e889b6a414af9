import { type CertificateItem, certificateView, listCertificatesOf } from '@pendamping/core/certificate'
import { NotFoundError, ValidationError } from '@pendamping/core/errors'
import { FeedbackInput, getFeedback, giveFeedback } from '@pendamping/core/feedback'
import type { Locale } from '@pendamping/core/i18n'
import { ID_PATTERN as ID } from '@pendamping/core/id'
import type { MessageLinks } from '@pendamping/core/link'
import { getMentor } from '@pendamping/core/mentor'
import { getAcceptance } from '@pendamping/core/offer'
import { type ConsentPurposes, changeRequestConsent, LEGACY_PURPOSES } from '@pendamping/core/privacy'
import { regionName } from '@pendamping/core/region'
import {
  cancelRequest,
  eraseRequest,
  exportRequest,
  getRequest,
  type Info,
  OPEN_STATUSES,
  type PrivateKey,
  type RequestStatus,
  readRequest,
  rotateTrackingToken,
} from '@pendamping/core/request'
import { listSessionsOfRequest, type Info as SessionInfo } from '@pendamping/core/session'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { topicLabel } from '@pendamping/core/topic'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { AppEnv } from '../api/env.ts'
import { CertificateSection } from './certificates.tsx'
import { keepPrivateToken, pageLocale, privatePage } from './common.ts'
import { ConsentSection, consentForm } from './consent.tsx'
import { checkForm, type FieldErrors, fieldId, messagesOf } from './fields.tsx'
import { Layout, type Tr, translator } from './layout.tsx'
import { cookieSeconds, LinkEndedError, linkEndedBy, linkEndedPage, privateKeyOf } from './message-link.tsx'
import { actingAs, CSRF_FIELD, csrfToken, readCheckedForm } from './security.ts'

const STATUS: Record<RequestStatus, { id: string; en: string }> = {
  waitlisted: {
    id: 'Dalam daftar tunggu: kuota program sedang penuh. Anda mendapat tempat begitu ada yang kosong.',
    en: 'On the waiting list: the program is full. You get a place as soon as one frees up.',
  },
  matching: { id: 'Kami sedang mencarikan mentor yang cocok.', en: 'We are finding a mentor who fits.' },
  offered: {
    id: 'Seorang mentor sudah ditawari permintaan Anda dan sedang menjawab.',
    en: 'A mentor has been offered your request and is answering.',
  },
  active: { id: 'Anda sedang didampingi mentor.', en: 'A mentor is working with you.' },
  completed: { id: 'Pendampingan sudah selesai. Terima kasih!', en: 'The mentoring is complete. Thank you!' },
  cancelled: { id: 'Permintaan ini dibatalkan.', en: 'This request was cancelled.' },
  unmatched: {
    id: 'Maaf, belum ada mentor yang cocok dalam waktu program. Staf program akan menghubungi Anda.',
    en: 'Sorry, no mentor fitted within the program’s window. Program staff will contact you.',
  },
}

interface MentorContact {
  firstName: string
  phone: string
  email: string
}

interface OwnerView {
  request: Info
  mentor: MentorContact | undefined
  upcoming: SessionInfo[]
  /** Completed sessions, with the rating given if any. */
  completed: Array<{ session: SessionInfo; rating: number | undefined }>
  /** The owner's certificate of mentoring, once the engagement is completed. */
  certificates: CertificateItem[]
  /** Each purpose of the owner's consent now (UU PDP), for the consent section. */
  purposes: ConsentPurposes
}

/**
 * What the owner's page shows. The token is checked by `readRequest` first (a wrong one is a 404);
 * only then are the mentor (through the request's acceptance marker) and sessions read.
 */
async function ownerView(store: Store, id: string, token: PrivateKey, now: Date): Promise<OwnerView> {
  const request = await readRequest(store, id, token)
  let mentor: MentorContact | undefined
  let sessions: SessionInfo[] = []
  if (request.status === 'active' || request.status === 'completed') {
    const acceptance = await getAcceptance(store, id)
    const found = acceptance && (await getMentor(store, acceptance.mentorId))
    if (found)
      mentor = { firstName: found.name.split(/\s+/)[0] ?? found.name, phone: found.phone, email: found.email }
    sessions = (await listSessionsOfRequest(store, id, { limit: 50 })).items
  }
  const done = sessions.filter((session) => session.status === 'completed')
  const ratings = await Promise.all(done.map((session) => getFeedback(store, session.id)))
  const [certificates, item] = await Promise.all([
    request.status === 'completed'
      ? listCertificatesOf(store, { kind: 'owner', id }, { limit: 10 }).then((page) => page.items)
      : [],
    getRequest(store, id),
  ])
  return {
    certificates,
    purposes: item?.consent.purposes ?? LEGACY_PURPOSES,
    request,
    mentor,
    upcoming: sessions.filter((s) => s.status === 'scheduled' && s.endsAt > now.toISOString()),
    completed: done.map((session, index) => ({ session, rating: ratings[index]?.rating })),
  }
}

function Hidden({ csrf }: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={csrf} />
}

/** How long a browser keeps a request's tracking cookie: long enough for a whole mentoring. */
const TRACKING_COOKIE_SECONDS = 180 * 24 * 3600

/**
 * The tracking token's cookie, one per request: `__Host-track-<id>` (a `__Host-` cookie must have
 * `Path=/`, so the request's id goes in the name). HttpOnly, Secure, and SameSite=Lax so the link
 * opened from WhatsApp (a cross-site navigation) still finds it after the redirect.
 */
const cookieName = (id: string) => `track-${id}`

/** Keeps the request's token — or a message link's, until the link expires (`maxAge`) — in its cookie. */
function keepToken(c: Context, id: string, token: string, maxAge = TRACKING_COOKIE_SECONDS) {
  keepPrivateToken(c, cookieName(id), token, maxAge)
}

const heldToken = (c: Context, id: string) => getCookie(c, cookieName(id), 'host')

function forgetToken(c: Context, id: string) {
  deleteCookie(c, cookieName(id), { path: '/', secure: true, prefix: 'host' })
}

function RatingForm(props: {
  tr: Tr
  path: string
  csrf: string
  session: SessionInfo
  errors: FieldErrors
}) {
  const { tr, session, errors } = props
  const id = `nilai-${session.id}`
  return (
    <form method="post" action={`${props.path}/nilai`}>
      <Hidden csrf={props.csrf} />
      <input type="hidden" name="session" value={session.id} />
      <fieldset id={fieldId(`${id}.rating`)}>
        <legend>
          {tr('Nilai sesi ini (1 = kurang, 5 = sangat baik)', 'Rate this session (1 = poor, 5 = excellent)')}
        </legend>
        {errors.rating ? <p class="err">{errors.rating}</p> : null}
        {[1, 2, 3, 4, 5].map((value) => (
          <label>
            <input type="radio" name="rating" value={String(value)} id={`${id}-${value}`} />{' '}
            <span>{value}</span>
          </label>
        ))}
      </fieldset>
      <label for={`${id}-comment`}>{tr('Komentar (boleh dikosongkan)', 'Comment (optional)')}</label>
      {errors.comment ? <p class="err">{errors.comment}</p> : null}
      <textarea id={`${id}-comment`} name="comment" rows={3} />
      <button type="submit">{tr('Kirim nilai', 'Send rating')}</button>
    </form>
  )
}

function TrackingPage(props: {
  locale: Locale
  view: OwnerView
  csrf: string
  notice?: string | undefined
  /** A new tracking link, shown once right after the owner made it. */
  newLink?: string | undefined
  errors?: { session: string; errors: FieldErrors } | undefined
}) {
  const { locale, view, csrf } = props
  const tr = translator(locale)
  const { request } = view
  const path = `/lacak/${request.id}`
  const query = locale === 'en' ? '?lang=en' : ''
  const title = tr('Permintaan pendampingan Anda', 'Your mentoring request')
  const session = (s: SessionInfo) => (
    <li>
      <strong>{s.local.startsAt}</strong>
      {tr(' sampai ', ' to ')}
      {s.local.endsAt.split(' ').slice(-2).join(' ')}
      <br />
      {s.mode === 'online'
        ? s.meetingUrl
          ? [tr('Online: ', 'Online: '), <a href={s.meetingUrl}>{s.meetingUrl}</a>]
          : tr('Online', 'Online')
        : `${tr('Tatap muka: ', 'In person: ')}${s.place ?? ''}`}
    </li>
  )
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      {props.notice ? (
        <p class="ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.newLink ? (
        <>
          <p>
            {tr(
              'Simpan tautan baru ini; tautan lama sudah tidak berlaku. Tautan ini hanya ditampilkan sekali.',
              'Keep this new link; the old one no longer works. It is shown only this once.',
            )}
          </p>
          <p class="link" id="tautan-baru">
            {props.newLink}
          </p>
          <p>
            <a
              class="btn"
              href={`https://wa.me/?text=${encodeURIComponent(
                tr(
                  `Tautan pelacakan pendampingan usaha saya di Pendamping (jangan dibagikan): ${props.newLink}`,
                  `The tracking link of my mentoring request on Pendamping (keep it private): ${props.newLink}`,
                ),
              )}`}
              rel="noopener noreferrer"
            >
              {tr('Kirim ke WhatsApp saya', 'Send to my WhatsApp')}
            </a>
          </p>
        </>
      ) : null}
      <h2>{tr('Status', 'Status')}</h2>
      <p class="note" id="status">
        {STATUS[request.status][locale]}
      </p>
      <dl>
        <dt>{tr('Usaha', 'Business')}</dt>
        <dd>{request.business?.name ?? '—'}</dd>
        <dt>{tr('Bantuan yang diminta', 'Help asked for')}</dt>
        <dd>{request.needs.map((need) => topicLabel(need, locale)).join(', ')}</dd>
        <dt>{tr('Lokasi', 'Location')}</dt>
        <dd>{regionName(request.region) ?? request.region}</dd>
      </dl>
      {view.mentor ? (
        <>
          <h2>{tr('Mentor Anda', 'Your mentor')}</h2>
          <p id="mentor">
            <strong>{view.mentor.firstName}</strong>
            <br />
            WhatsApp:{' '}
            <a href={`https://wa.me/${view.mentor.phone.replace(/\D/g, '')}`} rel="noopener noreferrer">
              {view.mentor.phone}
            </a>
            <br />
            Email: <a href={`mailto:${view.mentor.email}`}>{view.mentor.email}</a>
          </p>
        </>
      ) : null}
      {view.mentor || view.upcoming.length > 0 ? (
        <>
          <h2>{tr('Sesi berikutnya', 'Upcoming sessions')}</h2>
          {view.upcoming.length > 0 ? (
            <ul class="plain" id="sesi">
              {view.upcoming.map(session)}
            </ul>
          ) : (
            <p>
              {tr('Mentor Anda akan segera menjadwalkan sesi.', 'Your mentor will schedule a session soon.')}
            </p>
          )}
        </>
      ) : null}
      {view.completed.length > 0 ? (
        <>
          <h2>{tr('Sesi yang sudah selesai', 'Completed sessions')}</h2>
          {view.completed.map(({ session: done, rating }) => (
            <section aria-label={done.local.startsAt}>
              <p>
                <strong>{done.local.startsAt}</strong>
              </p>
              {rating !== undefined ? (
                <p>
                  {tr(
                    `Nilai Anda: ${rating} dari 5. Terima kasih!`,
                    `Your rating: ${rating} of 5. Thank you!`,
                  )}
                </p>
              ) : (
                <RatingForm
                  tr={tr}
                  path={path}
                  csrf={csrf}
                  session={done}
                  errors={props.errors?.session === done.id ? props.errors.errors : {}}
                />
              )}
            </section>
          ))}
        </>
      ) : null}
      <CertificateSection
        certificates={view.certificates.map((certificate) => certificateView(certificate, '', locale))}
        locale={locale}
      />
      <ConsentSection
        locale={locale}
        purposes={view.purposes}
        action={`${path}/persetujuan`}
        csrf={csrf}
        hide={view.purposes.matching_contact ? [] : ['matching_contact']}
      />
      <h2>{tr('Data dan permintaan Anda', 'Your data and request')}</h2>
      {OPEN_STATUSES.includes(request.status) ? (
        <form method="post" action={`${path}/batal`}>
          <Hidden csrf={csrf} />
          <button type="submit" class="alt">
            {tr('Batalkan permintaan', 'Cancel the request')}
          </button>
        </form>
      ) : null}
      <p>
        <a class="btn alt" href={`${path}/unduh${query}`}>
          {tr('Unduh data saya (JSON)', 'Download my data (JSON)')}
        </a>
        <a class="btn alt" href={`${path}/hapus${query}`}>
          {tr('Hapus data saya', 'Delete my data')}
        </a>
      </p>
      <h2>{tr('Tautan pelacakan', 'Tracking link')}</h2>
      <p>
        {tr(
          'Kalau tautan pelacakan Anda terbagi ke orang lain, buat tautan baru: tautan lama langsung berhenti bekerja.',
          'If your tracking link reached someone else, make a new one: the old link stops working at once.',
        )}
      </p>
      <form method="post" action={`${path}/tautan-baru`}>
        <Hidden csrf={csrf} />
        <button type="submit" class="alt">
          {tr('Buat tautan baru', 'Make a new link')}
        </button>
      </form>
    </Layout>
  )
}

function Message({ locale, title, text }: { locale: Locale; title: string; text: string }) {
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p>{text}</p>
    </Layout>
  )
}

export interface TrackingDependencies {
  store: Store
  clock?: Clock | undefined
  /** Opens the page from links in messages (docs/contract/channels.md#links-in-messages). */
  messageLinks?: MessageLinks | undefined
}

/**
 * `/lacak/{id}`: the owner's page, and its actions (cancel, rate, export, erase, a new link). The link
 * people get (`/lacak/{id}?token=…`) is exchanged on first visit for an HttpOnly `__Host-` cookie of
 * that request and a 303 to the clean URL, so the token leaves the address bar, the history and any
 * `Referer` at once; every later page and post reads the cookie. A message's link
 * (`/lacak/{id}?token=<link token>`, `pages/message-link.tsx`) enters the same way and its cookie lives
 * until the link expires; one that opens nothing any more gets a page pointing to link recovery.
 * Pages are `no-store` and `no-referrer`, and nothing here logs the token.
 */
export function trackingPages(deps: TrackingDependencies) {
  const clock = deps.clock ?? systemClock
  const app = new Hono<AppEnv>()
  app.use('/lacak/*', async (c, next) => {
    await next()
    privatePage(c)
  })

  const idOf = (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? ''
    if (!ID.test(id)) throw new NotFoundError('No such request')
    return id
  }
  const tokenOf = (token: string | null | undefined) => {
    if (!token || token.length > 64) throw new NotFoundError('No such request for this token')
    return token
  }
  /** What a credential (a link's token or this browser's cookie) opens the request with. */
  const keyOf = (id: string, credential: string) =>
    privateKeyOf(deps.messageLinks, 'request', id, credential, clock.now())
  /**
   * The key this browser holds for the request (its cookie); none is a 404, as a wrong one is. A
   * message link's cookie outlives its link only by the clock's drift: that too is a 404 here.
   */
  const held = (c: Context<AppEnv>, id: string): PrivateKey => {
    try {
      return keyOf(id, tokenOf(heldToken(c, id)))
    } catch (error) {
      if (error instanceof LinkEndedError) throw new NotFoundError('No such request for this token')
      throw error
    }
  }
  const render = async (
    c: Context<AppEnv>,
    locale: Locale,
    id: string,
    token: PrivateKey,
    extra: {
      notice?: string
      newLink?: string
      errors?: { session: string; errors: FieldErrors }
    } = {},
  ) => {
    const view = await actingAs({ kind: 'anonymous' }, locale, () =>
      ownerView(deps.store, id, token, clock.now()),
    )
    return c.html(
      <TrackingPage locale={locale} view={view} csrf={csrfToken(c)} {...extra} />,
      extra.errors ? 400 : 200,
    )
  }

  app.get('/lacak/:id', async (c) => {
    const locale = pageLocale(c)
    const id = idOf(c)
    const sent = c.req.query('token')
    const credential = sent ?? heldToken(c, id)
    try {
      if (sent === undefined) return await render(c, locale, id, keyOf(id, tokenOf(credential)))
      // The link's token, proven once, becomes the request's cookie; the address bar loses it.
      const token = tokenOf(sent)
      const key = keyOf(id, token)
      await actingAs({ kind: 'anonymous' }, locale, () => readRequest(deps.store, id, key))
      keepToken(c, id, token, cookieSeconds(key, clock.now(), TRACKING_COOKIE_SECONDS))
      return c.redirect(`/lacak/${id}${c.req.query('lang') === 'en' ? '?lang=en' : ''}`, 303)
    } catch (error) {
      // A message's link that opens nothing (expired, or its private link changed): where to get a new one.
      const ended = linkEndedBy(error, credential)
      if (!ended) throw error
      if (sent === undefined) forgetToken(c, id)
      return linkEndedPage(c, locale, ended)
    }
  })

  app.get('/lacak/:id/unduh', async (c) => {
    const id = idOf(c)
    const data = await exportRequest(deps.store, id, held(c, id), clock.now())
    c.header('content-disposition', `attachment; filename="pendamping-${id}.json"`)
    return c.json(data)
  })

  app.post('/lacak/:id/batal', async (c) => {
    const locale = pageLocale(c)
    await readCheckedForm(c)
    const id = idOf(c)
    const token = held(c, id)
    await actingAs({ kind: 'anonymous' }, locale, () => cancelRequest(deps.store, clock, id, token))
    return render(c, locale, id, token, {
      notice: translator(locale)('Permintaan Anda sudah dibatalkan.', 'Your request is cancelled.'),
    })
  })

  app.post('/lacak/:id/nilai', async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    const fields = await readCheckedForm(c)
    const id = idOf(c)
    const token = held(c, id)
    const sessionId = fields.get('session') ?? ''
    if (!ID.test(sessionId)) throw new NotFoundError('No such session')
    const input = new URLSearchParams()
    for (const name of ['rating', 'comment']) {
      const value = fields.get(name)
      if (value !== null) input.set(name, value)
    }
    const checked = checkForm(FeedbackInput, input, locale, {
      rating: tr('Pilih nilai 1 sampai 5.', 'Choose 1 to 5.'),
    })
    if (checked.errors)
      return render(c, locale, id, token, { errors: { session: sessionId, errors: checked.errors } })
    try {
      await actingAs({ kind: 'anonymous' }, locale, () =>
        giveFeedback(deps.store, clock, sessionId, checked.data, { token }),
      )
    } catch (error) {
      if (error instanceof ValidationError)
        return render(c, locale, id, token, {
          errors: { session: sessionId, errors: messagesOf(error.issues, locale) },
        })
      throw error
    }
    return render(c, locale, id, token, {
      notice: tr('Terima kasih atas penilaian Anda.', 'Thank you for your rating.'),
    })
  })

  app.get('/lacak/:id/hapus', async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    const id = idOf(c)
    const token = held(c, id)
    // Proves the token before asking: a wrong one sees the same 404 as everywhere.
    await readRequest(deps.store, id, token)
    const title = tr('Hapus data saya?', 'Delete my data?')
    return c.html(
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        <p>
          {tr(
            'Nama usaha, nama pemilik, nomor HP, email dan cerita Anda akan dihapus untuk selamanya. Permintaan yang masih berjalan dibatalkan, dan tautan pelacakan ini berhenti bekerja. Yang tersisa hanya fakta tanpa nama untuk statistik program.',
            'Your business name, your name, phone, email and description are deleted for good. A request still open is cancelled, and this tracking link stops working. Only anonymous facts remain, for the program’s statistics.',
          )}
        </p>
        <form method="post" action={`/lacak/${id}/hapus`}>
          <Hidden csrf={csrfToken(c)} />
          <button type="submit" class="danger">
            {tr('Ya, hapus data saya', 'Yes, delete my data')}
          </button>
          <a class="btn alt" href={`/lacak/${id}${locale === 'en' ? '?lang=en' : ''}`}>
            {tr('Tidak, kembali', 'No, go back')}
          </a>
        </form>
      </Layout>,
    )
  })

  app.post('/lacak/:id/hapus', async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    await readCheckedForm(c)
    const id = idOf(c)
    const token = held(c, id)
    await actingAs({ kind: 'anonymous' }, locale, () => eraseRequest(deps.store, clock, id, token))
    forgetToken(c, id)
    return c.html(
      <Message
        locale={locale}
        title={tr('Data Anda sudah dihapus', 'Your data is deleted')}
        text={tr(
          'Data pribadi Anda sudah dihapus dan tautan pelacakan tidak berlaku lagi. Anda selalu boleh mengajukan permintaan baru.',
          'Your personal data is deleted and the tracking link no longer works. You are always welcome to ask again.',
        )}
      />,
    )
  })

  // One purpose withdrawn or given (UU PDP): the same core function as `POST /v1/requests/{id}/consent`.
  app.post('/lacak/:id/persetujuan', async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    const fields = await readCheckedForm(c)
    const id = idOf(c)
    const token = held(c, id)
    const input = consentForm(fields)
    await actingAs({ kind: 'anonymous' }, locale, () =>
      changeRequestConsent(deps.store, clock, id, token, input),
    )
    return render(c, locale, id, token, {
      notice: input.given
        ? tr('Persetujuan Anda sudah dicatat.', 'Your consent is recorded.')
        : tr('Persetujuan Anda sudah ditarik.', 'Your consent is withdrawn.'),
    })
  })

  // A new link: the old token stops working at once; this browser keeps the new one in its cookie.
  app.post('/lacak/:id/tautan-baru', async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    await readCheckedForm(c)
    const id = idOf(c)
    const rotated = await actingAs({ kind: 'anonymous' }, locale, () =>
      rotateTrackingToken(deps.store, clock, id, held(c, id)),
    )
    keepToken(c, id, rotated.trackingToken)
    const origin = new URL(c.req.url).origin
    return render(c, locale, id, rotated.trackingToken, {
      notice: tr('Tautan pelacakan baru sudah dibuat.', 'A new tracking link is made.'),
      newLink: `${origin}/lacak/${id}?token=${rotated.trackingToken}${locale === 'en' ? '&lang=en' : ''}`,
    })
  })
  return app
}
