import { SECTOR_LABELS, SECTORS, SIZE_CLASSES } from '@pendamping/core/business'
import { NotFoundError, ValidationError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import { ID_PATTERN, newId } from '@pendamping/core/id'
import {
  answerOnce,
  IDEMPOTENCY_KEY_PATTERN,
  IdempotencyKeyReusedError,
  idempotencyClaim,
} from '@pendamping/core/idempotency'
import { type PublicProgram, readOpenProgram } from '@pendamping/core/program'
import type { RateLimits } from '@pendamping/core/ratelimit'
import { type CHANNELS, MODES, NewRequest, type Submitted, submitRequest } from '@pendamping/core/request'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { isTopic, TOPIC_LABELS, TOPICS, topicLabel } from '@pendamping/core/topic'
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { spendPhoneQuota } from '../api/middleware/rate-limit.ts'
import { ChannelChoice } from './channel.tsx'
import { availabilityFields, PRIVACY_VERSION, privatePage } from './common.ts'
import {
  AvailabilityChoices,
  Choices,
  ConsentField,
  checkForm,
  ErrorSummary,
  errorAt,
  type FieldErrors,
  fieldId,
  LanguageChoices,
  messagesOf,
  Select,
  TextField,
  Typed,
} from './fields.tsx'
import { Layout, translator } from './layout.tsx'
import { PROGRAMS, whereLabel } from './programs.tsx'
import { PICK_PROVINCE, RegionPicker } from './region-picker.tsx'
import { actingAs, CSRF_FIELD, csrfToken, readCheckedForm } from './security.ts'

const PATHS: Record<Locale, string> = { id: '/minta-pendampingan', en: '/en/request' }

const CHANNEL_CHOICES = [
  'whatsapp',
  'instagram',
  'facebook',
  'tiktok',
  'shopee',
  'tokopedia',
  'gofood',
  'offline_store',
  'website',
] as const satisfies ReadonlyArray<(typeof CHANNELS)[number]>

const CHANNEL_LABELS: Record<(typeof CHANNEL_CHOICES)[number], string> = {
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
  facebook: 'Facebook',
  tiktok: 'TikTok',
  shopee: 'Shopee',
  tokopedia: 'Tokopedia',
  gofood: 'GoFood',
  offline_store: 'Toko / lapak / offline store',
  website: 'Website',
}

function labelsOf(locale: Locale): Record<string, string> {
  const tr = translator(locale)
  return {
    'business.name': tr('Nama usaha', 'Business name'),
    'business.ownerName': tr('Nama pemilik', 'Owner’s name'),
    'business.phone': tr('Nomor HP / WhatsApp', 'Mobile / WhatsApp number'),
    'business.email': tr('Email', 'Email'),
    'business.channel': tr('Kabari saya lewat', 'Send me news by'),
    'business.region': tr('Kabupaten/kota', 'Regency/city'),
    'business.sector': tr('Bidang usaha', 'Line of business'),
    'business.sizeClass': tr('Besar usaha', 'Business size'),
    'business.currentChannels': tr('Tempat jualan sekarang', 'Where you sell now'),
    needs: tr('Bantuan yang dibutuhkan', 'Help you need'),
    description: tr('Ceritakan usaha dan kebutuhan Anda', 'Tell us about your business and needs'),
    mode: tr('Cara pendampingan', 'How to meet'),
    languages: tr('Bahasa', 'Languages'),
    availability: tr('Waktu yang cocok', 'Times that suit you'),
    'consent.accepted': tr('Persetujuan', 'Consent'),
    programId: tr('Program', 'Program'),
    segment: tr('Segmen peserta', 'Participant group'),
  }
}

function plainMessages(locale: Locale): Record<string, string> {
  const tr = translator(locale)
  return {
    needs: tr('Pilih paling sedikit satu bantuan (paling banyak 5).', 'Choose at least one (at most 5).'),
    mode: tr('Pilih salah satu cara pendampingan.', 'Choose one way to meet.'),
    languages: tr('Pilih paling sedikit satu bahasa.', 'Choose at least one language.'),
    availability: tr(
      'Pilih paling sedikit satu hari dan satu waktu.',
      'Choose at least one day and one time.',
    ),
    'business.region': tr(
      'Pilih kabupaten/kota tempat usaha Anda.',
      'Choose the regency/city of your business.',
    ),
    'business.sector': tr('Pilih bidang usaha.', 'Choose a line of business.'),
    'business.sizeClass': tr('Pilih besar usaha.', 'Choose the business size.'),
    segment: tr('Pilih segmen peserta program.', 'Choose the program’s participant group.'),
  }
}

interface FormProps {
  locale: Locale
  csrf: string
  typed: Typed
  errors: FieldErrors
  focusCity?: boolean
  /** The open program the request joins (`?program=<id>`), with its segments and seats left. */
  program?: PublicProgram | undefined
  /** A program was asked for that is not open (or not there): said above the form. */
  programMissing?: boolean
}

/** The program a request joins: which one, and its participant groups with the seats left in each. */
function ProgramChoice({
  locale,
  program,
  typed,
  errors,
}: {
  locale: Locale
  program: PublicProgram
  typed: Typed
  errors: FieldErrors
}) {
  const tr = translator(locale)
  const seats = (segment: PublicProgram['segments'][number]) =>
    segment.seatsLeft === undefined
      ? ''
      : segment.seatsLeft > 0
        ? tr(` — ${segment.seatsLeft} kursi tersisa`, ` — ${segment.seatsLeft} seats left`)
        : tr(' — penuh, Anda masuk daftar tunggu', ' — full, you join the waiting list')
  return (
    <>
      <h2>{tr('Program', 'Program')}</h2>
      <p class="note">
        <strong>{program.name}</strong> · {whereLabel(program.region, tr)}
        <br />
        <a href={PROGRAMS[locale]}>{tr('Pilih program lain', 'Choose another program')}</a>
        {' · '}
        <a href={PATHS[locale]}>{tr('Ajukan tanpa program', 'Ask without a program')}</a>
      </p>
      <input type="hidden" name="programId" value={program.id} />
      <Choices
        type="radio"
        name="segment"
        legend={tr('Segmen peserta', 'Participant group')}
        hint={tr('Kuota kursi program dibagi per segmen.', 'The program’s seats are shared out by group.')}
        options={program.segments.map(
          (segment) => [segment.segment, `${segment.segment}${seats(segment)}`] as const,
        )}
        chosen={typed.all('segment')}
        error={errorAt(errors, 'segment') ?? errorAt(errors, 'programId')}
      />
    </>
  )
}

/** The request form: the same fields as `POST /v1/requests`, in plain words. */
export function RequestForm({ locale, csrf, typed, errors, focusCity, program, programMissing }: FormProps) {
  const tr = translator(locale)
  const labels = labelsOf(locale)
  const sizeLabels: Record<string, string> = {
    mikro: tr('Mikro — omzet sampai Rp 2 miliar setahun', 'Micro — sales up to Rp 2 billion a year'),
    kecil: tr('Kecil — omzet Rp 2–15 miliar setahun', 'Small — sales Rp 2–15 billion a year'),
    menengah: tr('Menengah — omzet Rp 15–50 miliar setahun', 'Medium — sales Rp 15–50 billion a year'),
  }
  const modeLabels: Record<string, string> = {
    online: tr('Online (video call, WhatsApp)', 'Online (video call, WhatsApp)'),
    offline: tr('Tatap muka di kota saya', 'In person, in my city'),
    either: tr('Keduanya boleh', 'Either'),
  }
  const title = tr('Minta pendampingan pemasaran digital', 'Ask for a digital-marketing mentor')
  return (
    <Layout locale={locale} title={title} other={PATHS[locale === 'en' ? 'id' : 'en']}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Gratis untuk UMKM. Isi formulir ini; kami carikan mentor muda yang cocok dan kabari Anda lewat tautan pelacakan.',
          'Free for small businesses. Fill in this form; we find a young mentor who fits and keep you posted through a tracking link.',
        )}
      </p>
      {programMissing ? (
        <p class="note">
          {tr(
            'Program itu tidak ditemukan atau sudah tidak menerima permintaan. ',
            'That program was not found or no longer takes requests. ',
          )}
          <a href={PROGRAMS[locale]}>{tr('Lihat program yang buka', 'See the open programs')}</a>
        </p>
      ) : program ? null : (
        <p>
          {tr('Ikut program pemerintah daerah? ', 'Joining a government program? ')}
          <a href={PROGRAMS[locale]}>{tr('Lihat program yang buka', 'See the open programs')}</a>
        </p>
      )}
      <ErrorSummary
        errors={errors}
        labels={labels}
        title={tr('Ada isian yang perlu diperbaiki', 'Some answers need fixing')}
        anchors={{ availability: fieldId('days'), programId: fieldId('segment') }}
      />
      <form method="post" action={PATHS[locale]} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <input type="hidden" name={SUBMISSION_FIELD} value={typed.get(SUBMISSION_FIELD) || newId()} />
        <input type="hidden" name="consent.purposeVersion" value={PRIVACY_VERSION} />
        {program ? <ProgramChoice locale={locale} program={program} typed={typed} errors={errors} /> : null}
        <h2>{tr('Tentang usaha Anda', 'About your business')}</h2>
        <TextField
          name="business.name"
          label={labels['business.name'] ?? ''}
          value={typed.get('business.name')}
          error={errors['business.name']}
          autocomplete="organization"
          required
        />
        <TextField
          name="business.ownerName"
          label={labels['business.ownerName'] ?? ''}
          value={typed.get('business.ownerName')}
          error={errors['business.ownerName']}
          autocomplete="name"
          required
        />
        <TextField
          name="business.phone"
          type="tel"
          label={labels['business.phone'] ?? ''}
          hint={tr('Contoh: 0812 3456 7890', 'For example 0812 3456 7890')}
          value={typed.get('business.phone')}
          error={errors['business.phone']}
          autocomplete="tel"
          inputmode="tel"
          required
        />
        <TextField
          name="business.email"
          type="email"
          label={`${labels['business.email']} ${tr('(boleh dikosongkan)', '(optional)')}`}
          value={typed.get('business.email')}
          error={errors['business.email']}
          autocomplete="email"
        />
        <ChannelChoice tr={tr} name="business.channel" typed={typed} errors={errors} />
        <RegionPicker
          tr={tr}
          name="business.region"
          province={typed.get('province')}
          city={typed.get('business.region')}
          error={errorAt(errors, 'business.region')}
          focusCity={focusCity}
        />
        <Select
          name="business.sector"
          label={labels['business.sector'] ?? ''}
          placeholder={tr('— Pilih —', '— Choose —')}
          options={SECTORS.map((sector) => [sector, SECTOR_LABELS[sector][locale]] as const)}
          value={typed.get('business.sector')}
          error={errors['business.sector']}
        />
        <Select
          name="business.sizeClass"
          label={labels['business.sizeClass'] ?? ''}
          placeholder={tr('— Pilih —', '— Choose —')}
          options={SIZE_CLASSES.map((size) => [size, sizeLabels[size] ?? size] as const)}
          value={typed.get('business.sizeClass')}
          error={errorAt(errors, 'business.sizeClass') ?? errors['business.annualSales']}
        />
        <Choices
          type="checkbox"
          name="business.currentChannels"
          legend={`${labels['business.currentChannels']} ${tr('(boleh lebih dari satu)', '(any)')}`}
          options={CHANNEL_CHOICES.map((channel) => [channel, CHANNEL_LABELS[channel]] as const)}
          chosen={typed.all('business.currentChannels')}
          error={errorAt(errors, 'business.currentChannels')}
        />
        <h2>{tr('Bantuan yang Anda butuhkan', 'The help you need')}</h2>
        <Choices
          type="checkbox"
          name="needs"
          legend={labels.needs ?? ''}
          hint={tr('Pilih 1 sampai 5.', 'Choose 1 to 5.')}
          options={[
            ...TOPICS.map((topic) => [topic, TOPIC_LABELS[topic][locale]] as const),
            // A program's own topics, beside the standard ones.
            ...(program?.topics ?? [])
              .filter((topic) => !isTopic(topic))
              .map((topic) => [topic, topicLabel(topic, locale)] as const),
          ]}
          chosen={typed.all('needs')}
          error={errorAt(errors, 'needs')}
        />
        <TextField
          name="description"
          multiline
          label={labels.description ?? ''}
          hint={tr(
            'Misalnya: apa yang dijual, apa yang sudah dicoba, apa yang ingin dicapai.',
            'For example: what you sell, what you tried, what you want to achieve.',
          )}
          value={typed.get('description')}
          error={errors.description}
          required
        />
        <Choices
          type="radio"
          name="mode"
          legend={labels.mode ?? ''}
          options={MODES.map((mode) => [mode, modeLabels[mode] ?? mode] as const)}
          chosen={typed.all('mode')}
          error={errorAt(errors, 'mode')}
        />
        <LanguageChoices locale={locale} legend={labels.languages ?? ''} typed={typed} errors={errors} />
        <AvailabilityChoices
          locale={locale}
          legends={{
            days: tr('Hari yang cocok', 'Days that suit you'),
            windows: tr('Jam yang cocok', 'Hours that suit you'),
          }}
          typed={typed}
          errors={errors}
        />
        <h2>{tr('Persetujuan', 'Consent')}</h2>
        <ConsentField
          locale={locale}
          typed={typed}
          errors={errors}
          purpose={{
            id: 'Saya setuju data ini dipakai hanya untuk mencarikan dan menjalankan pendampingan usaha saya, sesuai ',
            en: 'I agree that this data is used only to find and run mentoring for my business, as the ',
          }}
        />
        <button type="submit">{tr('Kirim permintaan', 'Send request')}</button>
      </form>
    </Layout>
  )
}

