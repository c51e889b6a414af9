/**
 * Coaching sessions of an engagement: scheduled by its mentor, rescheduled, completed with notes and
 * outcomes (or marked no-show), or cancelled.
 *
 * Invariant 4 (a mentor is never double-booked) is kept by the table, not by a read: a session puts one
 * item per 15-minute slot it covers under its mentor (`MentorSlot`), each with
 * `attribute_not_exists`, in the same transaction as the session. Two overlapping sessions share a
 * slot, so at most one of them commits; sessions that only touch (one ends at 10:00, the next starts
 * at 10:00) share none.
 */
import * as z from 'zod/mini'
import { visibleTo } from '../account/access.ts'
import { requireAccount, useContext } from '../actor/index.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { MentorSlot, Session } from '../adapters/dynamo/entities/session.ts'
import {
  everyItem,
  get,
  type Page,
  query,
  type Refusal,
  type Step,
  transact,
} from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { getEngagement } from '../engagement/index.ts'
import { ConflictError, type FieldIssue, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { openRequest } from '../request/access.ts'
import type { Clock, Store } from '../store.ts'
import { formatLocal, isTimeZone } from '../time/index.ts'
import { SessionEvents } from './events.ts'
import type { NewSessionInput, SessionChangeInput } from './input.ts'
import { type ATTENDANCE, SessionItem } from './item.ts'

export * from './input.ts'
export { ATTENDANCE, SESSION_MODES, SESSION_STATUSES, SessionItem, type SessionStatus } from './item.ts'
export { SessionEvents }

/** Sessions start and end on quarter hours, the grain of the mentor's booking slots. */
export const SLOT_MINUTES = 15
/** The longest session: four hours (16 slots). */
export const MAX_SESSION_MINUTES = 240
/** How far ahead a session may be scheduled. */
export const MAX_DAYS_AHEAD = 366

/** A session as the API shows it, with its times also as people in its zone read them. */
export const Info = z.extend(
  z.omit(SessionItem, {
    entity: true,
    version: true,
    mentorSub: true,
    region: true,
    createdAt: true,
    updatedAt: true,
  }),
  { local: z.object({ startsAt: z.string(), endsAt: z.string() }) },
)
export type Info = z.infer<typeof Info>

/** The session as the API shows it, its times also in its zone and the caller's locale. */
export function sessionInfo(session: SessionItem): Info {
  const { locale } = useContext()
  const {
    entity: _entity,
    version: _version,
    mentorSub: _sub,
    region: _region,
    createdAt: _created,
    updatedAt: _updated,
    ...info
  } = session
  return {
    ...info,
    local: {
      startsAt: formatLocal(session.startsAt, session.timeZone, locale),
      endsAt: formatLocal(session.endsAt, session.timeZone, locale),
    },
  }
}

const messages = {
  'field.quarter_hour': {
    id: 'Waktu harus tepat per 15 menit (contoh 09:00, 09:15) dalam UTC',
    en: 'Times must fall on a quarter hour (e.g. 09:00, 09:15) in UTC',
  },
  'field.session_length': {
    id: 'Sesi paling lama {maximum} menit',
    en: 'A session lasts at most {maximum} minutes',
  },
  'field.in_past': { id: 'Waktu harus di masa depan', en: 'The time must be in the future' },
  'field.too_far_ahead': {
    id: 'Paling jauh {maximum} hari ke depan',
    en: 'At most {maximum} days ahead',
  },
  'field.meeting_url': {
    id: 'Sesi daring memerlukan tautan rapat https',
    en: 'An online session needs an https meeting link',
  },
  'field.place': { id: 'Sesi luring memerlukan tempat', en: 'An offline session needs a place' },
  'problem.session-overlap': { id: 'Jadwal bentrok', en: 'Schedule clash' },
  'problem.session-overlap.detail': {
    id: 'Anda sudah memiliki sesi lain pada waktu tersebut.',
    en: 'You already have another session at that time.',
  },
  'problem.session-not-scheduled': {
    id: 'Sesi tidak lagi terjadwal',
    en: 'The session is no longer scheduled',
  },
  'problem.session-not-scheduled.detail': {
    id: 'Sesi ini sudah selesai, dibatalkan, atau diubah orang lain.',
    en: 'This session was already completed, cancelled, or changed by someone else.',
  },
  'problem.session-not-started': { id: 'Sesi belum dimulai', en: 'The session has not started' },
  'problem.session-not-started.detail': {
    id: 'Sesi hanya dapat diselesaikan setelah waktu mulainya.',
    en: 'A session can be completed only after it has started.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))

/**
 * What is wrong with a session window, as field issues: both ends on quarter hours, end after start,
 * at most four hours, in the future and at most a year ahead. Empty when it is fine.
 */
export function sessionWindowIssues(startsAt: string, endsAt: string, now: Date): FieldIssue[] {
  const start = Date.parse(startsAt)
  const end = Date.parse(endsAt)
  const issues: FieldIssue[] = []
  if (Number.isNaN(start)) issues.push({ path: 'startsAt', key: 'field.datetime' })
  if (Number.isNaN(end)) issues.push({ path: 'endsAt', key: 'field.datetime' })
  if (issues.length > 0) return issues
  const quarter = SLOT_MINUTES * 60_000
  if (start % quarter !== 0) issues.push({ path: 'startsAt', key: 'field.quarter_hour' })
  if (end % quarter !== 0) issues.push({ path: 'endsAt', key: 'field.quarter_hour' })
  if (end <= start) issues.push({ path: 'endsAt', key: 'field.date_order' })
  else if (end - start > MAX_SESSION_MINUTES * 60_000)
    issues.push({ path: 'endsAt', key: 'field.session_length', params: { maximum: MAX_SESSION_MINUTES } })
  if (start <= now.getTime()) issues.push({ path: 'startsAt', key: 'field.in_past' })
  else if (start - now.getTime() > MAX_DAYS_AHEAD * 86_400_000)
    issues.push({ path: 'startsAt', key: 'field.too_far_ahead', params: { maximum: MAX_DAYS_AHEAD } })
  return issues
}

/** The start of every 15-minute slot in `[startsAt, endsAt)`, as ISO UTC strings. */
export function slotsOf(startsAt: string, endsAt: string): string[] {
  const slots: string[] = []
  const step = SLOT_MINUTES * 60_000
  for (let at = Date.parse(startsAt); at < Date.parse(endsAt); at += step)
    slots.push(new Date(at).toISOString())
  return slots
}

function detailOf(session: SessionItem) {
  return {
    sessionId: session.id,
    engagementId: session.engagementId,
    requestId: session.requestId,
    mentorId: session.mentorId,
    programId: session.programId,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    timeZone: session.timeZone,
    mode: session.mode,
    topics: session.topics,
  }
}

export type NewSession = NewSessionInput
export type SessionChange = SessionChangeInput

/** The venue fields of a session in `mode`; a missing link or place is a 400 (the edge checks it too). */
function venueOf(
  mode: SessionItem['mode'],
  meetingUrl: string | null | undefined,
  place: string | null | undefined,
): Pick<SessionItem, 'mode' | 'meetingUrl' | 'place'> {
  if (mode === 'online' && !meetingUrl)
    throw new ValidationError([{ path: 'meetingUrl', key: 'field.meeting_url' }])
  if (mode === 'offline' && !place) throw new ValidationError([{ path: 'place', key: 'field.place' }])
  return mode === 'online'
    ? { mode, meetingUrl: meetingUrl ?? null, place: null }
    : { mode, meetingUrl: null, place: place ?? null }
}

const iso = (value: string) => new Date(value).toISOString()

/** One session, strongly consistent, or `undefined`. One `GetItem`. */
export function getSession(store: Store, id: string): Promise<SessionItem | undefined> {
  return get(store, Session, { id })
}

/** The session if the signed-in account may see it (its mentor, staff of its region, admins). One `GetItem`. */
export async function readSession(store: Store, id: string): Promise<Info> {
  const account = requireAccount()
  return sessionInfo(visibleTo(account, await getSession(store, id), 'session'))
}

/**
 * The engagement's mentor schedules a session. One transaction: the session, one slot item per
 * quarter hour (each only if free: invariant 4), the engagement's `scheduledSessions + 1` (only while
 * it is active), and `SessionScheduled`. Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 *
 * @throws ValidationError when the window is off the quarter hours, too long, or in the past
 * @throws ConflictError `session-overlap` when the mentor already has a session in any of its slots
 */
export async function scheduleSession(
  store: Store,
  clock: Clock,
  engagementId: string,
  input: NewSession,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Info> {
  const account = requireAccount('mentor')
  const now = clock.now()
  const issues = sessionWindowIssues(input.startsAt, input.endsAt, now)
  if (issues.length > 0) throw new ValidationError(issues)
  const engagement = visibleTo(account, await getEngagement(store, engagementId), 'engagement', true)
  if (engagement.status !== 'active') throw new ConflictError('Engagement closed', 'engagement-closed')
  const at = now.toISOString()
  const session: SessionItem = {
    entity: 'session',
    version: 1,
    id: newId(),
    status: 'scheduled',
    engagementId: engagement.id,
    requestId: engagement.requestId,
    mentorId: engagement.mentorId,
    mentorSub: engagement.mentorSub,
    programId: engagement.programId,
    region: engagement.region,
    startsAt: iso(input.startsAt),
    endsAt: iso(input.endsAt),
    timeZone: input.timeZone ?? (isTimeZone(engagement.timeZone) ? engagement.timeZone : 'Asia/Jakarta'),
    ...venueOf(input.mode, input.meetingUrl, input.place),
    topics: input.topics,
    notes: null,
    outcomes: [],
    attendance: null,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    cancelledAt: null,
    cancelledBy: null,
  }
  return commit(
    store,
    now,
    [
      ['engagement', Engagement.count(engagement.id, { scheduledSessions: 1 }, now, Engagement.active)],
      ['session', Session.put(session)],
      ...slotsOf(session.startsAt, session.endsAt).map(
        (slot) => ['slot', MentorSlot.book(session, slot)] as const,
      ),
      ['event', outbox(createEvent(SessionEvents.Scheduled, detailOf(session), now))],
    ],
    session,
    { ...options, status: 201, refused: () => new ConflictError('Engagement closed', 'engagement-closed') },
  )
}

function notScheduled() {
  return new ConflictError('The session is not scheduled', 'session-not-scheduled')
}

/**
 * Commits one command's steps and answers with the session as it is `after` them. The answer is
 * stored for the idempotency claim in the same transaction, so a retry gets the same one back. A
 * refusal is a clash when a slot to book was taken, else `refused`: the session (or its engagement)
 * changed since it was read.
 */
async function commit(
  store: Store,
  now: Date,
  steps: Step<'engagement' | 'session' | 'slot' | 'oldSlot' | 'event'>[],
  after: SessionItem,
  options: { idempotency?: IdempotencyClaim | undefined; status?: 200 | 201; refused?: () => Error } = {},
): Promise<Info> {
  const info = sessionInfo(after)
  const explain = ({ conditions }: Refusal<string>) =>
    conditions.has('slot')
      ? new ConflictError('The mentor has another session then', 'session-overlap')
      : (options.refused ?? notScheduled)()
  await transact(store, steps, {
    idempotency: storeAnswer(options.idempotency, { status: options.status ?? 200, body: info }, now),
    explain,
  })
  return info
}

/**
 * The mentor moves a scheduled session (and may change its zone, venue or topics). One transaction:
 * the session (only if still scheduled at the times read), puts of the slots it newly covers (each
 * only if free), deletes of the slots it leaves, and `SessionRescheduled`.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function rescheduleSession(
  store: Store,
  clock: Clock,
  sessionId: string,
  change: SessionChange,
): Promise<Info> {
  const account = requireAccount('mentor')
  const now = clock.now()
  const issues = sessionWindowIssues(change.startsAt, change.endsAt, now)
  if (issues.length > 0) throw new ValidationError(issues)
  const before = visibleTo(account, await getSession(store, sessionId), 'session', true)
  if (before.status !== 'scheduled') throw notScheduled()
  const mode = change.mode ?? before.mode
  const venue = venueOf(
    mode,
    change.meetingUrl ?? (mode === before.mode ? before.meetingUrl : null),
    change.place ?? (mode === before.mode ? before.place : null),
  )
  const moved = {
    startsAt: iso(change.startsAt),
    endsAt: iso(change.endsAt),
    timeZone: change.timeZone ?? before.timeZone,
    ...venue,
    topics: change.topics ?? before.topics,
    updatedAt: now.toISOString(),
  }
  const after: SessionItem = { ...before, ...moved }
  const oldSlots = new Set(slotsOf(before.startsAt, before.endsAt))
  const newSlots = new Set(slotsOf(after.startsAt, after.endsAt))
  const event = createEvent(
    SessionEvents.Rescheduled,
    { ...detailOf(after), previousStartsAt: before.startsAt, previousEndsAt: before.endsAt },
    now,
  )
  return commit(
    store,
    now,
    [
      // The entity moves the session in its request's list (`byOwner`) when its start changes.
      ['session', Session.update(before, { set: moved }, { when: Session.scheduledAsRead(before) })],
      ...[...newSlots]
        .filter((slot) => !oldSlots.has(slot))
        .map((slot) => ['slot', MentorSlot.book(after, slot)] as const),
      ...[...oldSlots]
        .filter((slot) => !newSlots.has(slot))
        .map((slot) => ['oldSlot', MentorSlot.free(before, slot)] as const),
      ['event', outbox(event)],
    ],
    after,
  )
}

export interface Completion {
  attendance: (typeof ATTENDANCE)[number]
  notes?: string | undefined
  outcomes: SessionItem['outcomes']
}

/**
 * The mentor closes a session that has started: `completed` with notes and outcomes, or `no_show`.
 * Its slots stay (the time was spent). One transaction: the session (only if scheduled and
 * `startsAt <= now`), the engagement's counters, and `SessionCompleted` or `SessionNoShow`.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function completeSession(
  store: Store,
  clock: Clock,
  sessionId: string,
  completion: Completion,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Info> {
  const account = requireAccount('mentor')
  const session = visibleTo(account, await getSession(store, sessionId), 'session', true)
  const now = clock.now()
  const at = now.toISOString()
  if (session.status !== 'scheduled') throw notScheduled()
  if (session.startsAt > at) throw new ConflictError('Not started', 'session-not-started')
  const attended = completion.attendance === 'attended'
  const done = {
    status: attended ? 'completed' : 'no_show',
    notes: completion.notes ?? null,
    outcomes: attended ? completion.outcomes : [],
    attendance: completion.attendance,
    completedAt: at,
    updatedAt: at,
  } satisfies Partial<SessionItem>
  const after: SessionItem = { ...session, ...done }
  const minutes = attended ? (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000 : 0
  const event = attended
    ? createEvent(
        SessionEvents.Completed,
        { ...detailOf(after), outcomes: after.outcomes, completedAt: at },
        now,
      )
    : createEvent(SessionEvents.NoShow, detailOf(after), now)
  const counts = { scheduledSessions: -1, completedSessions: attended ? 1 : 0, minutes }
  return commit(
    store,
    now,
    [
      ['session', Session.update(session, { set: done }, { when: Session.startedBy(now) })],
      ['engagement', Engagement.count(session.engagementId, counts, now)],
      ['event', outbox(event)],
    ],
    after,
    options,
  )
}

/**
 * Cancels a scheduled session and frees its slots. The session's mentor, staff of its region or an
 * admin may cancel. One transaction: the session (only if scheduled), deletes of its slots, the
 * engagement's `scheduledSessions - 1`, and `SessionCancelled`. Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function cancelSession(
  store: Store,
  clock: Clock,
  sessionId: string,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Info> {
  const account = requireAccount()
  const session = visibleTo(account, await getSession(store, sessionId), 'session')
  if (session.status !== 'scheduled') throw notScheduled()
  const now = clock.now()
  const at = now.toISOString()
  const by = account.role === 'mentor' ? 'mentor' : 'staff'
  const cancelled = {
    status: 'cancelled',
    cancelledAt: at,
    cancelledBy: by,
    updatedAt: at,
  } satisfies Partial<SessionItem>
  return commit(
    store,
    now,
    [
      ['session', Session.update(session, { set: cancelled }, { when: Session.scheduled })],
      ...slotsOf(session.startsAt, session.endsAt).map(
        (slot) => ['oldSlot', MentorSlot.free(session, slot)] as const,
      ),
      ['engagement', Engagement.count(session.engagementId, { scheduledSessions: -1 }, now)],
      ['event', outbox(createEvent(SessionEvents.Cancelled, { ...detailOf(session), by }, now))],
    ],
    { ...session, ...cancelled },
    options,
  )
}

/**
 * Cancels the sessions still to come of an engagement whose mentor was suspended, for the suspension
 * consumer: each scheduled session starting after now is cancelled as `cancelSession` does (by staff,
 * whose suspension it is), its slots freed and `SessionCancelled` written (reminders are dropped, the
 * owner is told with the engagement's notice). Safe to repeat: a session no longer scheduled is left
 * alone. Answers how many it cancelled. Calls: 1 `Query` per page of the request's sessions + 1
 * `TransactWriteItems` per session.
 */
export async function cancelFutureSessions(
  store: Store,
  clock: Clock,
  engagement: { id: string; requestId: string },
): Promise<number> {
  let cancelled = 0
  for await (const session of everyItem(store, Session.ofRequest(engagement.requestId), 50)) {
    const now = clock.now()
    if (session.engagementId !== engagement.id || session.status !== 'scheduled') continue
    if (session.startsAt <= now.toISOString()) continue
    const at = now.toISOString()
    const set = { status: 'cancelled', cancelledAt: at, cancelledBy: 'staff', updatedAt: at } as const
    try {
      await commit(
        store,
        now,
        [
          ['session', Session.update(session, { set }, { when: Session.scheduled })],
          ...slotsOf(session.startsAt, session.endsAt).map(
            (slot) => ['oldSlot', MentorSlot.free(session, slot)] as const,
          ),
          ['engagement', Engagement.count(session.engagementId, { scheduledSessions: -1 }, now)],
          ['event', outbox(createEvent(SessionEvents.Cancelled, { ...detailOf(session), by: 'staff' }, now))],
        ],
        { ...session, ...set },
      )
      cancelled++
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
    }
  }
  return cancelled
}

/**
 * A request's sessions in time order, for its owner's view (`GET /v1/requests/{id}`) and the
 * engagement's. One `Query` on `byOwner` (`REQUEST#<id>`).
 */
export async function listSessionsOfRequest(
  store: Store,
  requestId: string,
  options: { limit?: number; cursor?: string | undefined } = {},
): Promise<Page<Info>> {
  const page = await query(store, Session.ofRequest(requestId), {
    limit: options.limit ?? 50,
    cursor: options.cursor,
  })
  return { items: page.items.map(sessionInfo), nextCursor: page.nextCursor }
}

/**
 * The sessions of a request as its owner (tracking token) or its region's staff see them, in time
 * order. Calls: 1 `GetItem` (the request, to check the token or region) + 1 `Query`.
 */
export async function listSessionsForRequestReader(
  store: Store,
  requestId: string,
  token: string | undefined,
  options: { limit?: number; cursor?: string | undefined } = {},
): Promise<Page<Info>> {
  await openRequest(store, requestId, token, { staff: true })
  return await listSessionsOfRequest(store, requestId, options)
}
