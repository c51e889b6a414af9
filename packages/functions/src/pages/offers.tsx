import { visibleTo } from '@pendamping/core/account'
import type { AccountActor } from '@pendamping/core/auth'
import { SECTOR_LABELS, SIZE_CLASS_LABELS } from '@pendamping/core/business'
import { getEngagement } from '@pendamping/core/engagement'
import { ConflictError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import { ID_PATTERN as ID } from '@pendamping/core/id'
import { currentMentorId } from '@pendamping/core/mentor'
import {
  acceptOffer,
  DECLINE_REASONS,
  DeclineInput,
  declineOffer,
  getOffer,
  listOffersOfMentor,
  type OfferItem,
} from '@pendamping/core/offer'
import { eraseOwnMentorData } from '@pendamping/core/privacy'
import { regionName } from '@pendamping/core/region'
import { getRequest } from '@pendamping/core/request'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { formatLocal, isTimeZone } from '@pendamping/core/time'
import { topicLabel } from '@pendamping/core/topic'
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { toProblem } from '../api/problem.ts'
import { LANGUAGE_LABELS, pageLocale, privatePage } from './common.ts'
import { checkForm, type FieldErrors, Select } from './fields.tsx'
import { Layout, type Tr, translator } from './layout.tsx'
import { actingAs, CSRF_FIELD, csrfToken, readCheckedForm } from './security.ts'
import { endSession, type SessionDependencies, signedIn } from './session.ts'

const REASONS: Record<(typeof DECLINE_REASONS)[number], { id: string; en: string }> = {
  no_time: { id: 'Sedang tidak ada waktu', en: 'No time now' },
  topic_mismatch: { id: 'Kebutuhannya di luar keahlian saya', en: 'The needs are outside my skills' },
  too_far: { id: 'Terlalu jauh untuk tatap muka', en: 'Too far to meet in person' },
  language: { id: 'Kendala bahasa', en: 'Language' },
  conflict_of_interest: { id: 'Konflik kepentingan', en: 'Conflict of interest' },
  other: { id: 'Alasan lain', en: 'Another reason' },
}

const OFFER_STATUS: Record<OfferItem['status'], { id: string; en: string }> = {
  open: { id: 'Menunggu jawaban Anda', en: 'Waiting for your answer' },
  accepted: { id: 'Anda menerima tawaran ini', en: 'You accepted this offer' },
  declined: { id: 'Anda menolak tawaran ini', en: 'You declined this offer' },
  expired: { id: 'Tawaran sudah kedaluwarsa', en: 'The offer expired' },
  withdrawn: { id: 'Tawaran ditarik', en: 'The offer was withdrawn' },
}

/** `Tersisa 47 jam 5 menit` until the deadline, or nothing once it passed. */
function timeLeft(tr: Tr, validUntil: string, now: Date): string | undefined {
  const minutes = Math.floor((Date.parse(validUntil) - now.getTime()) / 60_000)
  if (minutes <= 0) return undefined
  const hours = Math.floor(minutes / 60)
  return tr(`Tersisa ${hours} jam ${minutes % 60} menit`, `${hours} h ${minutes % 60} min left`)
}

interface OwnerContact {
  business: string
  owner: string
  phone: string
  email: string | null
}

function OfferPage(props: {
  locale: Locale
  offer: OfferItem
  now: Date
  csrf: string
  contact?: OwnerContact | undefined
  notice?: { ok: boolean; text: string } | undefined
  errors?: FieldErrors
}) {
  const { locale, offer, now } = props
  const tr = translator(locale)
  const request = offer.request
  const zone = isTimeZone(request.timeZone) ? request.timeZone : 'Asia/Jakarta'
  const left = offer.status === 'open' ? timeLeft(tr, offer.validUntil, now) : undefined
  const title = tr('Tawaran pendampingan', 'Mentoring offer')
  const errors = props.errors ?? {}
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      {props.notice ? (
        <p class={props.notice.ok ? 'ok' : 'summary'} role="status" id="pemberitahuan">
          {props.notice.text}
        </p>
      ) : null}
      <p class="note" id="status">
        {OFFER_STATUS[offer.status][locale]}
        {left ? (
          <>
            <br />
            <strong id="sisa-waktu">{left}</strong> ({tr('sampai ', 'until ')}
            {formatLocal(offer.validUntil, zone, locale)})
          </>
        ) : null}
      </p>
      <h2>{tr('Yang dibutuhkan', 'What they need')}</h2>
      <ul class="plain" id="kebutuhan">
        {request.needs.map((need) => (
          <li>{topicLabel(need, locale)}</li>
        ))}
      </ul>
      <dl>
        <dt>{tr('Bidang usaha', 'Line of business')}</dt>
        <dd>{SECTOR_LABELS[request.sector as keyof typeof SECTOR_LABELS]?.[locale] ?? request.sector}</dd>
        <dt>{tr('Besar usaha', 'Size')}</dt>
        <dd>{SIZE_CLASS_LABELS[request.sizeClass][locale]}</dd>
        <dt>{tr('Lokasi', 'Location')}</dt>
        <dd>{regionName(request.region) ?? request.region}</dd>
        <dt>{tr('Cara', 'Mode')}</dt>
        <dd>
          {request.mode === 'online'
            ? tr('Online', 'Online')
            : request.mode === 'offline'
              ? tr('Tatap muka', 'In person')
              : tr('Online atau tatap muka', 'Online or in person')}
        </dd>
        <dt>{tr('Bahasa', 'Languages')}</dt>
        <dd>{request.languages.map((code) => LANGUAGE_LABELS[code]?.[locale] ?? code).join(', ')}</dd>
      </dl>
      {props.contact ? (
        <>
          <h2>{tr('Kontak pemilik usaha', 'The owner’s contact')}</h2>
          <p id="kontak">
            {props.contact.business} — {props.contact.owner}
            <br />
            WhatsApp:{' '}
            <a href={`https://wa.me/${props.contact.phone.replace(/\D/g, '')}`} rel="noopener noreferrer">
              {props.contact.phone}
            </a>
            {props.contact.email ? (
              <>
                <br />
                Email: <a href={`mailto:${props.contact.email}`}>{props.contact.email}</a>
              </>
            ) : null}
          </p>
        </>
      ) : offer.status === 'open' ? (
        <p class="hint">
          {tr(
            'Nama dan kontak pemilik usaha ditampilkan setelah Anda menerima tawaran.',
            'The owner’s name and contact are shown once you accept.',
          )}
        </p>
      ) : null}
      {offer.status === 'open' && left ? (
        <>
          <form method="post" action={`/tawaran/${offer.id}/terima`}>
            <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
            <button type="submit">{tr('Terima tawaran', 'Accept the offer')}</button>
          </form>
          <h2>{tr('Tidak bisa?', 'Can’t take it?')}</h2>
          <form method="post" action={`/tawaran/${offer.id}/tolak`}>
            <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
            <Select
              name="reason"
              label={tr('Alasan menolak', 'Reason to decline')}
              placeholder={tr('— Pilih alasan —', '— Choose a reason —')}
              options={DECLINE_REASONS.map((reason) => [reason, REASONS[reason][locale]] as const)}
              value=""
              error={errors.reason}
            />
            <label for="f-note">{tr('Catatan (boleh dikosongkan)', 'Note (optional)')}</label>
            <textarea id="f-note" name="note" rows={2} />
            <button type="submit" class="alt">
              {tr('Tolak tawaran', 'Decline the offer')}
            </button>
          </form>
        </>
      ) : null}
      <p>
        <a href="/tawaran">{tr('Semua tawaran saya', 'All my offers')}</a>
      </p>
    </Layout>
  )
}

