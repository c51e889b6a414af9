/**
 * Coaching sessions of an engagement: scheduled by its mentor, rescheduled, completed with notes and
 * outcomes (or marked no-show), or cancelled.
 *
 * Invariant 4 (a mentor is never double-booked) is kept by the table, not by a read: a session puts one
 * item per 15-minute slot it covers under its mentor (`keys.mentorSlot`), each with
 * `attribute_not_exists`, in the same transaction as the session. Two overlapping sessions share a
 * slot, so at most one of them commits; sessions that only touch (one ends at 10:00, the next starts
 * at 10:00) share none.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod/mini'
import { visibleTo } from '../account/access.ts'
import { requireAccount, useContext } from '../actor/index.ts'
import { ownedBy } from '../adapters/dynamo/entities/owned.ts'
import { type Page, query, type TransactItem, transact } from '../adapters/dynamo/index.ts'
import { byOwner, keys, newId } from '../adapters/dynamo/keys.ts'
import { getEngagement } from '../engagement/index.ts'
import { ConflictError, type FieldIssue, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { openRequest } from '../request/access.ts'
import type { Clock, Store } from '../store.ts'
import { formatLocal, isTimeZone, TIME_ZONES } from '../time/index.ts'
import { OUTCOMES } from '../topic/index.ts'
import { SessionEvents } from './events.ts'
import type { NewSessionInput, SessionChangeInput } from './input.ts'

export * from './input.ts'
export { SessionEvents }

export const SESSION_STATUSES = ['scheduled', 'completed', 'cancelled', 'no_show'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]
export const SESSION_MODES = ['online', 'offline'] as const
export const ATTENDANCE = ['attended', 'no_show'] as const

/** Sessions start and end on quarter hours, the grain of the mentor's booking slots. */
export const SLOT_MINUTES = 15
/** The longest session: four hours (16 slots). */
export const MAX_SESSION_MINUTES = 240
/** How far ahead a session may be scheduled. */
export const MAX_DAYS_AHEAD = 366

/**
 * A session as stored (`entity: 'session'`), listed under its request in `byOwner`
 * (`REQUEST#<requestId>`, `SESSION#<startsAt>#<id>`) so the owner sees their sessions in time order.
 */
export const SessionItem = z.object({
  entity: z.literal('session'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(SESSION_STATUSES),
  engagementId: z.string(),
  requestId: z.string(),
  mentorId: z.string(),
  mentorSub: z.string(),
  programId: z.nullable(z.string()),
  region: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.enum(TIME_ZONES),
  mode: z.enum(SESSION_MODES),
  meetingUrl: z.nullable(z.string()),
  place: z.nullable(z.string()),
  topics: z.array(z.string()),
  notes: z.nullable(z.string()),
  outcomes: z.array(z.enum(OUTCOMES)),
  attendance: z.nullable(z.enum(ATTENDANCE)),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.nullable(z.string()),
  cancelledAt: z.nullable(z.string()),
  cancelledBy: z.nullable(z.enum(['mentor', 'owner', 'staff'])),
})
export type SessionItem = z.infer<typeof SessionItem>

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

function slotPut(
  tableName: string,
  session: Pick<SessionItem, 'id' | 'mentorId'>,
  slot: string,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.mentorSlot(session.mentorId, slot),
        entity: 'mentorSlot',
        version: 1,
        mentorId: session.mentorId,
        sessionId: session.id,
        slot,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }
}

function slotDelete(
  tableName: string,
  session: Pick<SessionItem, 'id' | 'mentorId'>,
  slot: string,
): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: keys.mentorSlot(session.mentorId, slot),
      ConditionExpression: 'sessionId = :session',
      ExpressionAttributeValues: { ':session': session.id },
    },
  }
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
export async function getSession(store: Store, id: string): Promise<SessionItem | undefined> {
  const { Item } = await store.doc.send(
    new GetCommand({ TableName: store.tableName, Key: keys.session(id), ConsistentRead: true }),
  )
  return Item ? z.parse(SessionItem, Item) : undefined
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
  const info = sessionInfo(session)
  await transact(
    store,
    [
      [
        'engagement',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.engagement(engagement.id),
            UpdateExpression: 'ADD scheduledSessions :one SET updatedAt = :now',
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':now': at, ':active': 'active' },
          },
        },
      ],
      [
        'session',
        {
          Put: {
            TableName: store.tableName,
            Item: {
              ...keys.session(session.id),
              ...session,
              ...byOwner(`REQUEST#${session.requestId}`, 'SESSION', session.startsAt, session.id),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      ...slotsOf(session.startsAt, session.endsAt).map(
        (slot) => ['slot', slotPut(store.tableName, session, slot)] as const,
      ),
      ['event', outbox(createEvent(SessionEvents.Scheduled, detailOf(session), now))],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: info }, now),
      explain: ({ conditions }) =>
        conditions.has('slot')
          ? new ConflictError('The mentor has another session then', 'session-overlap')
          : new ConflictError('Engagement closed', 'engagement-closed'),
    },
  )
  return info
}

