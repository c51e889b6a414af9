/**
 * Registering for classes (docs/contract/classes-and-certificates.md): anyone, no account. A person registers for a class and gets a
 * private link (token stored only as a hash, the request tracking scheme) to a page of all their
 * registrations; with that link they register for more classes as the same participant.
 *
 * One normalised phone holds at most one place per class under any concurrency: the registering
 * transaction puts the phone's claim (`PhoneClaim`) with `attribute_not_exists`. First come: the seat
 * is taken in the same transaction (invariant 3, the program segments' design); a full segment
 * queues the registration in arrival order. Lottery: registrations are plain puts (no counter on the
 * hot path at all); the draw gives the seats at close (`lottery.ts`).
 */
import { regionCovers, requireAccount } from '../actor/index.ts'
import {
  Class,
  ClassSegment,
  Participant,
  PhoneClaim,
  Registration,
} from '../adapters/dynamo/entities/class.ts'
import { get, type Page, query, type Refusal, type Step, transact, write } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { hashPhone, normalizePhone } from '../business/index.ts'
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { answerSecret, type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { firstConsent, requireCurrentNotice } from '../privacy/consent.ts'
import { retentionStep } from '../privacy/retention-duty.ts'
import { newTrackingToken, type PrivateKey, trackingTokenMatches } from '../request/token.ts'
import type { Clock, Store } from '../store.ts'
import { loadClass, publishedClass } from './access.ts'
import { ClassEvents } from './events.ts'
import type { NewRegistration } from './input.ts'
import { HOLDING_STATUSES, type ParticipantItem, type RegistrationItem } from './item.ts'
import { participantContactLinks } from './recovery-links.ts'
import {
  groupsOf,
  type ParticipantView,
  type Registered,
  type RegistrationInfo,
  toClassInfo,
  toRegistrationInfo,
} from './view.ts'

/** The private page of a participant (the token goes in `?token=`). */
export const privatePathOf = (participantId: string) => `/peserta/${participantId}`

/** The place facts every registration event carries: ids, regions, segment. */
export const placeOf = (registration: RegistrationItem) => ({
  classId: registration.classId,
  programId: registration.programId,
  classRegion: registration.classRegion,
  registrationId: registration.id,
  participantId: registration.participantId,
  region: registration.region,
  segment: registration.segment,
})

type Placement = 'registered' | 'confirmed' | 'waitlisted'

/** The status of a registration that still holds or awaits a place; `undefined` otherwise. */
function holding(registration: RegistrationItem): Placement | undefined {
  return HOLDING_STATUSES.includes(registration.status) ? (registration.status as Placement) : undefined
}

/**
 * Registers a person (or a participant, by their token) for a class, answering the registration's
 * status and, for a new participant, the private link's token. First come: `confirmed` (seat taken)
 * or `waitlisted` (segment full, in arrival order); lottery: `registered`, drawn at close.
 *
 * One transaction: the registration, the phone's claim (one place per class), the participant (new)
 * or the check that their token is still the one read, the seat (first come) or the segment's
 * existence (lottery), the check that the class takes registrations now, and `ParticipantRegistered`.
 * A full segment's registration is written by a second transaction that queues it.
 * Calls: at most 1 `GetItem` (the class, cached per process once published; plus the participant
 * when registering by token) + 1 `TransactWriteItems` (2 when the segment is full).
 *
 * @throws ValidationError for a segment the class has not, or a person missing without a token
 * @throws NotFoundError for no such class, a draft, or a wrong participant token
 * @throws ConflictError `already-registered` (this phone holds a place), `class-not-open`
 */
export async function registerForClass(
  store: Store,
  clock: Clock,
  classId: string,
  input: NewRegistration,
  token: PrivateKey | undefined,
  options: { idempotency?: IdempotencyClaim | undefined; locale?: 'id' | 'en' } = {},
): Promise<Registered> {
  if (input.participantId !== undefined && (input.person || input.consent))
    throw new ValidationError([{ path: input.person ? 'person' : 'consent', key: 'field.not_with_token' }])
  if (input.participantId === undefined && (!input.person || !input.consent))
    throw new ValidationError([{ path: input.person ? 'consent' : 'person', key: 'field.person_or_token' }])
  const klass = await publishedClass(store, classId)
  if (!klass || klass.status === 'draft') throw new NotFoundError('No such class')
  if (!(input.segment in klass.seats))
    throw new ValidationError([{ path: 'segment', key: 'field.class_segment' }])

  const now = clock.now()
  const at = now.toISOString()
  let participant: ParticipantItem
  let fresh: { token: string; hash: string } | undefined
  // A new participant's token, made so that the stored answer of an idempotent call need not hold it.
  const secret = answerSecret(options.idempotency)
  if (input.participantId !== undefined) {
    const found = await get(store, Participant, { id: input.participantId })
    if (!found || !trackingTokenMatches(found.tokenHash, token))
      throw new NotFoundError('No such participant for this token')
    participant = found
  } else {
    const person = input.person as NonNullable<NewRegistration['person']>
    const consent = input.consent as NonNullable<NewRegistration['consent']>
    requireCurrentNotice(consent.purposeVersion)
    const phone = normalizePhone(person.phone)
    if (!phone) throw new ValidationError([{ path: 'person.phone', key: 'field.phone' }])
    fresh = newTrackingToken(secret)
    participant = {
      entity: 'participant',
      version: 1,
      id: newId(),
      name: person.name,
      phone,
      email: person.email ?? null,
      region: person.region,
      business: person.business
        ? {
            name: person.business.name,
            sector: person.business.sector,
            sizeClass: person.business.sizeClass ?? null,
          }
        : null,
      consent: {
        purposes: consent.purposes,
        purposeVersion: consent.purposeVersion,
        recordedAt: at,
        history: firstConsent(consent.purposes, consent.purposeVersion, at),
      },
      locale: options.locale ?? 'id',
      channel: person.channel ?? 'whatsapp',
      tokenHash: fresh.hash,
      createdAt: at,
      updatedAt: at,
    }
  }

  const lottery = klass.admission === 'lottery'
  const phoneHash = hashPhone(participant.phone)
  const id = newId()
  const base: RegistrationItem = {
    entity: 'registration',
    version: 1,
    id,
    classId,
    programId: klass.programId,
    classRegion: klass.region,
    participantId: participant.id,
    name: participant.name,
    region: participant.region,
    segment: input.segment,
    status: lottery ? 'registered' : 'confirmed',
    queue: at,
    phoneHash,
    interest: input.interest ?? null,
    registeredAt: at,
    updatedAt: at,
    confirmedAt: null,
    drawRank: null,
    attendance: {},
    completedAt: null,
  }
  // Only this refusal sends the registration to the waitlist.
  const full = new ConflictError('Segment full', 'class-full')

  const attempt = async (status: Placement): Promise<Registered> => {
    const registration: RegistrationItem = {
      ...base,
      status,
      confirmedAt: status === 'confirmed' ? at : null,
    }
    const answer: Registered = {
      id,
      classId,
      participantId: participant.id,
      status,
      ...(fresh ? { participantToken: fresh.token } : {}),
      privatePath: privatePathOf(participant.id),
    }
    const admission: Step[] = lottery
      ? [['class', Class.registers(classId, at, input.segment)]]
      : [
          [
            'seat',
            status === 'confirmed'
              ? ClassSegment.takeSeat(classId, input.segment)
              : ClassSegment.joinWaitlist(classId, input.segment),
          ],
          ['class', Class.registers(classId, at)],
        ]
    const event = createEvent(
      ClassEvents.ParticipantRegistered,
      { ...placeOf(registration), status, registeredAt: at },
      now,
    )
    await transact(
      store,
      [
        ['registration', Registration.put(registration)],
        [
          'phone',
          PhoneClaim.put({ entity: 'classPhone', version: 1, classId, phoneHash, registrationId: id }),
        ],
        [
          'participant',
          fresh
            ? Participant.put(participant)
            : Participant.check({ id: participant.id }, Participant.tokenIs(participant.tokenHash)),
        ],
        ...admission,
        // Issue 17: where link recovery finds a new participant by their phone (and e-mail).
        ...(fresh ? participantContactLinks(participant) : []),
        // Registering is activity: the participant's retention period starts again.
        ['retention', retentionStep({ person: 'participant', personId: participant.id }, now)],
        ['event', outbox(event)],
      ],
      {
        idempotency: storeAnswer(options.idempotency, { status: 201, body: answer }, now, fresh && secret),
        explain: ({ conditions, items }: Refusal<string>) => {
          if (conditions.has('class'))
            return items.class
              ? new ConflictError('Class not taking registrations', 'class-not-open')
              : new NotFoundError('No such class')
          if (conditions.has('phone'))
            return new ConflictError('Phone already registered', 'already-registered')
          if (conditions.has('participant'))
            return fresh ? new ConflictError('Id collision', 'conflict') : new NotFoundError('Token changed')
          if (conditions.has('seat') && !items.seat)
            return new ValidationError([{ path: 'segment', key: 'field.class_segment' }])
          if (conditions.has('seat') && status === 'confirmed') return full
          return new ConflictError('Too many concurrent changes; try again', 'stale')
        },
      },
    )
    return answer
  }

  try {
    return await attempt(lottery ? 'registered' : 'confirmed')
  } catch (error) {
    if (error !== full) throw error
    return attempt('waitlisted')
  }
}

/** The counter change that gives back a registration's seat or waitlist place (none for a lottery entry). */
function seatBack(registration: RegistrationItem, status: Placement): Step[] {
  const { classId, segment } = registration
  if (status === 'confirmed') return [['seat', ClassSegment.releaseSeat(classId, segment)]]
  if (status === 'waitlisted') return [['seat', ClassSegment.leaveWaitlist(classId, segment)]]
  return []
}

/**
 * The steps that cancel a registration holding or awaiting a place, for one transaction: it becomes
 * `cancelled` (if still as read), its seat or waitlist place is given back, its phone's claim freed,
 * and `RegistrationCancelled` says by whom and whether the freed seat goes to the next in line.
 */
function cancellation(
  registration: RegistrationItem,
  previousStatus: Placement,
  now: Date,
  by: 'participant' | 'staff' | 'class',
  freedSeat: boolean,
): Step[] {
  return [
    [
      'registration',
      Registration.update(
        registration,
        { set: { status: 'cancelled', updatedAt: now.toISOString() } },
        { when: Registration.inStatus(registration.status) },
      ),
    ],
    ...seatBack(registration, previousStatus),
    ['phone', PhoneClaim.release(registration.classId, registration.phoneHash, registration.id)],
    [
      'event',
      outbox(
        createEvent(
          ClassEvents.RegistrationCancelled,
          { ...placeOf(registration), previousStatus, freedSeat, by },
          now,
        ),
      ),
    ],
  ]
}

/** The registration and whether its participant (by token) or staff of its class's region opened it. */
async function openRegistration(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
): Promise<{ registration: RegistrationItem; by: 'participant' | 'staff' }> {
  if (token === undefined) {
    const actor = requireAccount('staff', 'admin')
    const registration = await get(store, Registration, { id })
    if (!registration || !regionCovers(actor.region, registration.classRegion))
      throw new NotFoundError('No such registration in this region')
    return { registration, by: 'staff' }
  }
  const registration = await get(store, Registration, { id })
  const participant = registration && (await get(store, Participant, { id: registration.participantId }))
  if (!registration || !participant || !trackingTokenMatches(participant.tokenHash, token))
    throw new NotFoundError('No such registration for this token')
  return { registration, by: 'participant' }
}

/**
 * Cancels a registration that still holds or awaits a place (its participant, by token; or staff of
 * the class's region): the seat (or waitlist place) is given back and the phone freed, in one
 * transaction with `RegistrationCancelled`; a freed seat goes to the oldest waiting registration of
 * the segment (the `ClassSeats` consumer). Calls: 1–2 `GetItem`s + 1 `TransactWriteItems`.
 */
export async function cancelRegistration(
  store: Store,
  clock: Clock,
  id: string,
  token: PrivateKey | undefined,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<RegistrationInfo> {
  const { registration, by } = await openRegistration(store, id, token)
  const previousStatus = holding(registration)
  if (!previousStatus) throw new ConflictError('Registration not open', 'registration-not-open')
  const now = clock.now()
  const at = now.toISOString()
  const after: RegistrationItem = { ...registration, status: 'cancelled', updatedAt: at }
  const info = toRegistrationInfo(after)
  await transact(store, cancellation(registration, previousStatus, now, by, previousStatus === 'confirmed'), {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: info }, now),
    explain: () => new ConflictError('Registration changed meanwhile', 'registration-not-open'),
  })
  return info
}

