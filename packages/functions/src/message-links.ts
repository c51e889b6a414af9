import { linked as linkedResource } from '@pendamping/core/config'
import { MESSAGE_LINK_SECRET, MessageLinks } from '@pendamping/core/link'

let links: MessageLinks | undefined

/**
 * The message links of a deployed function, from the linked `MessageLinkSecret` (infra/messaging.ts):
 * the consumers sign them, the API's pages open them. Read once per process; a function the secret is
 * not linked to has none, and its messages carry plain page links (test/infra.test.ts holds the API
 * and every consumer linked). The local stack and tests hand their own to the app and the runtime.
 *
 * @throws Error when the secret is not 32 bytes, base64url
 */
export function linkedMessageLinks(): MessageLinks | undefined {
  const secret = linkedResource(MESSAGE_LINK_SECRET)?.value
  if (!links && secret !== undefined) links = MessageLinks.fromSecret(secret)
  return links
}