/** The answer to a good submission: the tracking link, shown this once, and a WhatsApp share of it. */
export function SubmittedPage({
  locale,
  submitted,
  origin,
}: {
  locale: Locale
  submitted: Submitted
  origin: string
}) {
  const tr = translator(locale)
  const link = `${origin}/lacak/${submitted.id}?token=${submitted.trackingToken}${locale === 'en' ? '&lang=en' : ''}`
  const message = tr(
    `Tautan pelacakan pendampingan usaha saya di Pendamping (jangan dibagikan): ${link}`,
    `The tracking link of my mentoring request on Pendamping (keep it private): ${link}`,
  )
  const title = tr('Permintaan Anda sudah terkirim', 'Your request is sent')
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p class="ok">
        {submitted.status === 'waitlisted'
          ? tr(
              'Kuota program sedang penuh: Anda masuk daftar tunggu dan akan dapat tempat saat ada yang kosong.',
              'The program is full for now: you are on the waiting list and get a place when one frees up.',
            )
          : tr(
              'Kami sedang mencarikan mentor yang cocok. Biasanya hanya beberapa menit.',
              'We are finding a mentor who fits. It usually takes only minutes.',
            )}
      </p>
      <h2>{tr('Simpan tautan pelacakan Anda', 'Save your tracking link')}</h2>
      <p>
        {tr(
          'Dengan tautan ini Anda melihat mentor, jadwal sesi, memberi nilai, dan mengatur data Anda. Tautan ini hanya ditampilkan sekali; siapa pun yang memegangnya bisa melihat permintaan Anda.',
          'With this link you see your mentor and sessions, rate them and manage your data. It is shown only this once; anyone holding it can see your request.',
        )}
      </p>
      <p class="link" id="tautan">
        {link}
      </p>
      <p>
        <a class="btn" href={`https://wa.me/?text=${encodeURIComponent(message)}`} rel="noopener noreferrer">
          {tr('Kirim ke WhatsApp saya', 'Send to my WhatsApp')}
        </a>
        <a class="btn alt" href={link}>
          {tr('Buka halaman pelacakan', 'Open the tracking page')}
        </a>
      </p>
    </Layout>
  )
}

