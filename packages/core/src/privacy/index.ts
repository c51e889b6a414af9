/**
 * Data protection (UU PDP 27/2022; docs/contract/data-protection.md): consent per purpose and its
 * history, each person's export and erasure, and retention. (The record of messages sent is the
 * notification domain's: `recordSends`.)
 *
 * What every function's cold start may load is here statically: the purposes, the notice version,
 * the events, the retention duty. The rest — export, erasure, consent changes, retention's sweep —
 * walks other domains (requests, classes, mentors, sessions) and is loaded on first call, so a
 * consumer that only names `PrivacyEvents` does not carry it (`npm run build` shows the sizes).
 */
import type { PrivateKey } from '../request/token.ts'
import type { Clock, Store } from '../store.ts'
import type { ConsentInput } from './consent.ts'
import type { ConsentState } from './consent-change.ts'
import type { EndCause, OwnerErasure } from './erase.ts'
import type { PersonExport } from './export.ts'
import type { MentorErasure } from './mentor-erase.ts'
import type { RetentionOutcome } from './retention.ts'

export {
  CONSENT_PURPOSES,
  ConsentChange,
  ConsentInput,
  type ConsentPurpose,
  ConsentPurposes,
  firstConsent,
  LEGACY_PURPOSES,
  MentorErasureInput,
  PRIVACY_NOTICE_VERSION,
  requireCurrentNotice,
} from './consent.ts'
export { PersonKind, PrivacyEvents } from './events.ts'
export {
  addMonths,
  DEFAULT_RETENTION_MONTHS,
  type PersonRef,
  personOfSubject,
  retentionStep,
  retentionSubject,
} from './retention-duty.ts'
export type { ConsentState, EndCause, MentorErasure, OwnerErasure, PersonExport, RetentionOutcome }

const consentChange = () => import('./consent-change.ts')
const erase = () => import('./erase.ts')
const exports = () => import('./export.ts')
const mentorErase = () => import('./mentor-erase.ts')
const retention = () => import('./retention.ts')

/** {@link import('./consent-change.ts').changeRequestConsent} */
export async function changeRequestConsent(
  store: Store,
  clock: Clock,
  id: string,
  token: PrivateKey | undefined,
  input: ConsentInput,
): Promise<ConsentState> {
  return (await consentChange()).changeRequestConsent(store, clock, id, token, input)
}

/** {@link import('./consent-change.ts').changeParticipantConsent} */
export async function changeParticipantConsent(
  store: Store,
  clock: Clock,
  id: string,
  token: PrivateKey | undefined,
  input: ConsentInput,
): Promise<ConsentState> {
  return (await consentChange()).changeParticipantConsent(store, clock, id, token, input)
}

/** {@link import('./erase.ts').endEngagementOfRequest} */
export async function endEngagementOfRequest(
  store: Store,
  clock: Clock,
  requestId: string,
  cause: EndCause,
): Promise<boolean> {
  return (await erase()).endEngagementOfRequest(store, clock, requestId, cause)
}

/** {@link import('./erase.ts').eraseOwnerRecords} */
export async function eraseOwnerRecords(
  store: Store,
  clock: Clock,
  requestId: string,
): Promise<OwnerErasure> {
  return (await erase()).eraseOwnerRecords(store, clock, requestId)
}

/** {@link import('./erase.ts').eraseParticipantRecords} */
export async function eraseParticipantRecords(
  store: Store,
  clock: Clock,
  participantId: string,
): Promise<number> {
  return (await erase()).eraseParticipantRecords(store, clock, participantId)
}

/** {@link import('./mentor-erase.ts').eraseOwnMentorData} */
export async function eraseOwnMentorData(store: Store, clock: Clock): Promise<{ mentorId: string }> {
  return (await mentorErase()).eraseOwnMentorData(store, clock)
}

/** {@link import('./mentor-erase.ts').eraseMentorRecords} */
export async function eraseMentorRecords(
  store: Store,
  clock: Clock,
  mentorId: string,
): Promise<MentorErasure> {
  return (await mentorErase()).eraseMentorRecords(store, clock, mentorId)
}

/** {@link import('./export.ts').exportOwner} */
export async function exportOwner(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
  now: Date,
): Promise<PersonExport> {
  return (await exports()).exportOwner(store, id, token, now)
}

/** {@link import('./export.ts').exportParticipant} */
export async function exportParticipant(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
  now: Date,
): Promise<PersonExport> {
  return (await exports()).exportParticipant(store, id, token, now)
}

/** {@link import('./export.ts').exportMentor} */
export async function exportMentor(store: Store, now: Date): Promise<PersonExport> {
  return (await exports()).exportMentor(store, now)
}

/** {@link import('./retention.ts').applyRetention} */
export async function applyRetention(
  ...args: Parameters<typeof import('./retention.ts').applyRetention>
): Promise<RetentionOutcome> {
  return (await retention()).applyRetention(...args)
}

/** {@link import('./retention.ts').eraseParticipant} */
export async function eraseParticipant(
  ...args: Parameters<typeof import('./retention.ts').eraseParticipant>
): Promise<Awaited<ReturnType<typeof import('./retention.ts').eraseParticipant>>> {
  return (await retention()).eraseParticipant(...args)
}
