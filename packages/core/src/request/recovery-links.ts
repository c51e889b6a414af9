/**
 * Issue 17 (docs/contract/channels.md#lost-link): where link recovery finds a request by the phone or
 * e-mail its owner gave — one `ContactLink` item per address hash, written with the request and
 * deleted with its personal data.
 */
import { ContactLink } from '../adapters/dynamo/entities/contact.ts'
import type { Step } from '../adapters/dynamo/index.ts'
import { addressHash } from '../notification/address.ts'
import type { RequestItem } from './item.ts'

const addressesOf = (request: RequestItem) =>
  [request.business?.phone, request.business?.email].filter((address): address is string => Boolean(address))

/** The steps that let link recovery find `request` by its owner's phone and e-mail. */
export function contactLinks(request: RequestItem): Step[] {
  return addressesOf(request).map(
    (address, index) =>
      [`contact${index}`, ContactLink.put(addressHash(address), 'request', request.id)] as const,
  )
}

/** The steps that forget them (the owner's data erased). */
export function dropContactLinks(request: RequestItem): Step[] {
  return addressesOf(request).map(
    (address, index) =>
      [`uncontact${index}`, ContactLink.remove(addressHash(address), 'request', request.id)] as const,
  )
}
