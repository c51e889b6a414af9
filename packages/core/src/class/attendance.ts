/**
 * Running a class: the roster, attendance per meeting (marked by a trainer, or by the participant's
 * self check-in with the code shown in the room, accepted only while the meeting runs), groups, and
 * completion by the class's rule when it finishes (`ParticipantCompleted`, once per registration).
 */
import { Class, ClassMeeting, Participant, Registration } from '../adapters/dynamo/entities/class.ts'
import { get, PAGE_DEFAULT, type Page, query, type Step, transact } from '../adapters/dynamo/index.ts'
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { type PrivateKey, trackingTokenMatches } from '../request/token.ts'
import type { Clock, Store } from '../store.ts'
import { classFacts, getClassItem, publishedClass, trainerOrStaffOf, visible } from './access.ts'
import { ClassEvents } from './events.ts'
import { attendedMinutes, meetsCompletion, newCheckInCode, splitIntoGroups } from './groups.ts'
import type { AttendanceInput, GroupsInput, RosterQuery } from './input.ts'
import type { ClassItem, Group, Meeting, RegistrationItem } from './item.ts'
import { allRegistrations } from './lottery.ts'
import { placeOf } from './register.ts'
import { type RegistrationInfo, toRegistrationInfo } from './view.ts'

const RUNNING: ClassItem['status'][] = ['open', 'full', 'running']

function meetingOf(klass: ClassItem, meetingId: string): Meeting {
  const meeting = klass.meetings.find((candidate) => candidate.id === meetingId)
  if (!meeting) throw new NotFoundError('No such meeting')
  return meeting
}

function mustRun(klass: ClassItem): void {
  if (!RUNNING.includes(klass.status)) throw new ConflictError(`Class is ${klass.status}`, 'class-status')
}

/** The class for one of its trainers or its region's staff: 404 if unknown, 403 for anyone else. */
async function runClass(store: Store, classId: string): Promise<ClassItem> {
  const klass = visible(await getClassItem(store, classId))
  trainerOrStaffOf(klass)
  return klass
}

/**
 * A class's registrations in one status (the roster: `confirmed`), by segment then queue order, with
 * each one's attendance per meeting; for its trainers and its region's staff. One `GetItem` + one `Query`.
 */
export async function readRoster(
  store: Store,
  classId: string,
  list: RosterQuery,
): Promise<Page<RegistrationInfo>> {
  await runClass(store, classId)
  const page = await query(store, Registration.inClass(classId, list.status, list.segment), {
    limit: list.limit ?? PAGE_DEFAULT,
    cursor: list.cursor,
  })
  return { items: page.items.map(toRegistrationInfo), nextCursor: page.nextCursor }
}

/**
 * A trainer (or staff) marks attendance of one meeting from the roster, once it has started: each
 * mark on condition the registration is this class's and holds a seat, so a wrong id writes nothing;
 * the class moves to `running`; `AttendanceRecorded` goes in the same transaction.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems` (at most 90 marks per call).
 */
export async function recordAttendance(
  store: Store,
  clock: Clock,
  classId: string,
  meetingId: string,
  input: AttendanceInput,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
) {
  const klass = await runClass(store, classId)
  const meeting = meetingOf(klass, meetingId)
  mustRun(klass)
  const now = clock.now()
  const at = now.toISOString()
  if (meeting.startsAt > at) throw new ConflictError('Meeting not started', 'meeting-not-started')
  const answer = { classId, meetingId, marks: input.marks, recordedAt: at }
  const steps: Step[] = input.marks.map(({ registrationId, mark }) => [
    `mark:${registrationId}`,
    Registration.mark(registrationId, classId, meetingId, mark, at),
  ])
  if (klass.status !== 'running')
    steps.push([
      'class',
      Class.update(
        klass,
        { set: { status: 'running', updatedAt: at } },
        { when: Class.inStatus('open', 'full', 'running') },
      ),
    ])
  steps.push([
    'event',
    outbox(
      createEvent(
        ClassEvents.AttendanceRecorded,
        { ...classFacts(klass), meetingId, by: 'trainer', marks: input.marks, recordedAt: at },
        now,
      ),
    ),
  ])
  await transact(store, steps, {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: answer }, now),
    explain: ({ conditions }) => {
      const wrong = input.marks.flatMap(({ registrationId }, index) =>
        conditions.has(`mark:${registrationId}`)
          ? [{ path: `marks.${index}.registrationId`, key: 'field.registration' }]
          : [],
      )
      return wrong.length > 0
        ? new ValidationError(wrong)
        : new ConflictError('Class changed meanwhile', 'class-status')
    },
  })
  return answer
}

