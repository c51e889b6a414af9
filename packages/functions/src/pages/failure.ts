import { DomainError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import { toProblem } from '../api/problem.ts'
import { translator } from './layout.tsx'
import { CsrfError } from './security.ts'

/**
 * What a page says when its handler failed: a stale form is a 403 asking to reload, a domain refusal
 * its problem in words, anything else a calm 500 "try again in a moment". Shared by every page group's
 * `onError`.
 */
export function pageFailure(error: unknown, locale: Locale): { status: number; title: string; text: string } {
  const tr = translator(locale)
  if (error instanceof CsrfError)
    return {
      status: 403,
      title: tr('Formulir kedaluwarsa', 'The form expired'),
      text: tr(
        'Demi keamanan, muat ulang halaman lalu kirim lagi.',
        'For your safety, reload the page and send it again.',
      ),
    }
  if (error instanceof DomainError) {
    const problem = toProblem(error, locale)
    return { status: problem.status, title: problem.title, text: problem.detail }
  }
  return {
    status: 500,
    title: tr('Terjadi kesalahan', 'Something went wrong'),
    text: tr('Maaf, coba lagi sebentar lagi.', 'Sorry, please try again in a moment.'),
  }
}
