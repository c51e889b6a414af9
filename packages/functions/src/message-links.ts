import { MESSAGE_LINK_SECRET, MessageLinks } from '@pendamping/core/link'
import { Resource } from 'sst/resource'

let linked: MessageLinks | undefined

/**
 * The message links of a deployed function, from the linked `MessageLinkSecret` (infra/messaging.ts):
 * the consumers sign them, the API's pages open them. Read once per process; a function the secret is
 * not linked to has none, and its messages carry plain page links (test/infra.test.ts holds the API
 * and every consumer linked). The local stack and tests hand their own to the app and the runtime.
 *
 * @throws Error when the secret is not 32 bytes, base64url
 */
export function linkedMessageLinks(): MessageLinks | undefined {
  // SST's `Resource` throws on a name that is not linked: ask with `in` first.
  if (!linked && MESSAGE_LINK_SECRET in Resource)
    linked = MessageLinks.fromSecret(Resource[MESSAGE_LINK_SECRET].value)
  return linked
}