/**
 * Cancels one registration because its class was cancelled (the `ClassNotices` consumer): its seat
 * (or waitlist place) is given back and its phone freed; nobody is promoted into a cancelled class.
 * Safe to repeat: refused quietly once cancelled.
 * @returns whether it was cancelled now
 */
export async function cancelForClass(
  store: Store,
  clock: Clock,
  registration: RegistrationItem,
): Promise<boolean> {
  const previousStatus = holding(registration)
  if (!previousStatus) return false
  const now = clock.now()
  const gone = new Error('Already moved on')
  try {
    await transact(store, cancellation(registration, previousStatus, now, 'class', false), {
      explain: () => gone,
    })
    return true
  } catch (error) {
    if (error === gone) return false
    throw error
  }
}

/**
 * Ends one registration of a participant whose data is erased (UU PDP; the `Erasure` consumer): a
 * place still held is given back (a freed seat goes to the next in line, `RegistrationCancelled` by
 * `participant`), the phone's claim is deleted, and the registration keeps only its anonymous facts
 * (class, segment, status, attendance): name and phone hash are blanked. Safe to repeat.
 * Calls: 1 `TransactWriteItems` or `DeleteItem` + 1 `GetItem` + 1 `UpdateItem`.
 */
export async function eraseRegistration(
  store: Store,
  clock: Clock,
  registration: RegistrationItem,
): Promise<void> {
  const previousStatus = holding(registration)
  const now = clock.now()
  const at = now.toISOString()
  if (previousStatus) {
    const gone = new Error('Already moved on')
    try {
      await transact(
        store,
        cancellation(registration, previousStatus, now, 'participant', previousStatus === 'confirmed'),
        { explain: () => gone },
      )
    } catch (error) {
      if (error !== gone) throw error
    }
  } else if (registration.phoneHash) {
    await write(store, PhoneClaim.release(registration.classId, registration.phoneHash, registration.id))
  }
  // Read again: the update rewrites index keys from the item it is given, whose status just changed.
  const current = await get(store, Registration, { id: registration.id })
  if (!current || (current.name === '' && current.phoneHash === '')) return
  await write(store, Registration.update(current, { set: { name: '', phoneHash: '', updatedAt: at } }))
}

