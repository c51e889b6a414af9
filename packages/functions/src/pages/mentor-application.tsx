import { ValidationError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import { applyAsMentor, MentorApplication } from '@pendamping/core/mentor'
import type { RateLimits } from '@pendamping/core/ratelimit'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { TOPIC_LABELS, TOPICS } from '@pendamping/core/topic'
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { spendPhoneQuota } from '../api/middleware/rate-limit.ts'
import { availabilityFields, PRIVACY_VERSION, pageLocale } from './common.ts'
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
import { PICK_PROVINCE, RegionPicker } from './region-picker.tsx'
import { actingAs, CSRF_FIELD, csrfToken, readCheckedForm } from './security.ts'

const PATH = '/daftar-mentor'

function labelsOf(locale: Locale): Record<string, string> {
  const tr = translator(locale)
  return {
    name: tr('Nama lengkap', 'Full name'),
    email: 'Email',
    phone: tr('Nomor HP / WhatsApp', 'Mobile / WhatsApp number'),
    region: tr('Kabupaten/kota tempat tinggal', 'Home regency/city'),
    skills: tr('Keahlian', 'Skills'),
    modes: tr('Cara mendampingi', 'How you mentor'),
    languages: tr('Bahasa', 'Languages'),
    availability: tr('Waktu luang', 'When you are free'),
    capacity: tr('Paling banyak berapa UMKM sekaligus', 'Most businesses at once'),
    bio: tr('Tentang Anda', 'About you'),
    'consent.accepted': tr('Persetujuan', 'Consent'),
  }
}

function plainMessages(locale: Locale): Record<string, string> {
  const tr = translator(locale)
  return {
    skills: tr('Pilih tingkat untuk paling sedikit satu keahlian.', 'Give a level for at least one skill.'),
    modes: tr('Pilih paling sedikit satu cara.', 'Choose at least one way.'),
    languages: tr('Pilih paling sedikit satu bahasa.', 'Choose at least one language.'),
    availability: tr(
      'Pilih paling sedikit satu hari dan satu waktu.',
      'Choose at least one day and one time.',
    ),
    region: tr('Pilih kabupaten/kota tempat tinggal Anda.', 'Choose your home regency/city.'),
  }
}

/** Each topic's level select (`level.<topic>` = 1–3) becomes the schema's `skills[i][topic|level]`. */
function skillFields(fields: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams()
  let index = 0
  for (const [name, value] of fields) {
    if (!name.startsWith('level.')) {
      out.append(name, value)
      continue
    }
    if (value === '') continue
    out.append(`skills[${index}][topic]`, name.slice('level.'.length))
    out.append(`skills[${index}][level]`, value)
    index++
  }
  return out
}

function ApplicationForm(props: {
  locale: Locale
  csrf: string
  typed: Typed
  errors: FieldErrors
  focusCity?: boolean
}) {
  const { locale, typed, errors } = props
  const tr = translator(locale)
  const labels = labelsOf(locale)
  const levels = [
    ['1', tr('1 — dasar', '1 — basic')],
    ['2', tr('2 — baik', '2 — good')],
    ['3', tr('3 — ahli', '3 — expert')],
  ] as const
  const title = tr('Daftar jadi mentor UMKM', 'Apply to mentor small businesses')
  const action = locale === 'en' ? `${PATH}?lang=en` : PATH
  return (
    <Layout locale={locale} title={title} other={locale === 'en' ? PATH : `${PATH}?lang=en`}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Bantu UMKM di daerahmu go digital. Staf dinas di wilayahmu meninjau lamaran ini.',
          'Help small businesses near you go digital. Program staff of your region review this application.',
        )}
      </p>
      <ErrorSummary
        errors={errors}
        labels={labels}
        title={tr('Ada isian yang perlu diperbaiki', 'Some answers need fixing')}
        anchors={{ availability: fieldId('days'), skills: fieldId('skills') }}
      />
      <form method="post" action={action} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <input type="hidden" name="consent.purposeVersion" value={PRIVACY_VERSION} />
        <TextField
          name="name"
          label={labels.name ?? ''}
          value={typed.get('name')}
          error={errors.name}
          autocomplete="name"
          required
        />
        <TextField
          name="email"
          type="email"
          label={labels.email ?? ''}
          value={typed.get('email')}
          error={errors.email}
          autocomplete="email"
          required
        />
        <TextField
          name="phone"
          type="tel"
          label={labels.phone ?? ''}
          hint={tr('Contoh: 0812 3456 7890', 'For example 0812 3456 7890')}
          value={typed.get('phone')}
          error={errors.phone}
          autocomplete="tel"
          inputmode="tel"
          required
        />
        <RegionPicker
          tr={tr}
          name="region"
          province={typed.get('province')}
          city={typed.get('region')}
          error={errorAt(errors, 'region')}
          focusCity={props.focusCity}
        />
        <fieldset id={fieldId('skills')}>
          <legend>{labels.skills}</legend>
          <p class="hint">
            {tr(
              'Beri tingkat untuk yang Anda kuasai; kosongkan yang lain.',
              'Give a level for what you know; leave the rest empty.',
            )}
          </p>
          {errorAt(errors, 'skills') ? <p class="err">{errorAt(errors, 'skills')}</p> : null}
          {TOPICS.map((topic) => (
            <Select
              name={`level.${topic}`}
              label={TOPIC_LABELS[topic][locale]}
              placeholder={tr('— tidak —', '— none —')}
              options={levels}
              value={typed.get(`level.${topic}`)}
            />
          ))}
        </fieldset>
        <Choices
          type="checkbox"
          name="modes"
          legend={labels.modes ?? ''}
          options={[
            ['online', tr('Online', 'Online')],
            ['offline', tr('Tatap muka', 'In person')],
          ]}
          chosen={typed.all('modes')}
          error={errorAt(errors, 'modes')}
        />
        <LanguageChoices locale={locale} legend={labels.languages ?? ''} typed={typed} errors={errors} />
        <AvailabilityChoices
          locale={locale}
          legends={{ days: tr('Hari luang', 'Free days'), windows: tr('Jam luang', 'Free hours') }}
          typed={typed}
          errors={errors}
        />
        <TextField
          name="capacity"
          type="number"
          min={1}
          max={10}
          label={labels.capacity ?? ''}
          value={typed.get('capacity')}
          error={errors.capacity}
        />
        <TextField
          name="bio"
          multiline
          label={`${labels.bio} ${tr('(boleh dikosongkan)', '(optional)')}`}
          value={typed.get('bio')}
          error={errors.bio}
        />
        <ConsentField
          locale={locale}
          typed={typed}
          errors={errors}
          purpose={{
            id: 'Saya setuju data ini dipakai untuk meninjau lamaran dan mencocokkan saya dengan UMKM, sesuai ',
            en: 'I agree that this data is used to review my application and match me with businesses, as the ',
          }}
        />
        <button type="submit">{tr('Kirim lamaran', 'Send application')}</button>
      </form>
    </Layout>
  )
}

