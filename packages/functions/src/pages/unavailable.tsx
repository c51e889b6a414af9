import '../api/platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import type { ServiceUnavailableError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import type { Context } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { pageLocale } from './common.ts'
import { Layout, translator } from './layout.tsx'

/** The language of an error page: `/en/…` pages are English whatever the browser says. */
function errorPageLocale(c: Context<AppEnv>): Locale {
  return pageLocale(c, c.req.path === '/en' || c.req.path.startsWith('/en/') ? 'en' : undefined)
}

/**
 * The page a person sees while a dependency is down (503): calm, no blame, what to do — try again in
 * a minute — with `Retry-After`.
 */
export function unavailablePage(c: Context<AppEnv>, error: ServiceUnavailableError) {
  const locale = errorPageLocale(c)
  const tr = translator(locale)
  const title = tr('Sebentar lagi, ya', 'Just a moment')
  return c.html(
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p class="note" role="status">
        {tr(
          'Layanan kami sedang sibuk atau mengalami gangguan sementara. Ini bukan kesalahan Anda, dan data Anda aman.',
          'Our service is busy or having a temporary problem. It is not your fault, and your data is safe.',
        )}
      </p>
      <p>
        {tr(
          'Silakan coba lagi dalam satu menit. Jika Anda sedang mengirim formulir, kembali ke halaman sebelumnya lalu kirim lagi.',
          'Please try again in a minute. If you were sending a form, go back to the previous page and send it again.',
        )}
      </p>
    </Layout>,
    503,
    { 'retry-after': String(error.retryAfterSeconds), 'cache-control': 'no-store' },
  )
}

/** The page for an address that does not exist (404), for a person's browser. */
export function notFoundPage(c: Context<AppEnv>) {
  const locale = errorPageLocale(c)
  const tr = translator(locale)
  const title = tr('Halaman tidak ditemukan', 'Page not found')
  return c.html(
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Alamat ini tidak ada. Periksa kembali tautannya, atau mulai dari halaman utama.',
          'This address does not exist. Check the link, or start from the home page.',
        )}
      </p>
      <p>
        <a class="btn" href={locale === 'en' ? '/en/request' : '/minta-pendampingan'}>
          {tr('Ke halaman utama', 'Go to the home page')}
        </a>
      </p>
    </Layout>,
    404,
    { 'cache-control': 'no-store' },
  )
}