const DEFAULTS = 'languages=id'

/** A hidden field naming one filled-in form: posting it again (a reload, a double tap) submits once. */
const SUBMISSION_FIELD = 'submission'

/**
 * Submits a request at most once per filled-in form, by the API's `Idempotency-Key` protocol: the
 * form's submission id is the key, so a re-post replays the first answer (the same tracking link)
 * instead of taking a second seat. A form changed after it was sent is a new request.
 */
async function submitOnce(
  store: Store,
  clock: Clock,
  submission: string,
  data: NewRequest,
): Promise<Submitted> {
  if (!IDEMPOTENCY_KEY_PATTERN.test(submission)) return submitRequest(store, clock, data)
  const path = '/minta-pendampingan'
  const claim = idempotencyClaim({ who: 'public page', path, key: submission, body: JSON.stringify(data) })
  try {
    const outcome = await answerOnce(store, clock, claim, () =>
      submitRequest(store, clock, data, { idempotency: claim }),
    )
    return 'fresh' in outcome ? outcome.fresh : (outcome.replayed.body as Submitted)
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError) return submitRequest(store, clock, data)
    throw error
  }
}

/** The open program `id` names, for the form (one `Query`); `missing` when it is not open or not there. */
async function programOf(
  store: Store,
  clock: Clock,
  id: string | undefined,
): Promise<{ program?: PublicProgram; missing: boolean }> {
  if (!id) return { missing: false }
  if (!ID_PATTERN.test(id)) return { missing: true }
  try {
    return { program: await readOpenProgram(store, clock, id), missing: false }
  } catch (error) {
    if (error instanceof NotFoundError) return { missing: true }
    throw error
  }
}

