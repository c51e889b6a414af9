/**
 * Issue 17 (docs/contract/channels.md#lost-link): where link recovery finds a participant by the
 * phone or e-mail they gave; erasing the participant deletes them in the same transaction.
 */
import { ContactLink } from '../adapters/dynamo/entities/contact.ts'
import type { Step } from '../adapters/dynamo/index.ts'
import { addressHash } from '../notification/address.ts'
import type { ParticipantItem } from './item.ts'

/** The steps that let link recovery find `participant` by their phone and e-mail. */
export function participantContactLinks(participant: ParticipantItem): Step[] {
  return [participant.phone, participant.email]
    .filter((address): address is string => Boolean(address))
    .map(
      (address, index) =>
        [`contact${index}`, ContactLink.put(addressHash(address), 'participant', participant.id)] as const,
    )
}

/** The steps that forget them (the participant erased). */
export function dropParticipantContactLinks(participant: ParticipantItem): Step[] {
  return [participant.phone, participant.email]
    .filter((address): address is string => Boolean(address))
    .map(
      (address, index) =>
        [
          `uncontact${index}`,
          ContactLink.remove(addressHash(address), 'participant', participant.id),
        ] as const,
    )
}
