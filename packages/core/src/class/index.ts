/**
 * Classes (kelas, docs/contract/classes-and-certificates.md): a program's group trainings with trainers, meetings, seats per segment
 * and a registration window. Staff create a class as a draft, publish it (a lottery's seed hash is
 * public from then on), may close registration early, and may cancel it.
 *
 * Invariant 4 covers trainers too: a class books one `MENTOR#<id> / SLOT#<quarter hour>` item per
 * quarter hour of each meeting for each trainer, with `attribute_not_exists`, exactly the items
 * sessions book. So a meeting never overlaps a 1:1 session or another meeting, by one condition.
 */
import { regionCovers, requireAccount } from '../actor/index.ts'
import {
  Class,
  ClassMeeting,
  ClassSegment,
  ClassSetup,
  MeetingSlot,
} from '../adapters/dynamo/entities/class.ts'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { get, PAGE_DEFAULT, type Page, query, type Step, transact, when } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { ConflictError, type FieldIssue, ForbiddenError, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { NATIONAL, type ProgramItem, regionAncestors } from '../program/index.ts'
import type { Clock, Store } from '../store.ts'
import { classFacts, getClassItem, loadClass, staffOf, visible } from './access.ts'
import { newSeed } from './draw.ts'
import { ClassEvents } from './events.ts'
import type { CatalogQuery, NewClass } from './input.ts'
import type { ClassItem, ClassSegmentItem, ClassStatus, Meeting } from './item.ts'
import { type ClassInfo, toClassInfo } from './view.ts'
import './messages.ts'

export { classFacts, getClassItem, loadClass, trainerOrStaffOf } from './access.ts'
export {
  checkIn,
  finishClass,
  formGroups,
  lastMeetingMarked,
  openCheckIn,
  readRoster,
  recordAttendance,
  requestFinish,
} from './attendance.ts'
export { drawOrder, seedHashOf } from './draw.ts'
export { ClassEvents } from './events.ts'
export {
  invitationAudience,
  participantsOf,
  registrationsOf,
  reminderAudience,
  requestInvitations,
} from './followon.ts'
export * from './input.ts'
export * from './item.ts'
export { allRegistrations, drawClass, readDraw } from './lottery.ts'
export {
  cancelForClass,
  cancelRegistration,
  eraseRegistration,
  openParticipant,
  readParticipant,
  registerForClass,
} from './register.ts'
export { fillFreeSeats, markFilled } from './seats.ts'
export { revokeParticipantToken, rotateParticipantToken } from './token.ts'
export * from './view.ts'

/** Meetings start and end on the quarter hours trainers' slots are booked in. */
export const SLOT_MINUTES = 15
/** The longest meeting: four hours, as a session. */
export const MAX_MEETING_MINUTES = 240
/** Trainer slots one class may book: trainers × quarter hours of all meetings (one transaction). */
export const MAX_TRAINER_SLOTS = 72

/** The start of every quarter hour in `[startsAt, endsAt)`, as ISO UTC strings (the slots' keys). */
export function quarterHours(startsAt: string, endsAt: string): string[] {
  const slots: string[] = []
  const step = SLOT_MINUTES * 60_000
  for (let at = Date.parse(startsAt); at < Date.parse(endsAt); at += step)
    slots.push(new Date(at).toISOString())
  return slots
}

/** What is wrong with a class's meetings: off the quarter hours, too long, past, out of order, too many slots. */
export function meetingIssues(
  meetings: ReadonlyArray<{ startsAt: string; endsAt: string }>,
  trainers: number,
  now: Date,
): FieldIssue[] {
  const issues: FieldIssue[] = []
  const quarter = SLOT_MINUTES * 60_000
  let slots = 0
  meetings.forEach((meeting, index) => {
    const start = Date.parse(meeting.startsAt)
    const end = Date.parse(meeting.endsAt)
    const path = `meetings.${index}`
    if (start % quarter !== 0) issues.push({ path: `${path}.startsAt`, key: 'field.quarter_hour' })
    if (end % quarter !== 0) issues.push({ path: `${path}.endsAt`, key: 'field.quarter_hour' })
    if (end - start > MAX_MEETING_MINUTES * 60_000)
      issues.push({
        path: `${path}.endsAt`,
        key: 'field.meeting_length',
        params: { maximum: MAX_MEETING_MINUTES },
      })
    if (start <= now.getTime()) issues.push({ path: `${path}.startsAt`, key: 'field.in_past' })
    const previous = meetings[index - 1]
    if (previous && start < Date.parse(previous.endsAt))
      issues.push({ path: `${path}.startsAt`, key: 'field.meeting_order' })
    slots += Math.max(0, Math.ceil((end - start) / quarter))
  })
  if (slots * trainers > MAX_TRAINER_SLOTS)
    issues.push({ path: 'meetings', key: 'field.too_many_slots', params: { maximum: MAX_TRAINER_SLOTS } })
  return issues
}

const iso = (value: string) => new Date(value).toISOString()

/** One step per trainer and quarter hour of every meeting: booking (or freeing) their time. */
function slotSteps(klass: ClassItem, book: boolean): Array<Step<'slot'>> {
  const steps: Array<Step<'slot'>> = []
  for (const trainer of klass.trainers)
    for (const meeting of klass.meetings)
      for (const slot of quarterHours(meeting.startsAt, meeting.endsAt))
        steps.push([
          'slot',
          book
            ? MeetingSlot.book(trainer.mentorId, slot, { classId: klass.id, meetingId: meeting.id })
            : MeetingSlot.free(trainer.mentorId, slot, klass.id),
        ])
  return steps
}

const meetingTimes = (klass: ClassItem) =>
  klass.meetings.map(({ id, startsAt, endsAt }) => ({ meetingId: id, startsAt, endsAt }))

/**
 * Staff create a class of a program, as a draft: one transaction puts the class, a seat counter per
 * segment, an item per meeting, every trainer's quarter hours (invariant 4: refused if any is taken
 * by a session or another meeting) and `ClassCreated`, checking the program is not closed. Staff
 * create inside their region (and their program's); admins anywhere, national programs included.
 * Calls: 1 + trainers `GetItem`s in parallel (program and trainers) + 1 `TransactWriteItems`.
 *
 * @throws ValidationError for meetings off the grid, an unknown program or trainer, a region outside the program's
 * @throws ForbiddenError outside the staff's region
 * @throws ConflictError `meeting-overlap` when a trainer is booked then; `program-not-open` for a closed program
 */
export async function createClass(
  store: Store,
  clock: Clock,
  input: NewClass,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<ClassInfo> {
  const actor = requireAccount('staff', 'admin')
  const now = clock.now()
  const meetingsIn = input.meetings.map((meeting) => ({
    startsAt: iso(meeting.startsAt),
    endsAt: iso(meeting.endsAt),
  }))
  const issues = meetingIssues(meetingsIn, input.trainerIds.length, now)
  if (issues.length > 0) throw new ValidationError(issues)

  // In parallel: the program and the (at most five) trainers.
  const found = (
    await Promise.all(
      [{ program: input.programId }, ...input.trainerIds.map((mentor) => ({ mentor }))].map((id) =>
        get(store, ClassSetup, id),
      ),
    )
  ).filter((item) => item !== undefined)
  const program = found.find((item): item is ProgramItem => item.entity === 'program')
  if (!program) throw new ValidationError([{ path: 'programId', key: 'field.program' }])
  const region = input.region ?? program.region
  if (program.region !== NATIONAL && !regionCovers(program.region, region))
    throw new ValidationError([{ path: 'region', key: 'field.region_outside' }])
  if (!regionCovers(actor.region, region)) throw new ForbiddenError('Class outside the account’s region')
  if (program.status === 'closed') throw new ConflictError('Program closed', 'program-not-open')
  const trainers = input.trainerIds.map((mentorId, index) => {
    const mentor = found.find((item) => item.entity === 'mentor' && item.id === mentorId)
    if (mentor?.entity !== 'mentor' || mentor.status !== 'active' || !mentor.accountSub) {
      issues.push({ path: `trainerIds.${index}`, key: 'field.trainer' })
      return { mentorId, sub: '', name: '' }
    }
    return { mentorId, sub: mentor.accountSub, name: mentor.name.split(/\s+/)[0] ?? mentor.name }
  })
  if (issues.length > 0) throw new ValidationError(issues)

  const at = now.toISOString()
  const id = newId()
  const meetings: Meeting[] = meetingsIn.map((meeting, index) => ({ id: `m${index + 1}`, ...meeting }))
  const seats: Record<string, number> = input.seats ?? program.segments
  const klass: ClassItem = {
    entity: 'class',
    version: 1,
    id,
    programId: program.id,
    region,
    title: input.title,
    topics: input.topics,
    description: input.description,
    trainers,
    mode: input.mode,
    meetingUrl: input.mode === 'offline' ? null : (input.meetingUrl ?? null),
    place: input.mode === 'online' ? null : (input.place ?? null),
    timeZone: input.timeZone,
    meetings,
    firstMeetingAt: meetings[0]?.startsAt ?? at,
    lastMeetingEndsAt: meetings.at(-1)?.endsAt ?? at,
    seats,
    registrationOpensAt: input.registrationOpensAt ? iso(input.registrationOpensAt) : at,
    registrationClosesAt: iso(input.registrationClosesAt),
    completion:
      input.completion.rule === 'all'
        ? { rule: 'all', minimumPercent: 100 }
        : { rule: 'percent', minimumPercent: input.completion.minimumPercent ?? 100 },
    admission: input.admission,
    status: 'draft',
    seedHash: null,
    seed: null,
    drawnAt: null,
    followOnOf: input.followOnOf ?? null,
    createdAt: at,
    updatedAt: at,
    createdBy: actor.sub,
    publishedAt: null,
    filledAt: null,
    finishedAt: null,
    cancelledAt: null,
  }
  const segments: ClassSegmentItem[] = Object.entries(seats).map(([segment, quota]) => ({
    entity: 'classSegment',
    version: 1,
    classId: id,
    segment,
    quota,
    admitted: 0,
    waitlisted: 0,
  }))
  const info = toClassInfo(klass, segments)
  const event = createEvent(
    ClassEvents.Created,
    {
      ...classFacts(klass),
      admission: klass.admission,
      seats,
      trainerIds: input.trainerIds,
      meetings: meetingTimes(klass),
      createdAt: at,
    },
    now,
  )
  await transact(
    store,
    [
      ['class', Class.put(klass)],
      ['program', Program.check({ id: program.id }, when('#status <> :closed', { ':closed': 'closed' }))],
      ...segments.map((segment) => ['segment', ClassSegment.put(segment)] as const),
      ...meetings.map(
        (meeting) =>
          [
            'meeting',
            ClassMeeting.put({
              entity: 'classMeeting',
              version: 1,
              classId: id,
              meetingId: meeting.id,
              startsAt: meeting.startsAt,
              endsAt: meeting.endsAt,
              checkInCode: null,
              groups: [],
              updatedAt: at,
            }),
          ] as const,
      ),
      ...slotSteps(klass, true),
      ['event', outbox(event)],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: info }, now),
      explain: ({ conditions }) =>
        conditions.has('slot')
          ? new ConflictError('A trainer is booked then', 'meeting-overlap')
          : conditions.has('program')
            ? new ConflictError('Program closed', 'program-not-open')
            : new ConflictError('Id collision', 'conflict'),
    },
  )
  return info
}

