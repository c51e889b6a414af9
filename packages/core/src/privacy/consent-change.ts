/**
 * Giving or withdrawing one purpose from a person's private page (docs/contract/data-protection.md#consent).
 * The change, its history entry and `ConsentWithdrawn` are one transaction; what must stop at once
 * stops in it (an open request cancelled when matching and contact is withdrawn) or is refused at send
 * time from the stored consent (reminders, invitations), and `ConsentWithdrawn` lets consumers cancel
 * what was planned (reminder duties, a running engagement).
 */
import { Participant } from '../adapters/dynamo/entities/class.ts'
import { type Step, transact } from '../adapters/dynamo/index.ts'
import { openParticipant } from '../class/register.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { openRequest } from '../request/access.ts'
import { cancellationSteps, requestTransition } from '../request/change.ts'
import { consents, OPEN_STATUSES } from '../request/item.ts'
import type { PrivateKey } from '../request/token.ts'
import type { Clock, Store } from '../store.ts'
import {
  type ConsentChange,
  type ConsentInput,
  type ConsentPurposes,
  LEGACY_PURPOSES,
  PRIVACY_NOTICE_VERSION,
  requireCurrentNotice,
} from './consent.ts'
import { PrivacyEvents } from './events.ts'

/** A person's consent as their page shows it: each purpose now, and every change. */
export interface ConsentState {
  purposes: ConsentPurposes
  noticeVersion: string
  history: ConsentChange[]
}

function change(input: ConsentInput, at: string): ConsentChange {
  // Giving needs the notice in force; a withdrawal is honoured whatever page it came from.
  if (input.given) requireCurrentNotice(input.purposeVersion, 'purposeVersion')
  return { purpose: input.purpose, given: input.given, noticeVersion: PRIVACY_NOTICE_VERSION, at }
}

const stale = () => new ConflictError('Changed meanwhile; try again', 'stale')

/** `ConsentWithdrawn` for the consumers that act on it, written with the change. */
function withdrawal(
  person: 'owner' | 'participant',
  personId: string,
  purpose: ConsentInput['purpose'],
  now: Date,
): Step {
  return [
    'withdrawn',
    outbox(createEvent(PrivacyEvents.ConsentWithdrawn, { person, personId, purpose }, now)),
  ]
}

/**
 * The owner of a request (by tracking token) gives or withdraws one purpose. Withdrawing matching and
 * contact cancels an open request in the same transaction; a running engagement is ended by the
 * `Erasure` consumer of `ConsentWithdrawn` (its mentor told). Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function changeRequestConsent(
  store: Store,
  clock: Clock,
  id: string,
  token: PrivateKey | undefined,
  input: ConsentInput,
): Promise<ConsentState> {
  const { request } = await openRequest(store, id, token, { staff: false })
  const now = clock.now()
  const entry = change(input, now.toISOString())
  const before = request.consent.purposes ?? LEGACY_PURPOSES
  const purposes = { ...before, [input.purpose]: input.given }
  const history = [...(request.consent.history ?? []), entry]
  const consent = { ...request.consent, purposes, history }
  const withdrawn = !input.given && consents(request.consent, input.purpose)
  const steps: Step[] =
    withdrawn && input.purpose === 'matching_contact' && OPEN_STATUSES.includes(request.status)
      ? cancellationSteps(request, now, { consent })
      : [['request', requestTransition(request, request.status, now, { set: { consent } })]]
  if (withdrawn) steps.push(withdrawal('owner', request.id, input.purpose, now))
  await transact(store, steps, { explain: stale })
  return { purposes, noticeVersion: request.consent.purposeVersion, history }
}

/**
 * A class participant (by their private link's token) gives or withdraws one purpose. Reminders and
 * invitations read the stored consent when they are sent, so a withdrawal stops them at once.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function changeParticipantConsent(
  store: Store,
  clock: Clock,
  id: string,
  token: PrivateKey | undefined,
  input: ConsentInput,
): Promise<ConsentState> {
  const participant = await openParticipant(store, id, token)
  const now = clock.now()
  const at = now.toISOString()
  const entry = change(input, at)
  const purposes = { ...participant.consent.purposes, [input.purpose]: input.given }
  const history = [...(participant.consent.history ?? []), entry]
  const consent = { ...participant.consent, purposes, history }
  const steps: Step[] = [
    [
      'participant',
      Participant.update(
        participant,
        { set: { consent, updatedAt: at } },
        { when: Participant.tokenIs(participant.tokenHash) },
      ),
    ],
  ]
  if (!input.given && participant.consent.purposes[input.purpose])
    steps.push(withdrawal('participant', participant.id, input.purpose, now))
  await transact(store, steps, { explain: stale })
  return { purposes, noticeVersion: participant.consent.purposeVersion, history }
}

/** The consent state a request's owner sees on their page. */
export function requestConsentState(consent: {
  purposes?: ConsentPurposes | undefined
  purposeVersion: string
  history?: ConsentChange[] | undefined
}): ConsentState {
  return {
    purposes: consent.purposes ?? LEGACY_PURPOSES,
    noticeVersion: consent.purposeVersion,
    history: consent.history ?? [],
  }
}
