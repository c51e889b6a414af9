import { SECTOR_LABELS, SECTORS } from '@pendamping/core/business'
import type { CertificateView } from '@pendamping/core/certificate'
import type { ClassInfo, ParticipantView, Registered } from '@pendamping/core/class'
import type { Locale } from '@pendamping/core/i18n'
import type { ConsentPurposes } from '@pendamping/core/privacy'
import { provinces, regionName } from '@pendamping/core/region'
import { TOPICS, topicLabel } from '@pendamping/core/topic'
import { CertificateSection } from './certificates.tsx'
import { ChannelChoice } from './channel.tsx'
import { PRIVACY_VERSION } from './common.ts'
import { ConsentSection } from './consent.tsx'
import { Choices, ErrorSummary, errorAt, type FieldErrors, Select, TextField, type Typed } from './fields.tsx'
import { Layout, type Tr, translator } from './layout.tsx'
import { RegionPicker } from './region-picker.tsx'
import { CSRF_FIELD } from './security.ts'

/** The catalog's path in each language; a class's page is under it. */
export const CATALOG: Record<Locale, string> = { id: '/kelas', en: '/en/classes' }
export const classPath = (locale: Locale, id: string) => `${CATALOG[locale]}/${id}`
export const drawPath = (locale: Locale, id: string) =>
  `${classPath(locale, id)}/${locale === 'en' ? 'draw' : 'undian'}`
export const participantPath = (id: string) => `/peserta/${id}`

/** A hidden field naming one filled-in form: posting it again registers once. */
export const SUBMISSION_FIELD = 'submission'

const SEGMENT_LABELS: Record<string, { id: string; en: string }> = {
  umum: { id: 'Umum', en: 'General public' },
  asn: { id: 'ASN (aparatur sipil negara)', en: 'Civil servants (ASN)' },
  umkm: { id: 'Pelaku UMKM', en: 'Small business owners (UMKM)' },
  mahasiswa: { id: 'Mahasiswa', en: 'Students' },
  komunitas: { id: 'Komunitas', en: 'Community members' },
}
const segmentLabel = (segment: string, locale: Locale) => SEGMENT_LABELS[segment]?.[locale] ?? segment

const CONSENT_LABELS = {
  matching_contact: {
    id: 'Dihubungi tentang kelas ini dan pendampingan yang cocok',
    en: 'Being contacted about this class and matching mentoring',
  },
  reminders: { id: 'Pengingat sebelum setiap pertemuan', en: 'Reminders before each meeting' },
  program_reports: {
    id: 'Dihitung (tanpa nama) dalam laporan program',
    en: 'Being counted (without my name) in program reports',
  },
  follow_on_invitations: {
    id: 'Undangan ke kelas lanjutan dari program',
    en: 'Invitations to the program’s follow-on classes',
  },
} as const

const MODE_LABELS = {
  online: { id: 'Daring', en: 'Online' },
  offline: { id: 'Tatap muka', en: 'In person' },
  hybrid: { id: 'Daring & tatap muka', en: 'Online & in person' },
} as const

const STATUS_LABELS: Record<string, { id: string; en: string }> = {
  registered: { id: 'Terdaftar — menunggu undian', en: 'Registered — waiting for the draw' },
  waitlisted: { id: 'Daftar tunggu', en: 'Waiting list' },
  confirmed: { id: 'Dapat kursi', en: 'Seat confirmed' },
  attended: { id: 'Selesai (lulus)', en: 'Completed' },
  absent: { id: 'Tidak memenuhi kehadiran', en: 'Did not complete' },
  cancelled: { id: 'Dibatalkan', en: 'Cancelled' },
}

function Seats({ info, tr, locale }: { info: ClassInfo; tr: Tr; locale: Locale }) {
  return (
    <ul class="plain">
      {Object.entries(info.seats).map(([segment, seats]) => (
        <li>
          {segmentLabel(segment, locale)}:{' '}
          {info.admission === 'lottery' && !info.drawnAt
            ? tr(`${seats.quota} kursi (diundi)`, `${seats.quota} seats (by lottery)`)
            : seats.left > 0
              ? tr(
                  `${seats.left} dari ${seats.quota} kursi tersisa`,
                  `${seats.left} of ${seats.quota} seats left`,
                )
              : tr(
                  `penuh — daftar tunggu ${seats.waitlisted} orang`,
                  `full — ${seats.waitlisted} on the waiting list`,
                )}
        </li>
      ))}
    </ul>
  )
}