/** A status change staff make, or a 409 when the class has moved on. */
function mustBe(klass: ClassItem, ...statuses: ClassStatus[]): void {
  if (!statuses.includes(klass.status)) throw new ConflictError(`Class is ${klass.status}`, 'class-status')
}

const stale = () => new ConflictError('Class changed meanwhile', 'class-status')

/**
 * Opens a draft for registration. A lottery class gets its seed now: the seed's SHA-256 is public
 * from this moment, the seed itself only after the draw. One `GetItem` + one `TransactWriteItems`.
 */
export async function publishClass(
  store: Store,
  clock: Clock,
  id: string,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<ClassInfo> {
  const klass = visible(await getClassItem(store, id))
  staffOf(klass)
  mustBe(klass, 'draft')
  const now = clock.now()
  const at = now.toISOString()
  if (klass.registrationClosesAt <= at)
    throw new ValidationError([{ path: 'registrationClosesAt', key: 'field.in_past' }])
  const lottery = klass.admission === 'lottery' ? newSeed() : undefined
  const next: ClassItem = {
    ...klass,
    status: 'open',
    publishedAt: at,
    updatedAt: at,
    seedHash: lottery?.seedHash ?? null,
    seed: lottery?.seed ?? null,
  }
  const info = toClassInfo(next)
  const event = createEvent(
    ClassEvents.Published,
    {
      ...classFacts(next),
      admission: next.admission,
      seedHash: next.seedHash,
      seats: next.seats,
      registrationOpensAt: next.registrationOpensAt,
      registrationClosesAt: next.registrationClosesAt,
      meetings: meetingTimes(next),
      publishedAt: at,
    },
    now,
  )
  await transact(
    store,
    [
      [
        'class',
        Class.update(
          klass,
          {
            set: { status: 'open', publishedAt: at, updatedAt: at, seedHash: next.seedHash, seed: next.seed },
          },
          { when: Class.unchanged(klass) },
        ),
      ],
      ['event', outbox(event)],
    ],
    { idempotency: storeAnswer(options.idempotency, { status: 200, body: info }, now), explain: stale },
  )
  return info
}

/**
 * Closes registration now (before its planned end): no one registers after this. A lottery class is
 * drawn on the `ClassRegistrationClosed` event (as it is, at the planned close, by its timed duty).
 * One `GetItem` + one `TransactWriteItems`.
 */
export async function closeRegistration(
  store: Store,
  clock: Clock,
  id: string,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<ClassInfo> {
  const klass = visible(await getClassItem(store, id))
  staffOf(klass)
  mustBe(klass, 'open', 'full')
  const now = clock.now()
  const at = now.toISOString()
  if (klass.registrationClosesAt <= at) throw new ConflictError('Registration closed already', 'class-status')
  const next: ClassItem = { ...klass, registrationClosesAt: at, updatedAt: at }
  const info = toClassInfo(next)
  await transact(
    store,
    [
      [
        'class',
        Class.update(
          klass,
          { set: { registrationClosesAt: at, updatedAt: at } },
          { when: Class.unchanged(klass) },
        ),
      ],
      [
        'event',
        outbox(
          createEvent(
            ClassEvents.RegistrationClosed,
            { ...classFacts(klass), admission: klass.admission, closedAt: at },
            now,
          ),
        ),
      ],
    ],
    { idempotency: storeAnswer(options.idempotency, { status: 200, body: info }, now), explain: stale },
  )
  return info
}

/**
 * Cancels a class that has not started: its trainers' slots are freed in the same transaction, and
 * `ClassCancelled` tells the consumers to cancel every registration (freeing the phones) and tell the
 * participants. One `GetItem` + one `TransactWriteItems`.
 */
export async function cancelClass(
  store: Store,
  clock: Clock,
  id: string,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<ClassInfo> {
  const klass = visible(await getClassItem(store, id))
  staffOf(klass)
  mustBe(klass, 'draft', 'open', 'full')
  const now = clock.now()
  const at = now.toISOString()
  const next: ClassItem = { ...klass, status: 'cancelled', cancelledAt: at, updatedAt: at }
  const info = toClassInfo(next)
  const event = createEvent(
    ClassEvents.Cancelled,
    {
      ...classFacts(klass),
      meetings: meetingTimes(klass),
      trainerIds: klass.trainers.map((trainer) => trainer.mentorId),
      cancelledAt: at,
    },
    now,
  )
  await transact(
    store,
    [
      [
        'class',
        Class.update(
          klass,
          { set: { status: 'cancelled', cancelledAt: at, updatedAt: at } },
          { when: Class.unchanged(klass) },
        ),
      ],
      ...slotSteps(klass, false),
      ['event', outbox(event)],
    ],
    { idempotency: storeAnswer(options.idempotency, { status: 200, body: info }, now), explain: stale },
  )
  return info
}

/**
 * One class with live seat counts: anyone once published, a draft only its region's staff. One `Query`.
 * @throws NotFoundError when there is no such class (or it is a draft the caller may not see)
 */
export async function readClass(store: Store, id: string): Promise<ClassInfo> {
  const found = await loadClass(store, id)
  const klass = visible(found?.klass)
  return toClassInfo(klass, found?.segments)
}

/** The first instant of a `YYYY-MM-DD` day in Asia/Jakarta, and of the next day, in UTC. */
function wibDay(date: string): { from: string; to: string } {
  const from = Date.parse(`${date}T00:00:00+07:00`)
  return { from: new Date(from).toISOString(), to: new Date(from + 86_400_000).toISOString() }
}

/**
 * The public catalog: open, full and running classes by first meeting, narrowed by region (the
 * reader's region, its parts and its ancestors, and national classes), topic, a day (WIB) and online
 * or offline. One `Query` per page (a filtered page may hold fewer than `limit`; follow `nextCursor`).
 */
export async function listCatalog(store: Store, filter: CatalogQuery): Promise<Page<ClassInfo>> {
  const page = await query(
    store,
    Class.catalog({
      region: filter.region ? { code: filter.region, ancestors: regionAncestors(filter.region) } : undefined,
      topic: filter.topic,
      day: filter.date ? wibDay(filter.date) : undefined,
      mode: filter.mode,
    }),
    { limit: filter.limit ?? PAGE_DEFAULT, cursor: filter.cursor },
  )
  return { items: page.items.map((klass) => toClassInfo(klass)), nextCursor: page.nextCursor }
}

/** The classes of the staff's region (admins: all), drafts included, oldest first. One `Query` per page. */
export async function listClasses(
  store: Store,
  options: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<Page<ClassInfo>> {
  const actor = requireAccount('staff', 'admin')
  const page = await query(store, Class.inRegion(actor.region), {
    limit: options.limit ?? PAGE_DEFAULT,
    cursor: options.cursor,
  })
  return {
    items: page.items
      .filter((klass) => regionCovers(actor.region, klass.region))
      .map((klass) => toClassInfo(klass)),
    nextCursor: page.nextCursor,
  }
}
