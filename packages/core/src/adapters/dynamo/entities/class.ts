import * as z from 'zod/mini'
import {
  ClassItem,
  ClassSegmentItem,
  type ClassStatus,
  DrawItem,
  LISTED_STATUSES,
  MeetingItem,
  ParticipantItem,
  PhoneClaimItem,
  RegistrationItem,
  type RegistrationStatus,
  type SlotItem,
} from '../../../class/item.ts'
import { ProgramItem } from '../../../program/item.ts'
import {
  and,
  type Condition,
  deleteItem,
  entity,
  exists,
  isNew,
  putItem,
  type TransactItem,
  when,
} from '../entity.ts'
import { byClass, byOwner, byRegion, classCatalog, keys } from '../keys.ts'
import type { List } from '../read.ts'

/** `#attr IN (:p0, :p1 …)` with its values, placeholders prefixed `prefix`. */
function oneOf(attribute: string, values: readonly string[], prefix: string): Condition {
  const placeholders = values.map((_, index) => `:${prefix}${index}`)
  return when(
    `#${attribute} IN (${placeholders.join(', ')})`,
    Object.fromEntries(values.map((value, index) => [placeholders[index], value])),
  )
}

const klass = entity('class', ClassItem, {
  key: (of: { id: string }) => keys.class(of.id),
  /**
   * `byRegion` under `CLASS` for staff lists (by region, then creation); while open, full or
   * running, also in the public catalog, by first meeting.
   */
  indexes: (of: ClassItem) => ({
    ...byRegion('CLASS', of.region, of.createdAt, of.id),
    ...(LISTED_STATUSES.includes(of.status) ? classCatalog(of.meetings[0]?.startsAt ?? '', of.id) : {}),
  }),
})

const segment = entity('classSegment', ClassSegmentItem, {
  key: (of: { classId: string; segment: string }) => keys.classSegment(of.classId, of.segment),
})
const meeting = entity('classMeeting', MeetingItem, {
  key: (of: { classId: string; meetingId: string }) => keys.classMeeting(of.classId, of.meetingId),
})

/** What `filter` a catalog page may apply: region, topic, a day, online or offline. */
export interface CatalogFilter {
  /** The reader's region: classes of it, of its ancestors, of its children, and national ones. */
  region?: { code: string; ancestors: readonly string[] } | undefined
  topic?: string | undefined
  /** Classes meeting within `[from, to)` (UTC ISO). */
  day?: { from: string; to: string } | undefined
  /** `online` finds online and hybrid classes; `offline` offline and hybrid. */
  mode?: 'online' | 'offline' | undefined
}

/** Classes (`CLASS#<id>`): their lists, optimistic lock and the registration check. */
export const Class = {
  ...klass,
  /** Still as read: nobody changed it meanwhile. */
  unchanged: (read: Pick<ClassItem, 'updatedAt'>) =>
    when('#updatedAt = :previous', { ':previous': read.updatedAt }),
  /** In one of `statuses`. */
  inStatus: (...statuses: ClassStatus[]) => oneOf('status', statuses, 'st'),
  /** Classes whose region starts with `region` (`*` for all), oldest first. */
  inRegion: (region: string): List<ClassItem> => ({
    index: 'byRegion',
    partition: 'CLASS',
    prefix: region === '*' ? '' : region,
    parse: klass.parse,
  }),
  /** The public catalog: listed classes by first meeting, narrowed by `filter`. */
  catalog(filter: CatalogFilter): List<ClassItem> {
    const conditions: Condition[] = []
    if (filter.region) {
      const near = oneOf('region', ['*', ...filter.region.ancestors], 'rg')
      conditions.push(
        when(`begins_with(#region, :rgPrefix) OR ${near.expression}`, {
          ':rgPrefix': filter.region.code,
          ...near.values,
        }),
      )
    }
    if (filter.topic) conditions.push(when('contains(#topics, :topic)', { ':topic': filter.topic }))
    if (filter.day)
      conditions.push(
        when('#firstMeetingAt < :dayTo AND #lastMeetingEndsAt > :dayFrom', {
          ':dayFrom': filter.day.from,
          ':dayTo': filter.day.to,
        }),
      )
    if (filter.mode) conditions.push(oneOf('mode', [filter.mode, 'hybrid'], 'md'))
    return {
      index: 'byTopic',
      partition: classCatalog('', '').byTopicPk,
      // `and` puts each condition in parentheses, so the region's OR stays whole.
      filter: conditions.length > 0 ? and(...conditions) : undefined,
      parse: klass.parse,
    }
  },
  /**
   * Checks, inside a registration's transaction and without reading the class, that it takes
   * registrations now: open or full, inside its window, and (for a lottery, where no seat counter
   * is touched) that it has `segmentName`.
   */
  registers(classId: string, now: string, segmentName?: string) {
    const conditions = [
      when('#entity = :entity', { ':entity': 'class' }),
      oneOf('status', ['open', 'full'], 'reg'),
      when('#registrationOpensAt <= :now AND #registrationClosesAt > :now', { ':now': now }),
    ]
    if (segmentName !== undefined) conditions.push(when(`attribute_exists(#seats.#${segmentName})`))
    return klass.check({ id: classId }, and(...conditions))
  },
  /** The class and everything in its partition (seat counters, meetings), strongly consistent. */
  withParts: (id: string): List<ClassItem | ClassSegmentItem | MeetingItem> => ({
    partition: keys.class(id).pk,
    consistent: true,
    parse: (raw) =>
      raw.entity === 'class'
        ? klass.parse(raw)
        : raw.entity === 'classSegment'
          ? segment.parse(raw)
          : raw.entity === 'classMeeting'
            ? meeting.parse(raw)
            : undefined,
  }),
}