function Where({ info, tr, locale }: { info: ClassInfo; tr: Tr; locale: Locale }) {
  return (
    <p>
      {MODE_LABELS[info.mode][locale]}
      {info.place ? ` · ${info.place}` : ''}
      {' · '}
      {info.region === '*' ? tr('Nasional', 'National') : (regionName(info.region) ?? info.region)}
    </p>
  )
}

function Meetings({ info }: { info: ClassInfo }) {
  return (
    <ol>
      {info.meetings.map((meeting) => (
        <li>
          {meeting.local.startsAt} – {meeting.local.endsAt.replace(/^.* (\d{2}[.:]\d{2} \w+)$/, '$1')}
        </li>
      ))}
    </ol>
  )
}

export interface CatalogFilterForm {
  region?: string | undefined
  topic?: string | undefined
  date?: string | undefined
  mode?: string | undefined
}

/** The catalog: a filter form (GET, no JavaScript) and the classes, each linking to its page. */
export function CatalogPage(props: {
  locale: Locale
  items: ClassInfo[]
  filter: CatalogFilterForm
  next: string | null
  errors: FieldErrors
  /** `?participant=…` carried to each class's page (registering again as the private page's holder). */
  carry?: string | undefined
}) {
  const { locale, items, filter } = props
  const carry = props.carry ? `?${props.carry}` : ''
  const tr = translator(locale)
  const title = tr('Kelas pelatihan', 'Training classes')
  const topics = [...new Set([...TOPICS, ...items.flatMap((item) => item.topics)])]
  return (
    <Layout locale={locale} title={title} other={CATALOG[locale === 'en' ? 'id' : 'en']}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Kelas gratis dari program pemerintah dan komunitas. Pilih kelas, daftar tanpa akun, dan simpan tautan pribadi Anda.',
          'Free classes from government and community programs. Pick a class, register without an account, and keep your private link.',
        )}
      </p>
      <form method="get" action={CATALOG[locale]}>
        {props.carry
          ? [...new URLSearchParams(props.carry)].map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))
          : null}
        <div class="row">
          <Select
            name="region"
            label={tr('Provinsi', 'Province')}
            placeholder={tr('Semua', 'All')}
            options={provinces().map((region) => [region.code, region.name] as const)}
            value={filter.region ?? ''}
            error={props.errors.region}
          />
          <Select
            name="topic"
            label={tr('Topik', 'Topic')}
            placeholder={tr('Semua', 'All')}
            options={topics.map((topic) => [topic, topicLabel(topic, locale)] as const)}
            value={filter.topic ?? ''}
            error={props.errors.topic}
          />
        </div>
        <div class="row">
          <div>
            <label for="f-date">{tr('Tanggal', 'Date')}</label>
            {props.errors.date ? <p class="err">{props.errors.date}</p> : null}
            <input type="date" id="f-date" name="date" value={filter.date ?? ''} />
          </div>
          <Select
            name="mode"
            label={tr('Cara', 'Format')}
            placeholder={tr('Semua', 'All')}
            options={[
              ['online', MODE_LABELS.online[locale]],
              ['offline', MODE_LABELS.offline[locale]],
            ]}
            value={filter.mode ?? ''}
          />
        </div>
        <button type="submit">{tr('Cari kelas', 'Find classes')}</button>
      </form>
      <h2>{tr(`${items.length} kelas`, `${items.length} classes`)}</h2>
      {items.length === 0 ? <p>{tr('Belum ada kelas yang cocok.', 'No class matches yet.')}</p> : null}
      {items.map((info) => (
        <article>
          <h3>
            <a href={`${classPath(locale, info.id)}${carry}`}>{info.title}</a>
          </h3>
          <p>{info.topics.map((topic) => topicLabel(topic, locale)).join(', ')}</p>
          <p>{info.meetings[0]?.local.startsAt}</p>
          <Where info={info} tr={tr} locale={locale} />
          <Seats info={info} tr={tr} locale={locale} />
        </article>
      ))}
      {props.next ? (
        <p>
          <a class="btn alt" href={props.next}>
            {tr('Kelas berikutnya', 'More classes')}
          </a>
        </p>
      ) : null}
    </Layout>
  )
}