export interface OfferPageDependencies extends SessionDependencies {
  store: Store
  clock?: Clock | undefined
}

/**
 * Mentor pages: `/tawaran` (open offers) and `/tawaran/{id}` with accept and decline, running core as
 * the mentor signed in through `/masuk` (the session cookie, `session.ts`).
 */
export function offerPages(deps: OfferPageDependencies) {
  const clock = deps.clock ?? systemClock
  const app = new Hono<AppEnv>()
  app.use('/tawaran/*', async (c, next) => {
    await next()
    privatePage(c)
  })

  /** The signed-in mentor, or a redirect to `/masuk` that comes back here. */
  const mentorOf = async (c: Context<AppEnv>): Promise<AccountActor | Response> => {
    const mentor = await signedIn(c, deps, ['mentor'])
    if (mentor) return mentor
    return c.redirect(`/masuk?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303)
  }

  const show = async (
    c: Context<AppEnv>,
    mentor: AccountActor,
    id: string,
    extra: { notice?: { ok: boolean; text: string }; errors?: FieldErrors } = {},
  ) => {
    const locale = pageLocale(c)
    const offer = visibleTo(mentor, await getOffer(deps.store, id), 'offer', true)
    let contact: OwnerContact | undefined
    // Contact details only while this mentor holds the request: accepted, and the engagement still active
    // (not once they were suspended and it went to staff, was reassigned, or ended).
    const engagement =
      offer.status === 'accepted' && offer.engagementId
        ? await getEngagement(deps.store, offer.engagementId)
        : undefined
    if (engagement?.status === 'active') {
      const request = await getRequest(deps.store, offer.requestId)
      if (request?.business)
        contact = {
          business: request.business.name,
          owner: request.business.ownerName,
          phone: request.business.phone,
          email: request.business.email,
        }
    }
    return c.html(
      <OfferPage
        locale={locale}
        offer={offer}
        now={clock.now()}
        csrf={csrfToken(c)}
        contact={contact}
        {...extra}
      />,
      extra.errors ? 400 : 200,
    )
  }

  app.get('/tawaran', async (c) => {
    const mentor = await mentorOf(c)
    if (mentor instanceof Response) return mentor
    const locale = pageLocale(c)
    const tr = translator(locale)
    const page = await actingAs(mentor, locale, async () =>
      listOffersOfMentor(deps.store, await currentMentorId(deps.store), { limit: 20, status: 'open' }),
    )
    const now = clock.now()
    const title = tr('Tawaran untuk Anda', 'Offers for you')
    return c.html(
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        {page.items.length === 0 ? (
          <p>{tr('Belum ada tawaran yang terbuka.', 'No open offers yet.')}</p>
        ) : (
          <ul class="plain" id="tawaran">
            {page.items.map((offer) => (
              <li>
                <a href={`/tawaran/${offer.id}`}>
                  {offer.request.needs.map((need) => topicLabel(need, locale)).join(', ')} —{' '}
                  {regionName(offer.request.region) ?? offer.request.region}
                </a>{' '}
                ({timeLeft(tr, offer.expiresAt, now) ?? tr('kedaluwarsa', 'expired')})
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/keluar">
          <input type="hidden" name={CSRF_FIELD} value={csrfToken(c)} />
          <button type="submit" class="alt">
            {tr('Keluar', 'Sign out')}
          </button>
        </form>
        <p>
          <a href="/tawaran/hapus-data">{tr('Hapus data saya', 'Erase my data')}</a>
        </p>
      </Layout>,
    )
  })

  // A mentor erases their own data (UU PDP; docs/contract/data-protection.md#mentors): asked once,
  // with a checkbox, then the same core function as `DELETE /v1/me/data`; the page session ends.
  const EraseAsk = (props: { c: Context<AppEnv>; error?: boolean }) => {
    const locale = pageLocale(props.c)
    const tr = translator(locale)
    const title = tr('Hapus data saya?', 'Erase my data?')
    return (
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        <p>
          {tr(
            'Profil, nama, email, nomor HP dan bio Anda dihapus untuk selamanya dan akun Anda berhenti bekerja. Tawaran yang masih terbuka ditarik, usaha yang sedang Anda dampingi dialihkan ke mentor lain (pemiliknya diberi tahu, sesi terjadwal dibatalkan), dan sertifikat Anda dicabut. Catatan sesi yang Anda tulis tetap menjadi riwayat usaha tersebut; nilai dari pemilik tersisa sebagai angka tanpa nama.',
            'Your profile, name, e-mail, phone and bio are erased for good and your account stops working. Open offers are withdrawn, the businesses you mentor go to another mentor (their owners are told, scheduled sessions cancelled), and your certificates are revoked. Session notes you wrote stay as the business’s history; owners’ ratings stay as anonymous numbers.',
          )}
        </p>
        <form method="post" action="/tawaran/hapus-data">
          <input type="hidden" name={CSRF_FIELD} value={csrfToken(props.c)} />
          <p>
            <label>
              <input type="checkbox" name="confirm" value="erase" required />{' '}
              {tr('Saya mengerti: ini tidak bisa dibatalkan', 'I understand: this cannot be undone')}
            </label>
          </p>
          {props.error ? (
            <p class="summary" role="alert">
              {tr('Centang konfirmasi dulu.', 'Tick the confirmation first.')}
            </p>
          ) : null}
          <button type="submit" class="danger">
            {tr('Hapus data saya', 'Erase my data')}
          </button>{' '}
          <a class="btn alt" href="/tawaran">
            {tr('Tidak, kembali', 'No, go back')}
          </a>
        </form>
      </Layout>
    )
  }

  app.get('/tawaran/hapus-data', async (c) => {
    const mentor = await mentorOf(c)
    if (mentor instanceof Response) return mentor
    return c.html(<EraseAsk c={c} />)
  })

  app.post('/tawaran/hapus-data', async (c) => {
    const fields = await readCheckedForm(c)
    const mentor = await mentorOf(c)
    if (mentor instanceof Response) return mentor
    if (fields.get('confirm') !== 'erase') return c.html(<EraseAsk c={c} error />, 400)
    const locale = pageLocale(c)
    const tr = translator(locale)
    await actingAs(mentor, locale, () => eraseOwnMentorData(deps.store, clock))
    endSession(c)
    const title = tr('Data Anda sudah dihapus', 'Your data is erased')
    return c.html(
      <Layout locale={locale} title={title}>
        <h1>{title}</h1>
        <p>
          {tr(
            'Terima kasih sudah mendampingi UMKM. Akun Anda sudah ditutup.',
            'Thank you for mentoring small businesses. Your account is closed.',
          )}
        </p>
      </Layout>,
    )
  })

  app.get('/tawaran/:id', async (c) => {
    const mentor = await mentorOf(c)
    if (mentor instanceof Response) return mentor
    const id = c.req.param('id')
    return show(c, mentor, ID.test(id) ? id : '-')
  })

  app.post('/tawaran/:id/terima', async (c) => {
    await readCheckedForm(c)
    const mentor = await mentorOf(c)
    if (mentor instanceof Response) return mentor
    const locale = pageLocale(c)
    const tr = translator(locale)
    const id = c.req.param('id')
    try {
      await actingAs(mentor, locale, () => acceptOffer(deps.store, clock, id))
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      const problem = toProblem(error, locale)
      return show(c, mentor, id, { notice: { ok: false, text: `${problem.title}. ${problem.detail}` } })
    }
    return show(c, mentor, id, {
      notice: {
        ok: true,
        text: tr(
          'Anda menerima tawaran ini. Hubungi pemilik usaha sekarang.',
          'You accepted. Contact the owner now.',
        ),
      },
    })
  })

  app.post('/tawaran/:id/tolak', async (c) => {
    const fields = await readCheckedForm(c)
    const mentor = await mentorOf(c)
    if (mentor instanceof Response) return mentor
    const locale = pageLocale(c)
    const tr = translator(locale)
    const id = c.req.param('id')
    const checked = checkForm(DeclineInput, fields, locale, {
      reason: tr('Pilih alasan menolak.', 'Choose a reason.'),
    })
    if (checked.errors) return show(c, mentor, id, { errors: checked.errors })
    try {
      await actingAs(mentor, locale, () => declineOffer(deps.store, clock, id, checked.data))
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      const problem = toProblem(error, locale)
      return show(c, mentor, id, { notice: { ok: false, text: `${problem.title}. ${problem.detail}` } })
    }
    return show(c, mentor, id, {
      notice: {
        ok: true,
        text: tr('Tawaran ditolak. Terima kasih sudah menjawab.', 'Declined. Thank you for answering.'),
      },
    })
  })
  return app
}
