/**
 * Retention (docs/contract/data-protection.md#retention): a person's data is erased a set time after
 * their last activity — 12 months unless their program says otherwise — by a timed duty that the
 * person's creation schedules and that moves itself while they are active. When it fires it looks at
 * what the person did since; if the period has not passed it moves, otherwise it erases them through
 * the very path a person's own request takes (`PersonErased`).
 */
import { Participant, Registration } from '../adapters/dynamo/entities/class.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { Acceptance } from '../adapters/dynamo/entities/offer.ts'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { Session } from '../adapters/dynamo/entities/session.ts'
import { get, query, transact } from '../adapters/dynamo/index.ts'
import type { ParticipantItem } from '../class/item.ts'
import { dropParticipantContactLinks } from '../class/recovery-links.ts'
import { createEvent, outbox } from '../event/index.ts'
import { getRequest } from '../request/access.ts'
import { eraseRequestItem } from '../request/change.ts'
import type { Clock, Store } from '../store.ts'
import { PrivacyEvents } from './events.ts'
import { addMonths, DEFAULT_RETENTION_MONTHS, personOfSubject, retentionStep } from './retention-duty.ts'

export type RetentionOutcome = 'erased' | 'moved' | 'gone'

const latest = (dates: readonly (string | null | undefined)[]) =>
  dates.reduce<string>((last, at) => (at && at > last ? at : last), '')

async function retentionMonthsOf(store: Store, programId: string | null): Promise<number> {
  if (!programId) return DEFAULT_RETENTION_MONTHS
  const program = await get(store, Program, { id: programId })
  return program?.retentionMonths ?? DEFAULT_RETENTION_MONTHS
}

/**
 * Carries out a retention duty (the `FollowUpRunner` consumer, on `FollowUpDue` of kind `retention`).
 * Safe to repeat: a person already erased is `gone`.
 */
export async function applyRetention(
  store: Store,
  clock: Clock,
  subjectId: string,
): Promise<RetentionOutcome> {
  const ref = personOfSubject(subjectId)
  if (!ref) return 'gone'
  const now = clock.now()
  if (ref.person === 'owner') {
    const request = await getRequest(store, ref.personId)
    if (!request || request.erasedAt !== null) return 'gone'
    const sessions = (await query(store, Session.ofRequest(request.id), { limit: 100 })).items
    const acceptance = await get(store, Acceptance, { requestId: request.id })
    const engagement = acceptance && (await get(store, Engagement, { id: acceptance.engagementId }))
    const last = latest([
      request.updatedAt,
      engagement?.updatedAt,
      ...sessions.map((session) => session.updatedAt),
    ])
    const due = addMonths(new Date(last), await retentionMonthsOf(store, request.programId))
    if (due > now) {
      await transact(store, [
        ['retention', retentionStep(ref, new Date(last), await retentionMonthsOf(store, request.programId))],
      ])
      return 'moved'
    }
    await eraseRequestItem(store, clock, request, 'retention')
    return 'erased'
  }
  if (ref.person === 'participant') {
    const participant = await get(store, Participant, { id: ref.personId })
    if (!participant) return 'gone'
    const registrations = (await query(store, Registration.ofParticipant(participant.id), { limit: 100 }))
      .items
    const last = latest([
      participant.updatedAt,
      ...registrations.map((registration) => registration.updatedAt),
    ])
    // A participant may join classes of several programs: the longest period among them applies.
    const programs = [...new Set(registrations.map((registration) => registration.programId))]
    const periods = await Promise.all(programs.map((programId) => retentionMonthsOf(store, programId)))
    const months = periods.length > 0 ? Math.max(...periods) : DEFAULT_RETENTION_MONTHS
    if (addMonths(new Date(last), months) > now) {
      await transact(store, [['retention', retentionStep(ref, new Date(last), months)]])
      return 'moved'
    }
    await eraseParticipant(store, clock, participant, 'retention')
    return 'erased'
  }
  return 'gone'
}

/**
 * Erases a participant: their item (name, phone, e-mail, business, consent, link) is deleted in one
 * transaction with the items that let link recovery find them by phone or e-mail
 * (docs/contract/channels.md#lost-link) and `PersonErased`, on which the `Erasure` consumer releases
 * and blanks their registrations and each other consumer its own part. Calls: 1 `TransactWriteItems`.
 */
export async function eraseParticipant(
  store: Store,
  clock: Clock,
  participant: ParticipantItem,
  reason: 'request' | 'retention',
): Promise<void> {
  const now = clock.now()
  const participantId = participant.id
  await transact(store, [
    ['participant', Participant.remove({ id: participantId })],
    ...dropParticipantContactLinks(participant),
    [
      'person',
      outbox(
        createEvent(
          PrivacyEvents.PersonErased,
          { person: 'participant', personId: participantId, reason },
          now,
        ),
      ),
    ],
  ])
}