function labelsOf(tr: Tr): Record<string, string> {
  return {
    'person.name': tr('Nama lengkap', 'Full name'),
    'person.phone': tr('Nomor HP / WhatsApp', 'Mobile / WhatsApp number'),
    'person.email': tr('Email', 'Email'),
    'person.channel': tr('Kabari saya lewat', 'Send me news by'),
    'person.region': tr('Kabupaten/kota', 'Regency/city'),
    'person.business': tr('Usaha', 'Business'),
    segment: tr('Kelompok peserta', 'Participant group'),
    interest: tr('Minat utama', 'Main interest'),
    consent: tr('Persetujuan', 'Consent'),
    person: tr('Data diri', 'Your details'),
  }
}

/** The class and, while it takes registrations, the registration form (the same fields as the API's). */
export function ClassPage(props: {
  locale: Locale
  info: ClassInfo
  csrf: string
  typed: Typed
  errors: FieldErrors
  focusCity?: boolean
  /** Registering again as the private page's holder: their name, and their id (the token is their cookie). */
  as?: { participantId: string; name: string } | undefined
  submission: string
  now: string
}) {
  const { locale, info, typed, errors, as } = props
  const tr = translator(locale)
  const labels = labelsOf(tr)
  const open =
    (info.status === 'open' || info.status === 'full') &&
    info.registrationOpensAt <= props.now &&
    props.now < info.registrationClosesAt
  // A trainer who erased their data keeps their place in the class without a name.
  const named = info.trainers.map((trainer) => trainer.name).filter((name) => name !== '')
  return (
    <Layout locale={locale} title={info.title} other={classPath(locale === 'en' ? 'id' : 'en', info.id)}>
      <h1>{info.title}</h1>
      <p>{info.description}</p>
      <Where info={info} tr={tr} locale={locale} />
      <h2>{tr('Jadwal', 'Schedule')}</h2>
      <Meetings info={info} />
      {named.length > 0 ? (
        <p>
          {tr('Pelatih', 'Trainers')}: {named.join(', ')}
        </p>
      ) : null}
      <h2>{tr('Kursi', 'Seats')}</h2>
      <Seats info={info} tr={tr} locale={locale} />
      {info.admission === 'lottery' ? (
        <div class="note">
          <p>
            {tr(
              'Kursi diundi saat pendaftaran ditutup: cepat atau lambat mendaftar tidak berpengaruh. Sidik jari (SHA-256) benih undian:',
              'Seats are drawn by lottery when registration closes: registering early gives no advantage. Fingerprint (SHA-256) of the lottery seed:',
            )}
          </p>
          <p class="link">{info.seedHash}</p>
          {info.drawnAt ? (
            <p>
              <a href={drawPath(locale, info.id)}>{tr('Lihat hasil undian', 'See the draw')}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      {info.status === 'cancelled' ? (
        <p class="summary">{tr('Kelas ini dibatalkan.', 'This class was cancelled.')}</p>
      ) : null}
      {open ? (
        <>
          <h2>{tr('Daftar', 'Register')}</h2>
          <ErrorSummary
            errors={errors}
            labels={labels}
            title={tr('Ada isian yang perlu diperbaiki', 'Some answers need fixing')}
          />
          <form method="post" action={classPath(locale, info.id)} novalidate>
            <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
            <input type="hidden" name={SUBMISSION_FIELD} value={props.submission} />
            {as ? (
              <>
                <input type="hidden" name="participantId" value={as.participantId} />
                <p class="note">{tr(`Anda mendaftar sebagai ${as.name}.`, `You register as ${as.name}.`)}</p>
              </>
            ) : (
              <>
                <input type="hidden" name="consent.purposeVersion" value={PRIVACY_VERSION} />
                <TextField
                  name="person.name"
                  label={labels['person.name'] ?? ''}
                  value={typed.get('person.name')}
                  error={errors['person.name']}
                  autocomplete="name"
                  required
                />
                <TextField
                  name="person.phone"
                  type="tel"
                  label={labels['person.phone'] ?? ''}
                  hint={tr(
                    'Satu nomor untuk satu kursi per kelas. Contoh: 0812 3456 7890',
                    'One number, one seat per class. For example 0812 3456 7890',
                  )}
                  value={typed.get('person.phone')}
                  error={errors['person.phone']}
                  autocomplete="tel"
                  inputmode="tel"
                  required
                />
                <TextField
                  name="person.email"
                  type="email"
                  label={`${labels['person.email']} ${tr('(boleh dikosongkan)', '(optional)')}`}
                  value={typed.get('person.email')}
                  error={errors['person.email']}
                  autocomplete="email"
                />
                <ChannelChoice tr={tr} name="person.channel" typed={typed} errors={errors} />
                <RegionPicker
                  tr={tr}
                  legend={tr('Tempat tinggal', 'Where you live')}
                  name="person.region"
                  province={typed.get('province')}
                  city={typed.get('person.region')}
                  error={errorAt(errors, 'person.region')}
                  focusCity={props.focusCity}
                />
                <fieldset>
                  <legend>{tr('Usaha Anda (boleh dikosongkan)', 'Your business (optional)')}</legend>
                  <TextField
                    name="person.business.name"
                    label={tr('Nama usaha', 'Business name')}
                    value={typed.get('person.business.name')}
                    error={errorAt(errors, 'person.business.name')}
                  />
                  <Select
                    name="person.business.sector"
                    label={tr('Bidang usaha', 'Line of business')}
                    placeholder={tr('— Pilih —', '— Choose —')}
                    options={SECTORS.map((sector) => [sector, SECTOR_LABELS[sector][locale]] as const)}
                    value={typed.get('person.business.sector')}
                    error={errorAt(errors, 'person.business.sector')}
                  />
                </fieldset>
              </>
            )}
            <Choices
              type="radio"
              name="segment"
              legend={labels.segment ?? ''}
              options={Object.keys(info.seats).map(
                (segment) => [segment, segmentLabel(segment, locale)] as const,
              )}
              chosen={typed.all('segment')}
              error={errorAt(errors, 'segment')}
            />
            <Select
              name="interest"
              label={`${labels.interest} ${tr('(boleh dikosongkan)', '(optional)')}`}
              placeholder={tr('— Pilih —', '— Choose —')}
              options={info.topics.map((topic) => [topic, topicLabel(topic, locale)] as const)}
              value={typed.get('interest')}
              error={errors.interest}
            />
            {as ? null : (
              <fieldset id="f-consent">
                <legend>{tr('Saya setuju data saya dipakai untuk:', 'I agree my data is used for:')}</legend>
                {errorAt(errors, 'consent') ? <p class="err">{errorAt(errors, 'consent')}</p> : null}
                {Object.entries(CONSENT_LABELS).map(([purpose, label]) => (
                  <label>
                    <input
                      type="checkbox"
                      name={`consent.purposes.${purpose}`}
                      value="true"
                      checked={typed.get(`consent.purposes.${purpose}`) === 'true'}
                    />
                    <span>{label[locale]}</span>
                  </label>
                ))}
                <p class="hint">
                  {tr(
                    'Setiap persetujuan boleh dipilih sendiri. Baca ',
                    'Each consent is optional on its own. Read the ',
                  )}
                  <a href={locale === 'en' ? '/en/privacy' : '/privasi'}>
                    {tr('pemberitahuan privasi', 'privacy notice')}
                  </a>
                  .
                </p>
              </fieldset>
            )}
            <button type="submit">{tr('Daftar kelas ini', 'Register for this class')}</button>
          </form>
        </>
      ) : info.status === 'open' || info.status === 'full' ? (
        <p class="note">{tr('Pendaftaran sedang tidak dibuka.', 'Registration is not open now.')}</p>
      ) : null}
      <p>
        <a href={CATALOG[locale]}>{tr('← Semua kelas', '← All classes')}</a>
      </p>
    </Layout>
  )
}

/** A good registration: where the person stands, and their private link, shown this once. */
export function RegisteredPage(props: {
  locale: Locale
  registered: Registered
  info: ClassInfo
  origin: string
}) {
  const { locale, registered, info } = props
  const tr = translator(locale)
  const token = registered.participantToken
  const link = token
    ? `${props.origin}${participantPath(registered.participantId)}?token=${token}${locale === 'en' ? '&lang=en' : ''}`
    : undefined
  const title = tr('Pendaftaran Anda tercatat', 'Your registration is recorded')
  const status = {
    confirmed: tr('Anda mendapat kursi di kelas ini.', 'You have a seat in this class.'),
    waitlisted: tr(
      'Kursi kelompok Anda sudah penuh: Anda masuk daftar tunggu sesuai urutan datang, dan mendapat kursi begitu ada yang kosong.',
      'Your group’s seats are taken: you are on the waiting list in order of arrival and get a seat as soon as one frees up.',
    ),
    registered: tr(
      'Kursi diundi saat pendaftaran ditutup. Hasilnya muncul di halaman pribadi Anda.',
      'Seats are drawn when registration closes. The result shows on your private page.',
    ),
  }[registered.status]
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p class="ok">
        {info.title}: {status}
      </p>
      {link ? (
        <>
          <h2>{tr('Simpan tautan pribadi Anda', 'Save your private link')}</h2>
          <p>
            {tr(
              'Di tautan ini Anda melihat semua kelas Anda, kelompok, dan mengisi kehadiran. Tautan ini hanya ditampilkan sekali.',
              'At this link you see all your classes and groups, and check in. It is shown only this once.',
            )}
          </p>
          <p class="link">{link}</p>
          <p>
            <a
              class="btn"
              href={`https://wa.me/?text=${encodeURIComponent(tr(`Tautan kelas saya (jangan dibagikan): ${link}`, `My class link (keep it private): ${link}`))}`}
              rel="noopener noreferrer"
            >
              {tr('Kirim ke WhatsApp saya', 'Send to my WhatsApp')}
            </a>
            <a class="btn alt" href={link}>
              {tr('Buka halaman pribadi', 'Open my private page')}
            </a>
          </p>
        </>
      ) : (
        <p>{tr('Kelas ini sudah ada di halaman pribadi Anda.', 'This class is now on your private page.')}</p>
      )}
    </Layout>
  )
}

/** The participant's private page: each class, their place, meetings, groups; cancel and check in. */
export function ParticipantPage(props: {
  locale: Locale
  view: ParticipantView
  csrf: string
  now: string
  notice?: string | undefined
  error?: string | undefined
  /** A link just made anew, shown this once to keep. */
  newLink?: string | undefined
  /** The certificates of the classes completed, with their downloads. */
  certificates?: readonly CertificateView[] | undefined
  /** Each purpose of the participant's consent now: its section, one form per purpose (UU PDP). */
  consent?: ConsentPurposes | undefined
}) {
  const { locale, view, now } = props
  const tr = translator(locale)
  const self = `${participantPath(view.id)}`
  const title = tr(`Kelas ${view.name}`, `${view.name}’s classes`)
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      {props.notice ? <p class="ok">{props.notice}</p> : null}
      {props.error ? <p class="summary">{props.error}</p> : null}
      {view.registrations.length === 0 ? (
        <p>{tr('Belum ada pendaftaran.', 'No registrations yet.')}</p>
      ) : null}
      {view.registrations.map(({ registration, class: info, meetingUrl, groups }) => {
        const running = info?.meetings.find((meeting) => meeting.startsAt <= now && now < meeting.endsAt)
        const holding = ['registered', 'waitlisted', 'confirmed'].includes(registration.status)
        return (
          <section>
            <h2>{info ? <a href={classPath(locale, info.id)}>{info.title}</a> : registration.classId}</h2>
            <p>
              <strong>{STATUS_LABELS[registration.status]?.[locale]}</strong>
              {registration.status === 'waitlisted' && registration.drawRank
                ? tr(` (undian nomor ${registration.drawRank})`, ` (drawn number ${registration.drawRank})`)
                : ''}
              {' · '}
              {segmentLabel(registration.segment, locale)}
            </p>
            {info ? <Meetings info={info} /> : null}
            {info?.place ? <p>{info.place}</p> : null}
            {meetingUrl ? (
              <p>
                {tr('Tautan rapat', 'Meeting link')}: <a href={meetingUrl}>{meetingUrl}</a>
              </p>
            ) : null}
            {groups.map((group) => (
              <p class="note">
                {tr(
                  `Pertemuan ${group.meetingId.slice(1)}: kelompok ${group.number} — ${group.topic}`,
                  `Meeting ${group.meetingId.slice(1)}: group ${group.number} — ${group.topic}`,
                )}
              </p>
            ))}
            {running && registration.status === 'confirmed' ? (
              registration.attendance[running.id] === 'present' ? (
                <p class="ok">{tr('Kehadiran Anda tercatat.', 'Your attendance is recorded.')}</p>
              ) : (
                <form method="post" action={`${self}/hadir`}>
                  <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
                  <input type="hidden" name="registration" value={registration.id} />
                  <label for={`code-${registration.id}`}>
                    {tr('Kode hadir dari pelatih', 'Check-in code from the trainer')}
                  </label>
                  <input
                    type="text"
                    id={`code-${registration.id}`}
                    name="code"
                    autocomplete="off"
                    maxlength={8}
                  />
                  <button type="submit">{tr('Saya hadir', 'Check in')}</button>
                </form>
              )
            ) : null}
            {holding ? (
              <form method="post" action={`${self}/batal`}>
                <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
                <input type="hidden" name="registration" value={registration.id} />
                <button type="submit" class="alt">
                  {tr('Batalkan pendaftaran ini', 'Cancel this registration')}
                </button>
              </form>
            ) : null}
          </section>
        )
      })}
      <CertificateSection certificates={props.certificates ?? []} locale={locale} />
      {props.consent ? (
        <ConsentSection
          locale={locale}
          purposes={props.consent}
          action={`${self}/persetujuan`}
          csrf={props.csrf}
        />
      ) : null}
      <h2>{tr('Daftar kelas lain', 'Register for another class')}</h2>
      <p>
        <a href={`${CATALOG[locale]}?participant=${view.id}`}>{tr('Lihat kelas', 'See classes')}</a>
      </p>
      <h2>{tr('Tautan pribadi', 'Private link')}</h2>
      {props.newLink ? (
        <>
          <p>
            {tr(
              'Tautan lama tidak berlaku lagi. Simpan tautan baru ini; hanya ditampilkan sekali:',
              'The old link no longer works. Keep this new one; it is shown only this once:',
            )}
          </p>
          <p class="link">{props.newLink}</p>
        </>
      ) : null}
      <form method="post" action={`${self}/tautan-baru`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <p class="note">
          {tr(
            'Jika tautan Anda terlihat orang lain, buat yang baru: yang lama langsung mati.',
            'If someone else saw your link, make a new one: the old one stops working at once.',
          )}
        </p>
        <button type="submit" class="alt">
          {tr('Buat tautan baru', 'Make a new link')}
        </button>
      </form>
    </Layout>
  )
}

/** A lottery's published draw: the seed, its fingerprint, and the order (the first 300; all in the API). */
export function DrawPage(props: {
  locale: Locale
  info: ClassInfo
  draw: { seed: string; seedHash: string; drawnAt: string; registrationIds: string[] }
}) {
  const { locale, info, draw } = props
  const tr = translator(locale)
  const title = tr(`Hasil undian: ${info.title}`, `Draw: ${info.title}`)
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <dl>
        <dt>{tr('Benih (diumumkan setelah undian)', 'Seed (revealed after the draw)')}</dt>
        <dd class="link">{draw.seed}</dd>
        <dt>
          {tr(
            'SHA-256 benih (diumumkan saat kelas dibuka)',
            'SHA-256 of the seed (published when the class opened)',
          )}
        </dt>
        <dd class="link">{draw.seedHash}</dd>
      </dl>
      <p>
        {tr(
          `Siapa pun dapat menjalankan ulang undian dari benih ini dan ${draw.registrationIds.length} nomor pendaftaran, dan mendapat urutan yang sama.`,
          `Anyone can re-run the draw from this seed and the ${draw.registrationIds.length} registration numbers and get the same order.`,
        )}{' '}
        <a href={`/v1/classes/${info.id}/draw`}>JSON</a>
      </p>
      <ol class="link">
        {draw.registrationIds.slice(0, 300).map((id) => (
          <li>{id}</li>
        ))}
      </ol>
    </Layout>
  )
}