/**
 * The check-in code of a meeting for its trainer to show in the room: six characters, made once per
 * meeting, accepted only between the meeting's start and end. Calls: 2 `GetItem`s (+ 1 `TransactWriteItems`
 * the first time, with `CheckInOpened`).
 */
export async function openCheckIn(store: Store, clock: Clock, classId: string, meetingId: string) {
  const klass = await runClass(store, classId)
  const meeting = meetingOf(klass, meetingId)
  mustRun(klass)
  const now = clock.now()
  const at = now.toISOString()
  if (meeting.endsAt <= at) throw new ConflictError('Meeting over', 'meeting-over')
  const item = await get(store, ClassMeeting, { classId, meetingId })
  const shown = { meetingId, validFrom: meeting.startsAt, validUntil: meeting.endsAt }
  if (item?.checkInCode) return { ...shown, code: item.checkInCode }
  const code = newCheckInCode()
  await transact(
    store,
    [
      [
        'meeting',
        ClassMeeting.update(
          { classId, meetingId },
          { set: { checkInCode: code, updatedAt: at } },
          { when: ClassMeeting.noCode },
        ),
      ],
      [
        'event',
        outbox(
          createEvent(
            ClassEvents.CheckInOpened,
            { ...classFacts(klass), meetingId, validFrom: meeting.startsAt, validUntil: meeting.endsAt },
            now,
          ),
        ),
      ],
    ],
    { explain: () => new ConflictError('Code made meanwhile; ask again', 'stale') },
  )
  return { ...shown, code }
}

/**
 * A participant checks in with the code shown in the room, during the meeting only: one transaction
 * checks the code and the time on the meeting's item, marks the registration present (only if it
 * holds a seat) and writes `AttendanceRecorded`. Checking in twice changes nothing.
 * Calls: 2 `GetItem`s (registration, participant; the class is cached) + 1 `TransactWriteItems`.
 *
 * @throws ConflictError `check-in-refused` for a wrong code or outside every meeting's time
 */
export async function checkIn(
  store: Store,
  clock: Clock,
  registrationId: string,
  token: PrivateKey | undefined,
  code: string,
): Promise<RegistrationInfo> {
  const registration = await get(store, Registration, { id: registrationId })
  const participant = registration && (await get(store, Participant, { id: registration.participantId }))
  if (!registration || !participant || !trackingTokenMatches(participant.tokenHash, token))
    throw new NotFoundError('No such registration for this token')
  if (registration.status !== 'confirmed') throw new ConflictError('No seat', 'registration-not-open')
  const klass = await publishedClass(store, registration.classId)
  const now = clock.now()
  const at = now.toISOString()
  const meeting = klass?.meetings.find((candidate) => candidate.startsAt <= at && at < candidate.endsAt)
  const refused = new ConflictError('Check-in refused', 'check-in-refused')
  if (!klass || !meeting) throw refused
  if (registration.attendance[meeting.id] === 'present') return toRegistrationInfo(registration)
  await transact(
    store,
    [
      ['meeting', ClassMeeting.acceptsCode(klass.id, meeting.id, code, at)],
      ['registration', Registration.mark(registration.id, klass.id, meeting.id, 'present', at)],
      [
        'event',
        outbox(
          createEvent(
            ClassEvents.AttendanceRecorded,
            {
              ...classFacts(klass),
              meetingId: meeting.id,
              by: 'check_in',
              marks: [{ registrationId: registration.id, mark: 'present' }],
              recordedAt: at,
            },
            now,
          ),
        ),
      ],
    ],
    {
      explain: ({ conditions }) =>
        conditions.has('meeting') ? refused : new ConflictError('No seat', 'registration-not-open'),
    },
  )
  return toRegistrationInfo({
    ...registration,
    attendance: { ...registration.attendance, [meeting.id]: 'present' },
    updatedAt: at,
  })
}

