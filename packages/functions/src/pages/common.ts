import type { Locale } from '@pendamping/core/i18n'
import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import type { AppEnv } from '../api/env.ts'

/** `?lang=en|id` (kept on links a person shares) wins over `Accept-Language`. */
export function pageLocale(c: Context<AppEnv>, fixed?: Locale): Locale {
  if (fixed) return fixed
  const lang = c.req.query('lang')
  if (lang === 'en' || lang === 'id') return lang
  return c.var.locale ?? 'id'
}

/** Pages that show personal data or carry a tracking token: never cached, never sent as `Referer`. */
export function privatePage(c: Context) {
  c.header('cache-control', 'no-store')
  c.header('referrer-policy', 'no-referrer')
}

/**
 * Keeps a private page's token in its own `__Host-<name>` cookie for `maxAge` seconds: HttpOnly,
 * Secure, and SameSite=Lax, so a link opened from WhatsApp (a cross-site navigation) still finds it
 * after the redirect (docs/contract/security.md#participant-tokens).
 */
export function keepPrivateToken(c: Context, name: string, token: string, maxAge: number): void {
  setCookie(c, name, token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    maxAge,
    prefix: 'host',
  })
}

/** Weekly time windows a person picks instead of typing hours (three, so 7 days × 3 ≤ 21 slots). */
export const WINDOWS = {
  pagi: { from: '08:00', to: '12:00', id: 'Pagi (08.00–12.00)', en: 'Morning (08:00–12:00)' },
  siang: { from: '12:00', to: '17:00', id: 'Siang (12.00–17.00)', en: 'Afternoon (12:00–17:00)' },
  malam: { from: '18:00', to: '21:00', id: 'Malam (18.00–21.00)', en: 'Evening (18:00–21:00)' },
} as const

export const DAYS = {
  mon: { id: 'Senin', en: 'Monday' },
  tue: { id: 'Selasa', en: 'Tuesday' },
  wed: { id: 'Rabu', en: 'Wednesday' },
  thu: { id: 'Kamis', en: 'Thursday' },
  fri: { id: 'Jumat', en: 'Friday' },
  sat: { id: 'Sabtu', en: 'Saturday' },
  sun: { id: 'Minggu', en: 'Sunday' },
} as const

/**
 * Turns the page's day and time-window checkboxes (`days`, `windows`) into the schema's
 * `availability[i][day|from|to]` fields, so the same schema checks them.
 */
export function availabilityFields(fields: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams()
  const days = fields.getAll('days').filter((day) => day in DAYS)
  const windows = fields.getAll('windows').filter((window) => window in WINDOWS) as Array<
    keyof typeof WINDOWS
  >
  for (const [name, value] of fields) if (name !== 'days' && name !== 'windows') out.append(name, value)
  let index = 0
  for (const day of days)
    for (const window of windows) {
      out.append(`availability[${index}][day]`, day)
      out.append(`availability[${index}][from]`, WINDOWS[window].from)
      out.append(`availability[${index}][to]`, WINDOWS[window].to)
      index++
    }
  return out
}

export const LANGUAGE_LABELS: Record<string, { id: string; en: string }> = {
  id: { id: 'Bahasa Indonesia', en: 'Indonesian' },
  jv: { id: 'Bahasa Jawa', en: 'Javanese' },
  su: { id: 'Bahasa Sunda', en: 'Sundanese' },
  mad: { id: 'Bahasa Madura', en: 'Madurese' },
  ban: { id: 'Bahasa Bali', en: 'Balinese' },
  min: { id: 'Bahasa Minang', en: 'Minangkabau' },
  bug: { id: 'Bahasa Bugis', en: 'Buginese' },
  en: { id: 'Bahasa Inggris', en: 'English' },
}

/** The privacy notice version a person agrees to on the forms: the one in force (core `privacy`). */
export { PRIVACY_NOTICE_VERSION as PRIVACY_VERSION } from '@pendamping/core/privacy'