/**
 * Seats of a class segment (invariant 3), exactly as a program segment's: `admitted` against
 * `quota`, `waitlisted` the queue's length, every change a conditional `Update` in the transaction
 * that moves the registration.
 */
export const ClassSegment = {
  ...segment,
  /** Takes a seat while `admitted < quota` and nobody waits (a newcomer never overtakes the queue). */
  takeSeat: (classId: string, name: string) =>
    segment.update(
      { classId, segment: name },
      { add: { admitted: 1 } },
      { when: and(exists, when('#admitted < #quota AND #waitlisted = :zero', { ':zero': 0 })) },
    ),
  joinWaitlist: (classId: string, name: string) =>
    segment.update({ classId, segment: name }, { add: { waitlisted: 1 } }, { when: exists }),
  leaveWaitlist: (classId: string, name: string) =>
    segment.update(
      { classId, segment: name },
      { add: { waitlisted: -1 } },
      { when: and(exists, when('#waitlisted > :zero', { ':zero': 0 })) },
    ),
  promote: (classId: string, name: string) =>
    segment.update(
      { classId, segment: name },
      { add: { admitted: 1, waitlisted: -1 } },
      { when: and(exists, when('#admitted < #quota AND #waitlisted > :zero', { ':zero': 0 })) },
    ),
  releaseSeat: (classId: string, name: string) =>
    segment.update(
      { classId, segment: name },
      { add: { admitted: -1 } },
      { when: and(exists, when('#admitted > :zero', { ':zero': 0 })) },
    ),
  /**
   * A lottery draw's batch: `seated` seats taken (never past `quota`, the class's quota for the
   * segment: conditions cannot add, so the ceiling is given) and `waiting` queued.
   */
  drawn: (classId: string, name: string, seated: number, waiting: number, quota: number) =>
    segment.update(
      { classId, segment: name },
      { add: { admitted: seated, waitlisted: waiting } },
      { when: and(exists, when('#admitted <= :ceiling', { ':ceiling': quota - seated })) },
    ),
}

/** A class meeting's own item: check-in code and groups. */
export const ClassMeeting = {
  ...meeting,
  /** The meeting exists. */
  present: exists,
  /** No check-in code was made for it yet. */
  noCode: and(exists, when('attribute_type(#checkInCode, :null)', { ':null': 'NULL' })),
  /** The check-in code is `code` and the meeting is under way at `now`. */
  acceptsCode: (classId: string, meetingId: string, code: string, now: string) =>
    meeting.check(
      { classId, meetingId },
      when('#checkInCode = :code AND #startsAt <= :now AND #endsAt > :now', { ':code': code, ':now': now }),
    ),
}

/** The chunks of a class's published draw. */
export const ClassDraw = {
  ...entity('classDraw', DrawItem, {
    key: (of: { classId: string; chunk: number }) => keys.classDraw(of.classId, of.chunk),
  }),
  /** Every chunk, in order: the draw items of the class's partition. */
  of: (classId: string): List<DrawItem> => ({
    partition: keys.class(classId).pk,
    prefix: keys.classDraw(classId, 0).sk.slice(0, 'DRAW#'.length),
    consistent: true,
    parse: (raw) => (raw.entity === 'classDraw' ? DrawItem.parse(raw) : undefined),
  }),
}

const participant = entity('participant', ParticipantItem, {
  key: (of: { id: string }) => keys.participant(of.id),
})

/** Participants (`PARTICIPANT#<id>`). */
export const Participant = {
  ...participant,
  /** The private link's token is still the one read. */
  tokenIs: (hash: string | null) => when('#tokenHash = :previous', { ':previous': hash }),
}

