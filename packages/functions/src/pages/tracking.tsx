import { NotFoundError, ValidationError } from '@pendamping/core/errors/index'
import { FeedbackInput, getFeedback, giveFeedback } from '@pendamping/core/feedback/index'
import type { Locale } from '@pendamping/core/i18n/index'
import { getMentor } from '@pendamping/core/mentor/index'
import { getAcceptance } from '@pendamping/core/offer/index'
import { regionName } from '@pendamping/core/region/index'
import {
  cancelRequest,
  eraseRequest,
  exportRequest,
  type Info,
  OPEN_STATUSES,
  type RequestStatus,
  readRequest,
} from '@pendamping/core/request/index'
import { listSessionsOfRequest, type Info as SessionInfo } from '@pendamping/core/session/index'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { topicLabel } from '@pendamping/core/topic/index'
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { pageLocale, privatePage } from './common.ts'
import { checkForm, type FieldErrors, fieldId, messagesOf } from './fields.tsx'
import { Layout, type Tr, translator } from './layout.tsx'
import { actingAs, CSRF_FIELD, csrfToken, readCheckedForm } from './security.ts'

const ID = /^[A-Za-z0-9_-]{1,64}$/

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
}

/**
 * What the owner's page shows. The token is checked by `readRequest` first (a wrong one is a 404);
 * only then are the mentor (through the request's acceptance marker) and sessions read.
 */
async function ownerView(store: Store, id: string, token: string, now: Date): Promise<OwnerView> {
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
  return {
    request,
    mentor,
    upcoming: sessions.filter((s) => s.status === 'scheduled' && s.endsAt > now.toISOString()),
    completed: done.map((session, index) => ({ session, rating: ratings[index]?.rating })),
  }
}

function Hidden({ csrf, token }: { csrf: string; token: string }) {
  return (
    <>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="token" value={token} />
    </>
  )
}

function RatingForm(props: {
  tr: Tr
  path: string
  csrf: string
  token: string
  session: SessionInfo
  errors: FieldErrors
}) {
  const { tr, session, errors } = props
  const id = `nilai-${session.id}`
  return (
    <form method="post" action={`${props.path}/nilai`}>
      <Hidden csrf={props.csrf} token={props.token} />
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
  token: string
  csrf: string
  notice?: string | undefined
  errors?: { session: string; errors: FieldErrors } | undefined
}) {
  const { locale, view, token, csrf } = props
  const tr = translator(locale)
  const { request } = view
  const path = `/lacak/${request.id}`
  const query = `?token=${encodeURIComponent(token)}${locale === 'en' ? '&lang=en' : ''}`
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
                  token={token}
                  session={done}
                  errors={props.errors?.session === done.id ? props.errors.errors : {}}
                />
              )}
            </section>
          ))}
        </>
      ) : null}
      <h2>{tr('Data dan permintaan Anda', 'Your data and request')}</h2>
      {OPEN_STATUSES.includes(request.status) ? (
        <form method="post" action={`${path}/batal`}>
          <Hidden csrf={csrf} token={token} />
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
}

/**
 * `/lacak/{id}?token=…`: the owner's page, and its actions (cancel, rate, export, erase). The token
 * travels in the query on the link and in a hidden field on posts; pages are `no-store` and
 * `no-referrer`, and nothing here logs it.
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
  const render = async (
    c: Context<AppEnv>,
    locale: Locale,
    id: string,
    token: string,
    extra: { notice?: string; errors?: { session: string; errors: FieldErrors } } = {},
  ) => {
    const view = await actingAs({ kind: 'anonymous' }, locale, () =>
      ownerView(deps.store, id, token, clock.now()),
    )
    return c.html(
      <TrackingPage locale={locale} view={view} token={token} csrf={csrfToken(c)} {...extra} />,
      extra.errors ? 400 : 200,
    )
  }

  app.get('/lacak/:id', (c) => render(c, pageLocale(c), idOf(c), tokenOf(c.req.query('token'))))

  app.get('/lacak/:id/unduh', async (c) => {
    const id = idOf(c)
    const data = await exportRequest(deps.store, id, tokenOf(c.req.query('token')), clock.now())
    c.header('content-disposition', `attachment; filename="pendamping-${id}.json"`)
    return c.json(data)
  })

  app.post('/lacak/:id/batal', async (c) => {
    const locale = pageLocale(c)
    const fields = await readCheckedForm(c)
    const id = idOf(c)
    const token = tokenOf(fields.get('token'))
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
    const token = tokenOf(fields.get('token'))
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
    const token = tokenOf(c.req.query('token'))
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
          <Hidden csrf={csrfToken(c)} token={token} />
          <button type="submit" class="danger">
            {tr('Ya, hapus data saya', 'Yes, delete my data')}
          </button>
          <a class="btn alt" href={`/lacak/${id}?token=${encodeURIComponent(token)}`}>
            {tr('Tidak, kembali', 'No, go back')}
          </a>
        </form>
      </Layout>,
    )
  })

  app.post('/lacak/:id/hapus', async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    const fields = await readCheckedForm(c)
    const id = idOf(c)
    const token = tokenOf(fields.get('token'))
    await actingAs({ kind: 'anonymous' }, locale, () => eraseRequest(deps.store, clock, id, token))
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
  return app
}