function notScheduled() {
  return new ConflictError('The session is not scheduled', 'session-not-scheduled')
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
  const at = now.toISOString()
  const after: SessionItem = {
    ...before,
    startsAt: iso(change.startsAt),
    endsAt: iso(change.endsAt),
    timeZone: change.timeZone ?? before.timeZone,
    ...venue,
    topics: change.topics ?? before.topics,
    updatedAt: at,
  }
  const oldSlots = new Set(slotsOf(before.startsAt, before.endsAt))
  const newSlots = new Set(slotsOf(after.startsAt, after.endsAt))
  const owner = byOwner(`REQUEST#${after.requestId}`, 'SESSION', after.startsAt, after.id)
  await transact(
    store,
    [
      [
        'session',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.session(before.id),
            UpdateExpression:
              'SET #startsAt = :startsAt, #endsAt = :endsAt, #timeZone = :timeZone, #mode = :mode, #meetingUrl = :meetingUrl, #place = :place, #topics = :topics, #updatedAt = :now, #ownerSk = :ownerSk',
            ConditionExpression:
              '#status = :scheduled AND #startsAt = :prevStartsAt AND #endsAt = :prevEndsAt',
            // `timeZone` and others are DynamoDB reserved words: every name goes through a placeholder.
            ExpressionAttributeNames: {
              '#status': 'status',
              '#startsAt': 'startsAt',
              '#endsAt': 'endsAt',
              '#timeZone': 'timeZone',
              '#mode': 'mode',
              '#meetingUrl': 'meetingUrl',
              '#place': 'place',
              '#topics': 'topics',
              '#updatedAt': 'updatedAt',
              '#ownerSk': 'byOwnerSk',
            },
            ExpressionAttributeValues: {
              ':startsAt': after.startsAt,
              ':endsAt': after.endsAt,
              ':timeZone': after.timeZone,
              ':mode': after.mode,
              ':meetingUrl': after.meetingUrl,
              ':place': after.place,
              ':topics': after.topics,
              ':now': at,
              ':ownerSk': owner.byOwnerSk,
              ':scheduled': 'scheduled',
              ':prevStartsAt': before.startsAt,
              ':prevEndsAt': before.endsAt,
            },
          },
        },
      ],
      ...[...newSlots]
        .filter((slot) => !oldSlots.has(slot))
        .map((slot) => ['slot', slotPut(store.tableName, after, slot)] as const),
      ...[...oldSlots]
        .filter((slot) => !newSlots.has(slot))
        .map((slot) => ['oldSlot', slotDelete(store.tableName, before, slot)] as const),
      [
        'event',
        outbox(
          createEvent(
            SessionEvents.Rescheduled,
            { ...detailOf(after), previousStartsAt: before.startsAt, previousEndsAt: before.endsAt },
            now,
          ),
        ),
      ],
    ],
    {
      explain: ({ conditions }) =>
        conditions.has('slot')
          ? new ConflictError('The mentor has another session then', 'session-overlap')
          : notScheduled(),
    },
  )
  return sessionInfo(after)
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
  const after: SessionItem = {
    ...session,
    status: attended ? 'completed' : 'no_show',
    notes: completion.notes ?? null,
    outcomes: attended ? completion.outcomes : [],
    attendance: completion.attendance,
    completedAt: at,
    updatedAt: at,
  }
  const minutes = attended ? (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000 : 0
  const event = attended
    ? createEvent(
        SessionEvents.Completed,
        { ...detailOf(after), outcomes: after.outcomes, completedAt: at },
        now,
      )
    : createEvent(SessionEvents.NoShow, detailOf(after), now)
  await transact(
    store,
    [
      [
        'session',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.session(session.id),
            UpdateExpression:
              'SET #status = :status, notes = :notes, outcomes = :outcomes, attendance = :attendance, completedAt = :now, updatedAt = :now',
            ConditionExpression: '#status = :scheduled AND startsAt <= :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': after.status,
              ':notes': after.notes,
              ':outcomes': after.outcomes,
              ':attendance': after.attendance,
              ':now': at,
              ':scheduled': 'scheduled',
            },
          },
        },
      ],
      [
        'engagement',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.engagement(session.engagementId),
            UpdateExpression:
              'ADD scheduledSessions :minusOne, completedSessions :completed, minutes :minutes SET updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: {
              ':minusOne': -1,
              ':completed': attended ? 1 : 0,
              ':minutes': minutes,
              ':now': at,
            },
          },
        },
      ],
      ['event', outbox(event)],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 200, body: sessionInfo(after) }, now),
      explain: () => notScheduled(),
    },
  )
  return sessionInfo(after)
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
  const after: SessionItem = {
    ...session,
    status: 'cancelled',
    cancelledAt: at,
    cancelledBy: by,
    updatedAt: at,
  }
  await transact(
    store,
    [
      [
        'session',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.session(session.id),
            UpdateExpression:
              'SET #status = :cancelled, cancelledAt = :now, cancelledBy = :by, updatedAt = :now',
            ConditionExpression: '#status = :scheduled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':cancelled': 'cancelled',
              ':now': at,
              ':by': by,
              ':scheduled': 'scheduled',
            },
          },
        },
      ],
      ...slotsOf(session.startsAt, session.endsAt).map(
        (slot) => ['slot', slotDelete(store.tableName, session, slot)] as const,
      ),
      [
        'engagement',
        {
          Update: {
            TableName: store.tableName,
            Key: keys.engagement(session.engagementId),
            UpdateExpression: 'ADD scheduledSessions :minusOne SET updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minusOne': -1, ':now': at },
          },
        },
      ],
      ['event', outbox(createEvent(SessionEvents.Cancelled, { ...detailOf(session), by }, now))],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 200, body: sessionInfo(after) }, now),
      explain: () => notScheduled(),
    },
  )
  return sessionInfo(after)
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
  const page = await query(store, ownedBy(`REQUEST#${requestId}`, 'SESSION'), {
    limit: options.limit ?? 50,
    cursor: options.cursor,
  })
  return {
    items: page.items.map((item) => sessionInfo(z.parse(SessionItem, item))),
    nextCursor: page.nextCursor,
  }
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