/**
 * Gives a freed seat of `segment` to its oldest waiting registration: one transaction takes the seat
 * (`admitted < quota`), moves the registration `waitlisted → confirmed`, checks the class still runs,
 * and writes `RegistrationPromoted`. A second delivery finds no free seat and does nothing. The queue
 * is read from the `byProgram` index (eventually consistent): a head already moved fails its status
 * condition and the next is tried. At most one `Query` and two `TransactWriteItems`.
 *
 * @returns the promoted registration, or `undefined` when no seat is free or nobody waits
 */
export async function promoteNextRegistration(
  store: Store,
  clock: Clock,
  classId: string,
  segment: string,
): Promise<RegistrationItem | undefined> {
  const queue = await query(store, Registration.inClass(classId, 'waitlisted', segment), { limit: 2 })
  const skip = new Error('Not waiting any more')
  const noSeat = new Error('No free seat')
  for (const registration of queue.items) {
    const now = clock.now()
    const at = now.toISOString()
    const promoted: RegistrationItem = {
      ...registration,
      status: 'confirmed',
      confirmedAt: at,
      updatedAt: at,
    }
    try {
      await transact(
        store,
        [
          ['seat', ClassSegment.promote(classId, segment)],
          [
            'registration',
            Registration.update(
              registration,
              { set: { status: 'confirmed', confirmedAt: at, updatedAt: at } },
              { when: Registration.inStatus('waitlisted') },
            ),
          ],
          ['class', Class.check({ id: classId }, Class.inStatus('open', 'full', 'running'))],
          [
            'event',
            outbox(
              createEvent(
                ClassEvents.RegistrationPromoted,
                { ...placeOf(registration), promotedAt: at },
                now,
              ),
            ),
          ],
        ],
        {
          explain: ({ conditions }) =>
            conditions.has('registration') && !conditions.has('seat') && !conditions.has('class')
              ? skip
              : noSeat,
        },
      )
      return promoted
    } catch (error) {
      if (error === noSeat) return undefined
      if (error !== skip) throw error
    }
  }
  return undefined
}

