/** What the API answers about classes: schemas (for the OpenAPI document) and the mappers to them. */
import * as z from 'zod/mini'
import { useContext } from '../actor/index.ts'
import { formatLocal } from '../time/index.ts'
import type { ClassItem, ClassSegmentItem, MeetingItem, RegistrationItem } from './item.ts'
import { ADMISSIONS, CLASS_MODES, CLASS_STATUSES, REGISTRATION_STATUSES } from './item.ts'

const SeatsOfSegment = z.object({
  quota: z.number(),
  admitted: z.number(),
  waitlisted: z.number(),
  left: z.number(),
})

const MeetingInfo = z.object({
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  local: z.object({ startsAt: z.string(), endsAt: z.string() }),
})

/** A class as anyone reads it: no trainer contact, no meeting link, the seed only after the draw. */
export const ClassInfo = z.object({
  id: z.string(),
  programId: z.string(),
  region: z.string(),
  title: z.string(),
  topics: z.array(z.string()),
  description: z.string(),
  trainers: z.array(z.object({ mentorId: z.string(), name: z.string() })),
  mode: z.enum(CLASS_MODES),
  place: z.nullable(z.string()),
  timeZone: z.string(),
  meetings: z.array(MeetingInfo),
  seats: z.record(z.string(), SeatsOfSegment),
  registrationOpensAt: z.string(),
  registrationClosesAt: z.string(),
  completion: z.object({ rule: z.enum(['all', 'percent']), minimumPercent: z.number() }),
  admission: z.enum(ADMISSIONS),
  status: z.enum(CLASS_STATUSES),
  /** Lottery: SHA-256 (hex) of the seed, public from publication. */
  seedHash: z.nullable(z.string()),
  /** Lottery: the seed, public once drawn. */
  seed: z.nullable(z.string()),
  drawnAt: z.nullable(z.string()),
  publishedAt: z.nullable(z.string()),
  followOnOf: z.nullable(z.string()),
})
export type ClassInfo = z.infer<typeof ClassInfo>

/** One page of the catalog or of staff's list. */
export const ClassPage = z.object({ items: z.array(ClassInfo), nextCursor: z.nullable(z.string()) })

/** What a registration answers: the private link's token is shown only when a new participant is made. */
export const Registered = z.object({
  id: z.string(),
  classId: z.string(),
  participantId: z.string(),
  status: z.enum(['registered', 'waitlisted', 'confirmed']),
  /** New participants only: the private link's secret, shown this once. */
  participantToken: z.optional(z.string()),
  /** The private page: `/peserta/{participantId}?token=…`. */
  privatePath: z.string(),
})
export type Registered = z.infer<typeof Registered>

/** A registration as its participant, the class's trainers and staff read it. */
export const RegistrationInfo = z.object({
  id: z.string(),
  classId: z.string(),
  participantId: z.string(),
  name: z.string(),
  segment: z.string(),
  region: z.string(),
  status: z.enum(REGISTRATION_STATUSES),
  interest: z.nullable(z.string()),
  registeredAt: z.string(),
  confirmedAt: z.nullable(z.string()),
  drawRank: z.nullable(z.number()),
  attendance: z.record(z.string(), z.string()),
  completedAt: z.nullable(z.string()),
})
export type RegistrationInfo = z.infer<typeof RegistrationInfo>

export const RosterPage = z.object({ items: z.array(RegistrationInfo), nextCursor: z.nullable(z.string()) })

/** The participant's private page: who they are, and each class with their place, meetings and group. */
export const ParticipantView = z.object({
  id: z.string(),
  name: z.string(),
  consent: z.record(z.string(), z.boolean()),
  registrations: z.array(
    z.object({
      registration: RegistrationInfo,
      class: z.nullable(ClassInfo),
      /** The meeting link, for confirmed participants of online and hybrid classes. */
      meetingUrl: z.nullable(z.string()),
      groups: z.array(z.object({ meetingId: z.string(), number: z.number(), topic: z.string() })),
    }),
  ),
})
export type ParticipantView = z.infer<typeof ParticipantView>

/** A published draw: anyone re-runs `drawOrder(seed, registrationIds)` and gets `registrationIds`. */
export const DrawInfo = z.object({
  classId: z.string(),
  seed: z.string(),
  seedHash: z.string(),
  drawnAt: z.string(),
  registrationIds: z.array(z.string()),
})
export type DrawInfo = z.infer<typeof DrawInfo>

/** Seats per segment from the counters; quotas alone when the counters are not at hand. */
function seatsOf(klass: ClassItem, segments?: readonly ClassSegmentItem[]) {
  const seats: ClassInfo['seats'] = {}
  for (const [segment, quota] of Object.entries(klass.seats)) {
    const counter = segments?.find((item) => item.segment === segment)
    const admitted = counter?.admitted ?? 0
    seats[segment] = {
      quota,
      admitted,
      waitlisted: counter?.waitlisted ?? 0,
      left: Math.max(0, quota - admitted),
    }
  }
  return seats
}

export function toClassInfo(klass: ClassItem, segments?: readonly ClassSegmentItem[]): ClassInfo {
  const { locale } = useContext()
  return {
    id: klass.id,
    programId: klass.programId,
    region: klass.region,
    title: klass.title,
    topics: klass.topics,
    description: klass.description,
    trainers: klass.trainers.map(({ mentorId, name }) => ({ mentorId, name })),
    mode: klass.mode,
    place: klass.place,
    timeZone: klass.timeZone,
    meetings: klass.meetings.map((meeting) => ({
      ...meeting,
      local: {
        startsAt: formatLocal(meeting.startsAt, klass.timeZone, locale),
        endsAt: formatLocal(meeting.endsAt, klass.timeZone, locale),
      },
    })),
    seats: seatsOf(klass, segments),
    registrationOpensAt: klass.registrationOpensAt,
    registrationClosesAt: klass.registrationClosesAt,
    completion: klass.completion,
    admission: klass.admission,
    status: klass.status,
    seedHash: klass.seedHash,
    seed: klass.drawnAt ? klass.seed : null,
    drawnAt: klass.drawnAt,
    publishedAt: klass.publishedAt,
    followOnOf: klass.followOnOf,
  }
}

export function toRegistrationInfo(registration: RegistrationItem): RegistrationInfo {
  return {
    id: registration.id,
    classId: registration.classId,
    participantId: registration.participantId,
    name: registration.name,
    segment: registration.segment,
    region: registration.region,
    status: registration.status,
    interest: registration.interest,
    registeredAt: registration.registeredAt,
    confirmedAt: registration.confirmedAt,
    drawRank: registration.drawRank,
    attendance: registration.attendance,
    completedAt: registration.completedAt,
  }
}

/** A participant's groups across a class's meetings. */
export function groupsOf(registrationId: string, meetings: readonly MeetingItem[]) {
  const found: ParticipantView['registrations'][number]['groups'] = []
  for (const meeting of meetings)
    for (const group of meeting.groups)
      if (group.registrationIds.includes(registrationId))
        found.push({ meetingId: meeting.meetingId, number: group.number, topic: group.topic })
  return found
}
