import type { Locale } from '@pendamping/core/i18n'
import type { PersonExport } from '@pendamping/core/privacy'
import type { Child } from 'hono/jsx'
import { Layout } from './layout.tsx'

const HEADINGS: Record<string, { id: string; en: string }> = {
  request: { id: 'Permintaan dan profil usaha', en: 'Request and business profile' },
  profile: { id: 'Profil', en: 'Profile' },
  consent: { id: 'Persetujuan dan riwayatnya', en: 'Consent and its history' },
  sessions: { id: 'Sesi (tempat dan catatan)', en: 'Sessions (places and notes)' },
  feedback: { id: 'Penilaian yang Anda berikan', en: 'Feedback you gave' },
  engagements: { id: 'Pendampingan dan catatan kemajuan', en: 'Engagements and progress notes' },
  registrations: { id: 'Pendaftaran kelas', en: 'Class registrations' },
  offers: { id: 'Tawaran yang Anda lihat', en: 'Offers you were shown' },
  ratings: { id: 'Penilaian yang Anda terima', en: 'Ratings you received' },
  certificates: { id: 'Sertifikat', en: 'Certificates' },
  messages: { id: 'Pesan yang dikirim kepada Anda', en: 'Messages sent to you' },
}

/** Any value of an export as nested lists: every field shown, none left out. */
function Value({ value }: { value: unknown }): Child {
  if (value === null || value === undefined || value === '') return <span>—</span>
  if (Array.isArray(value))
    return value.length === 0 ? (
      <span>—</span>
    ) : (
      <ol>
        {value.map((entry) => (
          <li>
            <Value value={entry} />
          </li>
        ))}
      </ol>
    )
  if (typeof value === 'object')
    return (
      <dl>
        {Object.entries(value as Record<string, unknown>).map(([name, entry]) => (
          <>
            <dt>{name}</dt>
            <dd>
              <Value value={entry} />
            </dd>
          </>
        ))}
      </dl>
    )
  return <span>{String(value)}</span>
}

/**
 * Everything held about a person as a page they can read (UU PDP right of access): the same data as
 * the JSON export, section by section.
 */
export function ExportPage({ data, locale }: { data: PersonExport; locale: Locale }) {
  const { exportedAt, person: _person, ...parts } = data
  const title = locale === 'en' ? 'Your data' : 'Data Anda'
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p>
        {locale === 'en'
          ? `Everything Pendamping holds about you, as of ${exportedAt}.`
          : `Semua data Anda yang disimpan Pendamping, per ${exportedAt}.`}
      </p>
      {Object.entries(parts).map(([part, value]) => (
        <section>
          <h2>{HEADINGS[part]?.[locale] ?? part}</h2>
          <Value value={value} />
        </section>
      ))}
    </Layout>
  )
}