/**
 * A trainer splits a meeting's attendees (those marked present; everyone seated while nobody is
 * marked yet) into groups by count or size, optionally by stated interest, each with a topic; the
 * groups show on each participant's page. Calls: 1 `GetItem` + the roster's pages + 1 `TransactWriteItems`.
 */
export async function formGroups(
  store: Store,
  clock: Clock,
  classId: string,
  meetingId: string,
  plan: GroupsInput,
): Promise<{ meetingId: string; groups: Array<Group & { names: string[] }> }> {
  const klass = await runClass(store, classId)
  meetingOf(klass, meetingId)
  mustRun(klass)
  const seated = await allRegistrations(store, classId, 'confirmed')
  const present = seated.filter((registration) => registration.attendance[meetingId] === 'present')
  const attendees = present.length > 0 ? present : seated
  if (attendees.length === 0) throw new ConflictError('Nobody to group', 'class-status')
  const groups = splitIntoGroups(
    attendees.map((registration) => ({ registrationId: registration.id, interest: registration.interest })),
    plan,
  )
  const now = clock.now()
  await transact(
    store,
    [
      [
        'meeting',
        ClassMeeting.update(
          { classId, meetingId },
          { set: { groups, updatedAt: now.toISOString() } },
          { when: ClassMeeting.present },
        ),
      ],
      [
        'event',
        outbox(
          createEvent(
            ClassEvents.GroupsFormed,
            {
              ...classFacts(klass),
              meetingId,
              groups: groups.map(({ number, topic, registrationIds }) => ({
                number,
                topic,
                size: registrationIds.length,
              })),
            },
            now,
          ),
        ),
      ],
    ],
    { explain: () => new NotFoundError('No such meeting') },
  )
  const names = new Map(attendees.map((registration) => [registration.id, registration.name]))
  return {
    meetingId,
    groups: groups.map((group) => ({
      ...group,
      names: group.registrationIds.map((id) => names.get(id) ?? ''),
    })),
  }
}

/**
 * A trainer or staff asks to close a class whose last meeting has started: completion is then decided
 * off the request path (`ClassFinishRequested` → {@link finishClass}). One `GetItem` + one `TransactWriteItems`.
 */
export async function requestFinish(
  store: Store,
  clock: Clock,
  classId: string,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
) {
  const klass = await runClass(store, classId)
  mustRun(klass)
  const now = clock.now()
  const at = now.toISOString()
  const last = klass.meetings.at(-1)
  if (last && last.startsAt > at) throw new ConflictError('Last meeting not started', 'meeting-not-started')
  const answer = { classId, status: 'finishing' as const, requestedAt: at }
  await transact(
    store,
    [
      ['class', Class.check({ id: classId }, Class.inStatus('open', 'full', 'running'))],
      [
        'event',
        outbox(createEvent(ClassEvents.FinishRequested, { ...classFacts(klass), requestedAt: at }, now)),
      ],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 202, body: answer }, now),
      explain: () => new ConflictError('Class changed meanwhile', 'class-status'),
    },
  )
  return answer
}

/** How many registrations are processed at once while finishing a class. */
const FINISH_PARALLEL = 8

/**
 * Decides completion for every seated registration by the class's rule (`attended` with
 * `ParticipantCompleted`, or `absent`), then marks the class `finished` with `ClassFinished` and its
 * totals. Each registration is its own transaction on condition it is still `confirmed`, so a repeat
 * (or a resumed crash) never emits `ParticipantCompleted` twice. Run by the `ClassCompletion` consumer
 * and by the timed duty a day after the last meeting.
 */