export interface PageDependencies {
  store: Store
  clock?: Clock | undefined
  rateLimits?: RateLimits | false | undefined
}

/** `/minta-pendampingan` and `/en/request`: the form, its errors, and the submission. */
export function requestPages(deps: PageDependencies) {
  const clock = deps.clock ?? systemClock
  const app = new Hono<AppEnv>()
  for (const locale of ['id', 'en'] as const) {
    const show = async (c: Context<AppEnv>, typed: Typed, errors: FieldErrors, focusCity = false) => {
      // The program the form joins: `?program=` on the way in, the hidden `programId` after a post.
      const joining = await programOf(deps.store, clock, typed.get('programId') || c.req.query('program'))
      return c.html(
        <RequestForm
          locale={locale}
          csrf={csrfToken(c)}
          typed={typed}
          errors={errors}
          focusCity={focusCity}
          program={joining.program}
          programMissing={joining.missing}
        />,
        Object.keys(errors).length > 0 ? 400 : 200,
      )
    }
    app.get(PATHS[locale], (c) => show(c, new Typed(new URLSearchParams(DEFAULTS)), {}))
    app.post(PATHS[locale], async (c) => {
      const fields = await readCheckedForm(c)
      const typed = new Typed(new URLSearchParams(fields))
      const action = fields.get('action')
      fields.delete('action')
      const province = fields.get('province') ?? ''
      fields.delete('province')
      if (action === PICK_PROVINCE) {
        // A new province empties a city of another.
        if (!typed.get('business.region').startsWith(`${province}.`)) typed.params.delete('business.region')
        return show(c, typed, {}, true)
      }
      const submission = fields.get(SUBMISSION_FIELD) ?? ''
      fields.delete(SUBMISSION_FIELD)
      const checked = checkForm(NewRequest, availabilityFields(fields), locale, plainMessages(locale))
      if (checked.errors) return show(c, typed, checked.errors)
      await spendPhoneQuota(c, deps, checked.data.business.phone)
      try {
        const submitted = await actingAs({ kind: 'anonymous' }, locale, () =>
          submitOnce(deps.store, clock, submission, checked.data),
        )
        privatePage(c)
        return c.html(
          <SubmittedPage locale={locale} submitted={submitted} origin={new URL(c.req.url).origin} />,
        )
      } catch (error) {
        if (error instanceof ValidationError)
          return show(c, typed, messagesOf(error.issues, locale, plainMessages(locale)))
        throw error
      }
    })
  }
  return app
}
