/**
 * Links in messages on the private pages (docs/contract/channels.md#links-in-messages): a message's
 * link (`/lacak/{id}?token=<link token>`, `/peserta/{id}?token=…`) enters through the same exchange
 * as the private link — proven once, kept in the page's `__Host-` cookie until it expires, a 303 to
 * the clean address — and a link that no longer opens anything says so and points to link recovery.
 */
import { NotFoundError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import {
  type LinkKind,
  MESSAGE_LINK_DAYS,
  MESSAGE_LINK_TOKEN,
  type MessageLinks,
  RECOVERY_PATHS,
} from '@pendamping/core/link'
import type { PrivateKey } from '@pendamping/core/request'
import type { Context } from 'hono'
import { privatePage } from './common.ts'
import { Layout, translator } from './layout.tsx'

export { RECOVERY_PATHS }

/** Whether a page's credential (`?token=` or its cookie) is a message link's token, not a private token. */
export const isMessageLink = (credential: string) => MESSAGE_LINK_TOKEN.test(credential)

/** A message link that opens nothing: expired, or the private link changed since it was sent. */
export class LinkEndedError extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'Message link expired' : 'Message link no longer opens this page')
    this.name = 'LinkEndedError'
  }
}

/**
 * The link-ended answer a failed page opening deserves, if any: an expired or replaced message link,
 * or a message link whose page refused its key (its private link changed since the message was sent).
 * `undefined` for anything else, which the page rethrows.
 */
export function linkEndedBy(error: unknown, credential: string | undefined): LinkEndedError | undefined {
  if (error instanceof LinkEndedError) return error
  if (error instanceof NotFoundError && credential !== undefined && isMessageLink(credential))
    return new LinkEndedError(false)
  return undefined
}

/**
 * What a page's credential opens with: a private token as it is, a message link's token as its key
 * (checked against the stored hash by the core function the page calls).
 *
 * @throws LinkEndedError for an expired message link, or any when this app holds no link secret
 */
export function privateKeyOf(
  links: MessageLinks | undefined,
  kind: LinkKind,
  id: string,
  credential: string,
  now: Date,
): PrivateKey {
  if (!isMessageLink(credential)) return credential
  const presented = links?.read(kind, id, credential, now)
  if (!presented) throw new LinkEndedError(false)
  if ('expired' in presented) throw new LinkEndedError(true)
  return presented.key
}

/** How long the page's cookie keeps `key`: a message link's until it expires, a private token's `fallback`. */
export function cookieSeconds(key: PrivateKey, now: Date, fallback: number): number {
  if (typeof key === 'string') return fallback
  return Math.max(1, Math.floor((key.expiresAt.getTime() - now.getTime()) / 1000))
}

/**
 * The page a link that opens nothing gets: `410` when it expired, `404` otherwise (a link of a page
 * whose private link changed, a tampered one, an unknown id: one answer, so nothing is probed), both
 * pointing to link recovery. Nothing here logs the link.
 */
export function linkEndedPage(c: Context, locale: Locale, error: LinkEndedError) {
  const tr = translator(locale)
  privatePage(c)
  const title = error.expired
    ? tr('Tautan ini sudah kedaluwarsa', 'This link has expired')
    : tr('Tautan ini sudah tidak berlaku', 'This link no longer works')
  return c.html(
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p id="tautan-berakhir">
        {error.expired
          ? tr(
              `Tautan di pesan kami berlaku ${MESSAGE_LINK_DAYS} hari. Pesan yang lebih baru membawa tautan yang masih berlaku.`,
              `Links in our messages work for ${MESSAGE_LINK_DAYS} days. A more recent message carries a link that still works.`,
            )
          : tr(
              'Tautan ini tidak membuka halaman lagi. Biasanya karena tautan pribadi Anda sudah diganti (tautan baru dibuat, atau dicabut petugas): tautan di pesan yang lebih lama ikut berhenti bekerja.',
              'This link no longer opens the page. Usually your private link was replaced (a new one was made, or staff revoked it), and links in older messages stop working with it.',
            )}
      </p>
      <p>
        <a class="btn" href={RECOVERY_PATHS[locale]}>
          {tr('Minta tautan baru lewat nomor HP Anda', 'Get a new link with your phone number')}
        </a>
      </p>
    </Layout>,
    error.expired ? 410 : 404,
  )
}
