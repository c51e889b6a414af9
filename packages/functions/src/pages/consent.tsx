/**
 * The consent section of a private page (the owner's tracking page, the participant's class page):
 * each purpose, given or not, with one form to withdraw or give it — plain HTML forms that work
 * without JavaScript, CSRF-protected like every form of the pages (docs/contract/data-protection.md#consent).
 * The page route that takes them calls the same core function as the API's `POST …/consent`.
 */

import { ValidationError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import {
  CONSENT_PURPOSES,
  ConsentInput,
  type ConsentPurpose,
  type ConsentPurposes,
  PRIVACY_NOTICE_VERSION,
} from '@pendamping/core/privacy'
import * as z from 'zod/mini'
import { translator } from './layout.tsx'
import { CSRF_FIELD } from './security.ts'

const PURPOSE_LABELS: Record<ConsentPurpose, { id: string; en: string }> = {
  matching_contact: {
    id: 'Dicocokkan dan dihubungi tentang permintaan atau kelas Anda',
    en: 'Being matched and contacted about your request or class',
  },
  reminders: { id: 'Pengingat sesi dan pertemuan', en: 'Reminders of sessions and meetings' },
  program_reports: {
    id: 'Dihitung (tanpa nama) dalam rincian laporan program',
    en: 'Being counted (without your name) in the program’s report breakdowns',
  },
  follow_on_invitations: {
    id: 'Undangan ke pelatihan lanjutan',
    en: 'Invitations to follow-on training',
  },
}

/** Where the purpose's effect needs saying before a withdrawal. */
const WITHDRAW_NOTES: Partial<Record<ConsentPurpose, { id: string; en: string }>> = {
  matching_contact: {
    id: 'Menarik ini membatalkan permintaan yang masih terbuka dan mengakhiri pendampingan yang berjalan.',
    en: 'Withdrawing this cancels a request still open and ends a running mentoring.',
  },
}

/** The purposes as a form sent them (`purpose`, `given`, `purposeVersion`), or a 400 naming the field. */
export function consentForm(fields: URLSearchParams): ConsentInput {
  const parsed = z.safeParse(ConsentInput, {
    purpose: fields.get('purpose') ?? '',
    given: fields.get('given') === 'true' ? true : fields.get('given') === 'false' ? false : undefined,
    purposeVersion: fields.get('purposeVersion') || undefined,
  })
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({
        path: String(issue.path[0] ?? 'purpose'),
        key: issue.message.startsWith('field.') ? issue.message : 'field.invalid',
      })),
    )
  return parsed.data
}

export function ConsentSection(props: {
  locale: Locale
  purposes: ConsentPurposes
  /** Where the forms post (`/lacak/{id}/persetujuan`). */
  action: string
  csrf: string
  /** Purposes the page does not offer (an owner's request always needs matching and contact to be given again). */
  hide?: readonly ConsentPurpose[]
}) {
  const tr = translator(props.locale)
  return (
    <section id="persetujuan" aria-labelledby="persetujuan-judul">
      <h2 id="persetujuan-judul">{tr('Persetujuan Anda', 'Your consent')}</h2>
      <p>
        {tr(
          'Setiap tujuan bisa Anda tarik sendiri-sendiri; yang ditarik langsung berhenti.',
          'You can withdraw each purpose on its own; what you withdraw stops at once.',
        )}{' '}
        <a href={props.locale === 'en' ? '/en/privacy' : '/privasi'}>
          {tr('Kebijakan privasi', 'Privacy notice')}
        </a>
      </p>
      <ul class="plain">
        {CONSENT_PURPOSES.filter((purpose) => !props.hide?.includes(purpose)).map((purpose) => {
          const given = props.purposes[purpose]
          const note = WITHDRAW_NOTES[purpose]
          return (
            <li>
              <form method="post" action={props.action}>
                <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
                <input type="hidden" name="purpose" value={purpose} />
                <input type="hidden" name="given" value={given ? 'false' : 'true'} />
                <input type="hidden" name="purposeVersion" value={PRIVACY_NOTICE_VERSION} />
                <strong>{PURPOSE_LABELS[purpose][props.locale]}</strong>:{' '}
                {given ? tr('disetujui', 'given') : tr('tidak disetujui', 'not given')}{' '}
                {given && note ? <small>{note[props.locale]} </small> : null}
                <button type="submit" class="alt">
                  {given ? tr('Tarik persetujuan', 'Withdraw') : tr('Setujui', 'Give consent')}
                </button>
              </form>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
