import '../api/platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import type { QuotaSpentError } from '@pendamping/core/ratelimit'
import type { Context } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { pageLocale } from './common.ts'
import { Layout, translator } from './layout.tsx'

/** How long to wait, in words people use: seconds under two minutes, else minutes. */
function wait(seconds: number, tr: (id: string, en: string) => string): string {
  if (seconds < 120) return tr(`${seconds} detik`, `${seconds} seconds`)
  const minutes = Math.ceil(seconds / 60)
  return tr(`${minutes} menit`, `${minutes} minutes`)
}

/**
 * The page a person sees when a form was sent, or pages opened, too often (429): what happened without
 * blame, how long to wait, and that nothing they typed was kept, with `Retry-After` and the rate-limit
 * headers.
 */
export function limitedPage(c: Context<AppEnv>, error: QuotaSpentError) {
  const locale = pageLocale(c)
  const tr = translator(locale)
  const reading = error.state.rule.name === 'read'
  const title = reading
    ? tr('Terlalu banyak permintaan', 'Too many requests')
    : tr('Terlalu sering dikirim', 'Sent too often')
  const byPhone = error.state.rule.name === 'phone'
  return c.html(
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p class="note" role="status">
        {reading
          ? tr(
              'Banyak halaman dibuka dari sambungan internet Anda dalam waktu singkat. Demi keadilan bagi semua, kami membatasinya.',
              'Many pages were opened from your internet connection in a short while. To be fair to everyone, we limit how many.',
            )
          : byPhone
            ? tr(
                'Nomor HP ini sudah dipakai beberapa kali dalam waktu singkat. Demi keadilan bagi semua, kami membatasi pengiriman per nomor.',
                'This phone number was used several times in a short while. To be fair to everyone, we limit how often one number can send.',
              )
            : tr(
                'Banyak formulir dikirim dari sambungan internet Anda dalam waktu singkat. Demi keadilan bagi semua, kami membatasi pengiriman.',
                'Many forms were sent from your internet connection in a short while. To be fair to everyone, we limit how often forms can be sent.',
              )}
      </p>
      <p>
        {tr('Silakan coba lagi dalam ', 'Please try again in ')}
        <strong>{wait(error.retryAfterSeconds, tr)}</strong>
        {reading
          ? '.'
          : tr(
              '. Isian Anda belum terkirim; kembali ke halaman sebelumnya untuk mengirim ulang nanti.',
              '. Your form was not sent; go back to the previous page to send it again later.',
            )}
      </p>
    </Layout>,
    429,
    { ...error.headers, 'cache-control': 'no-store' },
  )
}