export async function finishClass(
  store: Store,
  clock: Clock,
  classId: string,
): Promise<{ outcome: 'finished' | 'not-running' | 'not-yet'; completed: number; participants: number }> {
  const klass = await getClassItem(store, classId)
  if (!klass || !RUNNING.includes(klass.status))
    return { outcome: 'not-running', completed: 0, participants: 0 }
  const now = clock.now()
  const at = now.toISOString()
  const last = klass.meetings.at(-1)
  if (last && last.startsAt > at) return { outcome: 'not-yet', completed: 0, participants: 0 }
  const seated = await allRegistrations(store, classId, 'confirmed')
  let next = 0
  await Promise.all(
    Array.from({ length: FINISH_PARALLEL }, async () => {
      while (next < seated.length) {
        const registration = seated[next++] as RegistrationItem
        await decideCompletion(store, clock, klass, registration)
      }
    }),
  )
  const [attended, absent] = await Promise.all([
    allRegistrations(store, classId, 'attended'),
    allRegistrations(store, classId, 'absent'),
  ])
  const finishers = [...attended, ...absent]
  const presentMarks = finishers.reduce(
    (sum, registration) =>
      sum + klass.meetings.filter((meeting) => registration.attendance[meeting.id] === 'present').length,
    0,
  )
  const finishedAlready = new Error('Finished meanwhile')
  try {
    await transact(
      store,
      [
        [
          'class',
          Class.update(
            klass,
            { set: { status: 'finished', finishedAt: at, updatedAt: at } },
            { when: Class.inStatus('open', 'full', 'running') },
          ),
        ],
        [
          'event',
          outbox(
            createEvent(
              ClassEvents.Finished,
              {
                ...classFacts(klass),
                participants: finishers.length,
                completed: attended.length,
                presentMarks,
                possibleMarks: finishers.length * klass.meetings.length,
                finishedAt: at,
              },
              now,
            ),
          ),
        ],
      ],
      { explain: () => finishedAlready },
    )
  } catch (error) {
    if (error !== finishedAlready) throw error
  }
  return { outcome: 'finished', completed: attended.length, participants: finishers.length }
}

async function decideCompletion(
  store: Store,
  clock: Clock,
  klass: ClassItem,
  registration: RegistrationItem,
) {
  const now = clock.now()
  const at = now.toISOString()
  const completed = meetsCompletion(klass.completion, registration.attendance, klass.meetings)
  const steps: Step[] = [
    [
      'registration',
      Registration.update(
        registration,
        {
          set: {
            status: completed ? 'attended' : 'absent',
            completedAt: completed ? at : null,
            updatedAt: at,
          },
        },
        { when: Registration.inStatus('confirmed') },
      ),
    ],
  ]
  if (completed)
    steps.push([
      'event',
      outbox(
        createEvent(
          ClassEvents.ParticipantCompleted,
          {
            ...placeOf(registration),
            attendedMeetings: klass.meetings.filter(
              (meeting) => registration.attendance[meeting.id] === 'present',
            ).length,
            meetings: klass.meetings.length,
            minutes: attendedMinutes(registration.attendance, klass.meetings),
            completedAt: at,
          },
          now,
        ),
      ),
    ])
  const moved = new Error('Decided already')
  try {
    await transact(store, steps, { explain: () => moved })
  } catch (error) {
    if (error !== moved) throw error
  }
}

/**
 * Whether every seated registration has a mark for the class's last meeting: then the last meeting's
 * attendance is complete and the class can finish. Reads the roster's pages.
 */
export async function lastMeetingMarked(store: Store, classId: string): Promise<boolean> {
  const klass = await getClassItem(store, classId)
  const last = klass?.meetings.at(-1)
  if (!klass || !last || !RUNNING.includes(klass.status)) return false
  const seated = await allRegistrations(store, classId, 'confirmed')
  return seated.length > 0 && seated.every((registration) => registration.attendance[last.id] !== undefined)
}
