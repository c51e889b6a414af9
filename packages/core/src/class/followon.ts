/**
 * Follow-on classes and reminders: who may be told what. A follow-on class (UMKM first, after a
 * burst) invites a past class's waitlist or participants of a segment, but only people who consented
 * to `follow_on_invitations`; meeting reminders go only to those who consented to `reminders`.
 */
import { Class, Participant, Registration } from '../adapters/dynamo/entities/class.ts'
import { get, transact } from '../adapters/dynamo/index.ts'
import { ConflictError, NotFoundError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import type { Clock, Store } from '../store.ts'
import { classFacts, getClassItem, staffOf, visible } from './access.ts'
import { ClassEvents } from './events.ts'
import type { InvitationsInput } from './input.ts'
import type { ConsentPurpose, ParticipantItem, RegistrationItem, RegistrationStatus } from './item.ts'
import { allRegistrations } from './lottery.ts'

/** Statuses of a class's past participants (everyone who held a seat). */
const PARTICIPATED: RegistrationStatus[] = ['confirmed', 'attended', 'absent']

/**
 * Staff of the new class's region invite a past class's waitlist or participants (one segment's, or
 * all) to it, while it takes registrations. Only the request is written here (`ClassInvitationsRequested`,
 * with a check that the class is open); the `ClassNotices` consumer sends the invitations to those who
 * consented. Calls: 2 `GetItem`s + 1 `TransactWriteItems`.
 */
export async function requestInvitations(
  store: Store,
  clock: Clock,
  classId: string,
  input: InvitationsInput,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
) {
  const [klass, from] = await Promise.all([
    getClassItem(store, classId),
    getClassItem(store, input.fromClassId),
  ])
  const target = visible(klass)
  staffOf(target)
  if (!from) throw new NotFoundError('No such class to invite from')
  // The source class's people are not the staff's to reach unless they may see that class too.
  staffOf(from)
  if (target.status !== 'open' && target.status !== 'full')
    throw new ConflictError(`Class is ${target.status}`, 'class-status')
  const now = clock.now()
  const at = now.toISOString()
  const answer = {
    classId,
    fromClassId: input.fromClassId,
    audience: input.audience,
    segment: input.segment ?? null,
    requestedAt: at,
  }
  await transact(
    store,
    [
      ['class', Class.check({ id: classId }, Class.inStatus('open', 'full'))],
      [
        'event',
        outbox(
          createEvent(
            ClassEvents.InvitationsRequested,
            { ...classFacts(target), ...answer, fromClassId: from.id },
            now,
          ),
        ),
      ],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 202, body: answer }, now),
      explain: () => new ConflictError('Class changed meanwhile', 'class-status'),
    },
  )
  return answer
}

/** How many participants are read at once. */
const READ_PARALLEL = 10

/**
 * The participants behind `registrations`, each once (with their first registration there); with
 * `purpose`, only those who consented to it. Reads each participant strongly consistent (a consent
 * withdrawn a moment ago is honoured); erased participants are left out.
 */
export async function participantsOf(
  store: Store,
  registrations: readonly RegistrationItem[],
  purpose?: ConsentPurpose,
): Promise<Array<{ participant: ParticipantItem; registration: RegistrationItem }>> {
  const firstOf = new Map<string, RegistrationItem>()
  for (const registration of registrations)
    if (!firstOf.has(registration.participantId)) firstOf.set(registration.participantId, registration)
  const ids = [...firstOf.keys()]
  const found: Array<{ participant: ParticipantItem; registration: RegistrationItem }> = []
  for (let from = 0; from < ids.length; from += READ_PARALLEL) {
    const participants = await Promise.all(
      ids.slice(from, from + READ_PARALLEL).map((id) => get(store, Participant, { id })),
    )
    for (const participant of participants)
      if (
        participant &&
        participant.tokenHash !== null &&
        (!purpose || participant.consent.purposes[purpose])
      )
        found.push({ participant, registration: firstOf.get(participant.id) as RegistrationItem })
  }
  return found
}

/** The registrations `ids` name (those that exist), a handful at a time. */
export async function registrationsOf(store: Store, ids: readonly string[]): Promise<RegistrationItem[]> {
  const found: RegistrationItem[] = []
  for (let from = 0; from < ids.length; from += READ_PARALLEL)
    for (const registration of await Promise.all(
      ids.slice(from, from + READ_PARALLEL).map((id) => get(store, Registration, { id })),
    ))
      if (registration) found.push(registration)
  return found
}

/**
 * Who a follow-on invitation reaches: the source class's waitlist (queue order) or past participants,
 * of one segment or all, who consented to `follow_on_invitations`.
 */
export async function invitationAudience(
  store: Store,
  fromClassId: string,
  audience: 'waitlist' | 'participants',
  segment: string | null,
): Promise<Array<{ participant: ParticipantItem; registration: RegistrationItem }>> {
  const statuses: RegistrationStatus[] = audience === 'waitlist' ? ['waitlisted'] : PARTICIPATED
  const registrations = (
    await Promise.all(
      statuses.map((status) => allRegistrations(store, fromClassId, status, segment ?? undefined)),
    )
  ).flat()
  return participantsOf(store, registrations, 'follow_on_invitations')
}

/** The seated participants of a class who consented to `reminders`. */
export async function reminderAudience(store: Store, classId: string) {
  return participantsOf(store, await allRegistrations(store, classId, 'confirmed'), 'reminders')
}