const registration = entity('registration', RegistrationItem, {
  key: (of: { id: string }) => keys.registration(of.id),
  indexes: (of: RegistrationItem) => ({
    ...byClass(of.classId, of.status, of.segment, of.queue, of.id),
    ...byOwner(`PARTICIPANT#${of.participantId}`, 'REGISTRATION', of.registeredAt, of.id),
  }),
})

/** Registrations (`REGISTRATION#<id>`): per class and status, per participant. */
export const Registration = {
  ...registration,
  inStatus: (...statuses: RegistrationStatus[]) => oneOf('status', statuses, 'rs'),
  /** A class's registrations in `status` (one segment's when given, in queue order). */
  inClass: (classId: string, status: RegistrationStatus, segmentName?: string): List<RegistrationItem> => {
    const keysOf = byClass(classId, status, segmentName ?? '', '', '')
    return {
      index: 'byProgram',
      partition: keysOf.byProgramPk,
      prefix: segmentName === undefined ? '' : `${segmentName}#`,
      parse: registration.parse,
    }
  },
  /**
   * Marks one meeting's attendance of a registration on the class's roster (`confirmed`): refused
   * (nothing written) for a registration of another class, or one not holding a seat.
   */
  mark: (
    id: string,
    classId: string,
    meetingId: string,
    mark: 'present' | 'absent',
    at: string,
  ): TransactItem => ({
    Update: {
      Key: keys.registration(id),
      // A path into the `attendance` map: the meeting id is a name of its own, never part of a dotted name.
      UpdateExpression: 'SET #attendance.#meeting = :mark, #updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND #classId = :class AND #status = :seated',
      ExpressionAttributeNames: {
        '#attendance': 'attendance',
        '#meeting': meetingId,
        '#updatedAt': 'updatedAt',
        '#classId': 'classId',
        '#status': 'status',
      },
      ExpressionAttributeValues: { ':mark': mark, ':at': at, ':class': classId, ':seated': 'confirmed' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }),
  /** A participant's registrations, oldest first. */
  ofParticipant: (participantId: string): List<RegistrationItem> => ({
    index: 'byOwner',
    partition: `PARTICIPANT#${participantId}`,
    prefix: 'REGISTRATION#',
    parse: registration.parse,
  }),
}

const phoneClaim = entity('classPhone', PhoneClaimItem, {
  key: (of: { classId: string; phoneHash: string }) => keys.classPhone(of.classId, of.phoneHash),
})

/** One seat per person per class: a phone's claim, put only if absent (the registration's transaction). */
export const PhoneClaim = {
  ...phoneClaim,
  /** Given back by the registration that holds it (a cancelled registration frees the phone). */
  release: (classId: string, phoneHash: string, registrationId: string) =>
    phoneClaim.remove(
      { classId, phoneHash },
      { when: when('#registrationId = :holder', { ':holder': registrationId }) },
    ),
}

/**
 * A trainer's booked quarter hour for a class meeting: the very item a session books
 * (`MentorSlot` in `session.ts`, `keys.mentorSlot`), put with the same `attribute_not_exists`, so
 * invariant 4 covers sessions and meetings by one condition: a meeting never overlaps a session or
 * another meeting.
 */
export const MeetingSlot = {
  /** Books `slot` for a class meeting; refused if anything holds it already. */
  book: (mentorId: string, slot: string, holder: { classId: string; meetingId: string }): TransactItem =>
    putItem(
      keys.mentorSlot(mentorId, slot),
      {
        entity: 'mentorSlot',
        version: 1,
        mentorId,
        slot,
        ...holder,
      } satisfies SlotItem,
      isNew,
    ),
  /** Frees `slot` if this class holds it. */
  free: (mentorId: string, slot: string, classId: string): TransactItem =>
    deleteItem(keys.mentorSlot(mentorId, slot), when('#classId = :holder', { ':holder': classId })),
}

const MentorFacts = z.object({
  entity: z.literal('mentor'),
  id: z.string(),
  status: z.string(),
  name: z.string(),
  region: z.string(),
  accountSub: z.nullable(z.string()),
})
export type MentorFacts = z.infer<typeof MentorFacts>

/** What creating a class reads in one `BatchGetItem`: its program and its trainers. */
export const ClassSetup = {
  key: (of: { program: string } | { mentor: string }) =>
    'program' in of ? keys.program(of.program) : keys.mentor(of.mentor),
  parse: (raw: unknown): ProgramItem | MentorFacts =>
    (raw as { entity?: unknown }).entity === 'program' ? ProgramItem.parse(raw) : MentorFacts.parse(raw),
}