/** The participant if `token` opens their page; a wrong token is a 404, as an unknown id. One `GetItem`. */
export async function openParticipant(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
): Promise<ParticipantItem> {
  const participant = await get(store, Participant, { id })
  if (!participant || !trackingTokenMatches(participant.tokenHash, token))
    throw new NotFoundError('No such participant for this token')
  return participant
}

/**
 * The participant's private page: their registrations, each with its class, the meeting link (once
 * confirmed) and their group per meeting. Calls: 1 `GetItem` + 1 `Query` + 1 `Query` per class
 * registered for (a person registers for a handful).
 */
export async function readParticipant(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
): Promise<ParticipantView & { participant: ParticipantItem }> {
  const participant = await openParticipant(store, id, token)
  const page: Page<RegistrationItem> = await query(store, Registration.ofParticipant(id), { limit: 50 })
  const classIds = [...new Set(page.items.map((registration) => registration.classId))]
  const classes = new Map(
    (await Promise.all(classIds.map((classId) => loadClass(store, classId)))).flatMap((found) =>
      found ? [[found.klass.id, found] as const] : [],
    ),
  )
  return {
    participant,
    id: participant.id,
    name: participant.name,
    consent: participant.consent.purposes,
    registrations: page.items.map((registration) => {
      const found = classes.get(registration.classId)
      const seated = registration.status === 'confirmed' || registration.status === 'attended'
      return {
        registration: toRegistrationInfo(registration),
        class: found ? toClassInfo(found.klass, found.segments) : null,
        meetingUrl: seated ? (found?.klass.meetingUrl ?? null) : null,
        groups: found ? groupsOf(registration.id, found.meetings) : [],
      }
    }),
  }
}