export interface ApplicationDependencies {
  store: Store
  clock?: Clock | undefined
  rateLimits?: RateLimits | false | undefined
}

/** `/daftar-mentor`: the same schema and core function as `POST /v1/mentor-applications`. */
export function mentorApplicationPages(deps: ApplicationDependencies) {
  const clock = deps.clock ?? systemClock
  const app = new Hono<AppEnv>()
  const show = (c: Context<AppEnv>, typed: Typed, errors: FieldErrors, focusCity = false) => {
    const locale = pageLocale(c)
    return c.html(
      <ApplicationForm
        locale={locale}
        csrf={csrfToken(c)}
        typed={typed}
        errors={errors}
        focusCity={focusCity}
      />,
      Object.keys(errors).length > 0 ? 400 : 200,
    )
  }
  app.get(PATH, (c) => show(c, new Typed(new URLSearchParams('languages=id&capacity=3&modes=online')), {}))
  app.post(PATH, async (c) => {
    const locale = pageLocale(c)
    const tr = translator(locale)
    const fields = await readCheckedForm(c)
    const typed = new Typed(new URLSearchParams(fields))
    const action = fields.get('action')
    fields.delete('action')
    const province = fields.get('province') ?? ''
    fields.delete('province')
    if (action === PICK_PROVINCE) {
      if (!typed.get('region').startsWith(`${province}.`)) typed.params.delete('region')
      return show(c, typed, {}, true)
    }
    const checked = checkForm(
      MentorApplication,
      skillFields(availabilityFields(fields)),
      locale,
      plainMessages(locale),
    )
    if (checked.errors) return show(c, typed, checked.errors)
    await spendPhoneQuota(c, deps, checked.data.phone)
    try {
      const applied = await actingAs({ kind: 'anonymous' }, locale, () =>
        applyAsMentor(deps.store, clock, checked.data),
      )
      const title = tr('Lamaran Anda sudah kami terima', 'We have your application')
      return c.html(
        <Layout locale={locale} title={title}>
          <h1>{title}</h1>
          <p class="ok">
            {tr(
              'Terima kasih! Staf dinas di wilayah Anda akan meninjau lamaran ini. Setelah disetujui, Anda mendapat akun untuk menerima tawaran pendampingan.',
              'Thank you! Program staff of your region will review it. Once approved you get an account to receive mentoring offers.',
            )}
          </p>
          <p>
            {tr('Nomor lamaran: ', 'Application number: ')}
            <strong id="nomor-lamaran">{applied.id}</strong>
          </p>
        </Layout>,
      )
    } catch (error) {
      if (error instanceof ValidationError)
        return show(c, typed, messagesOf(error.issues, locale, plainMessages(locale)))
      throw error
    }
  })
  return app
}
