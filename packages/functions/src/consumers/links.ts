import type { Locale } from '@pendamping/core/i18n'
import { type LinkKind, PRIVATE_PAGES, RECOVERY_PATHS } from '@pendamping/core/link'
import type { Runtime } from '../runtime.ts'

/**
 * The link a message to an owner (`request`) or a participant carries to their private page
 * (docs/contract/channels.md#links-in-messages): signed over the page's current token hash, so it
 * opens the page until it expires or the private link changes. A page whose link was revoked (no
 * hash) gets the link recovery page instead; without a link secret, the plain page.
 */
export function privatePageLink(
  runtime: Pick<Runtime, 'publicUrl' | 'messageLinks' | 'clock'>,
  kind: LinkKind,
  holder: { id: string; tokenHash: string | null },
  locale: Locale,
): string {
  const lang = locale === 'en' ? 'lang=en' : ''
  const page = `${runtime.publicUrl}${PRIVATE_PAGES[kind]}/${holder.id}`
  if (!runtime.messageLinks) return lang ? `${page}?${lang}` : page
  const token = runtime.messageLinks.sign(kind, holder.id, holder.tokenHash, runtime.clock.now())
  if (!token) return `${runtime.publicUrl}${RECOVERY_PATHS[locale]}`
  return `${page}?token=${token}${lang ? `&${lang}` : ''}`
}
