/**
 * Classes (kelas), their participants and registrations as stored: schemas only, for the data
 * layer's entities (`adapters/dynamo/entities/class.ts`). Nothing here reads or writes.
 */
import * as z from 'zod/mini'
import { CONTACT_CHANNELS } from '../notification/channels.ts'
import { ConsentChange, ConsentPurposes } from '../privacy/consent.ts'
import { TIME_ZONES } from '../time/index.ts'

export const CLASS_STATUSES = ['draft', 'open', 'full', 'running', 'finished', 'cancelled'] as const
export type ClassStatus = (typeof CLASS_STATUSES)[number]

/** Statuses in which a class is in the public catalog. */
export const LISTED_STATUSES: readonly ClassStatus[] = ['open', 'full', 'running']
/** Statuses in which people may register (inside the registration window). */
export const REGISTERING_STATUSES: readonly ClassStatus[] = ['open', 'full']

export const CLASS_MODES = ['online', 'offline', 'hybrid'] as const
export type ClassMode = (typeof CLASS_MODES)[number]

export const ADMISSIONS = ['first_come', 'lottery'] as const
export type Admission = (typeof ADMISSIONS)[number]

export const REGISTRATION_STATUSES = [
  'registered',
  'waitlisted',
  'confirmed',
  'attended',
  'absent',
  'cancelled',
] as const
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number]

/** Registrations that still hold (or wait for) a place: the phone claim stays while in one of these. */
export const HOLDING_STATUSES: readonly RegistrationStatus[] = ['registered', 'waitlisted', 'confirmed']

/** The purposes a participant consents to one by one (UU PDP), each recorded true or false. */
export { CONSENT_PURPOSES, type ConsentPurpose, ConsentPurposes } from '../privacy/consent.ts'

export const ATTENDANCE_MARKS = ['present', 'absent'] as const
export type AttendanceMark = (typeof ATTENDANCE_MARKS)[number]

export const Meeting = z.object({
  /** `m1`, `m2` … in time order. */
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
})
export type Meeting = z.infer<typeof Meeting>

/** Who earns completion: every meeting attended, or at least `minimumPercent` of them. */
export const CompletionRule = z.object({
  rule: z.enum(['all', 'percent']),
  /** 100 for `all`. */
  minimumPercent: z.number(),
})
export type CompletionRule = z.infer<typeof CompletionRule>

/** A trainer: the mentor, their account's `sub` (who may act as them) and first name (shown publicly). */
export const Trainer = z.object({ mentorId: z.string(), sub: z.string(), name: z.string() })
export type Trainer = z.infer<typeof Trainer>

/**
 * A class as stored (`entity: 'class'`). Listed for staff in `byRegion` (`CLASS`, by region then
 * creation) and, while open, full or running, in the public catalog (see the entity).
 */
export const ClassItem = z.object({
  entity: z.literal('class'),
  version: z.literal(1),
  id: z.string(),
  programId: z.string(),
  /** A region code, or `*` for a national class. */
  region: z.string(),
  title: z.string(),
  topics: z.array(z.string()),
  description: z.string(),
  trainers: z.array(Trainer),
  mode: z.enum(CLASS_MODES),
  meetingUrl: z.nullable(z.string()),
  place: z.nullable(z.string()),
  timeZone: z.enum(TIME_ZONES),
  meetings: z.array(Meeting),
  /** The first meeting's start and the last one's end: the catalog's day filter reads them. */
  firstMeetingAt: z.string(),
  lastMeetingEndsAt: z.string(),
  /** Seat quota per segment: `{ umum: 70, asn: 70 }`. */
  seats: z.record(z.string(), z.number()),
  registrationOpensAt: z.string(),
  registrationClosesAt: z.string(),
  completion: CompletionRule,
  admission: z.enum(ADMISSIONS),
  status: z.enum(CLASS_STATUSES),
  /** SHA-256 (hex) of the lottery seed, published with the class; `null` for first come. */
  seedHash: z.nullable(z.string()),
  /** The lottery seed: kept secret until the draw, then shown so anyone can re-run it. */
  seed: z.nullable(z.string()),
  drawnAt: z.nullable(z.string()),
  /** The class whose waitlist or past participants this one invited. */
  followOnOf: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  publishedAt: z.nullable(z.string()),
  /** When the last seat was taken (time to fill). */
  filledAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  cancelledAt: z.nullable(z.string()),
})
export type ClassItem = z.infer<typeof ClassItem>

/** A class segment's seat counter (`entity: 'classSegment'`): invariant 3, as for program segments. */
export const ClassSegmentItem = z.object({
  entity: z.literal('classSegment'),
  version: z.literal(1),
  classId: z.string(),
  segment: z.string(),
  quota: z.number(),
  admitted: z.number(),
  waitlisted: z.number(),
})
export type ClassSegmentItem = z.infer<typeof ClassSegmentItem>

export const Group = z.object({
  number: z.number(),
  topic: z.string(),
  registrationIds: z.array(z.string()),
})
export type Group = z.infer<typeof Group>

/** One meeting's own state (`entity: 'classMeeting'`): its check-in code and its groups. */
export const MeetingItem = z.object({
  entity: z.literal('classMeeting'),
  version: z.literal(1),
  classId: z.string(),
  meetingId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** Six characters shown in the room; accepted only between `startsAt` and `endsAt`. */
  checkInCode: z.nullable(z.string()),
  groups: z.array(Group),
  updatedAt: z.string(),
})
export type MeetingItem = z.infer<typeof MeetingItem>

export const ParticipantBusiness = z.object({
  name: z.string(),
  sector: z.string(),
  sizeClass: z.nullable(z.enum(['mikro', 'kecil', 'menengah'])),
})

/**
 * A person who registered for classes (`entity: 'participant'`), with their private link's token hash
 * (same scheme as request tracking tokens) and their consent per purpose.
 */
export const ParticipantItem = z.object({
  entity: z.literal('participant'),
  version: z.literal(1),
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  email: z.nullable(z.string()),
  region: z.string(),
  business: z.nullable(ParticipantBusiness),
  consent: z.object({
    purposes: ConsentPurposes,
    purposeVersion: z.string(),
    recordedAt: z.string(),
    /** Every consent and withdrawal since per-purpose history was kept. */
    history: z.optional(z.array(ConsentChange)),
  }),
  locale: z.enum(['id', 'en']),
  /** Issue 17: the channel they chose; absent on older participants (WhatsApp, since they gave a phone). */
  channel: z.optional(z.enum(CONTACT_CHANNELS)),
  tokenHash: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ParticipantItem = z.infer<typeof ParticipantItem>

/**
 * One person's place in one class (`entity: 'registration'`). Listed per class and status in
 * `byProgram` (`CLASS#<classId>#<status>`, by segment then `queue`), so a segment's waitlist is a
 * prefix in queue order; and per participant in `byOwner`.
 */
export const RegistrationItem = z.object({
  entity: z.literal('registration'),
  version: z.literal(1),
  id: z.string(),
  classId: z.string(),
  programId: z.string(),
  /** The class's region (`*` national): whose staff may see the registration. */
  classRegion: z.string(),
  participantId: z.string(),
  /** For the roster: the participant's name (erased with them). */
  name: z.string(),
  region: z.string(),
  segment: z.string(),
  status: z.enum(REGISTRATION_STATUSES),
  /**
   * Queue order: the server's arrival time for first come; after a lottery draw, the draw rank
   * (`draw#000042`), so the waitlist follows the published order.
   */
  queue: z.string(),
  /** SHA-256 of the normalised phone: the key of the one-seat-per-class claim this registration holds. */
  phoneHash: z.string(),
  /** The topic the person said they care about most: groups may follow it. */
  interest: z.nullable(z.string()),
  registeredAt: z.string(),
  updatedAt: z.string(),
  confirmedAt: z.nullable(z.string()),
  drawRank: z.nullable(z.number()),
  /** Per meeting id. */
  attendance: z.record(z.string(), z.enum(ATTENDANCE_MARKS)),
  completedAt: z.nullable(z.string()),
})
export type RegistrationItem = z.infer<typeof RegistrationItem>

/** The one-seat-per-class claim of a phone (`entity: 'classPhone'`). */
export const PhoneClaimItem = z.object({
  entity: z.literal('classPhone'),
  version: z.literal(1),
  classId: z.string(),
  phoneHash: z.string(),
  registrationId: z.string(),
})
export type PhoneClaimItem = z.infer<typeof PhoneClaimItem>

/** A published lottery draw, in chunks of {@link DRAW_CHUNK} ids (`entity: 'classDraw'`). */
export const DrawItem = z.object({
  entity: z.literal('classDraw'),
  version: z.literal(1),
  classId: z.string(),
  chunk: z.number(),
  registrationIds: z.array(z.string()),
  /** Each registration's segment, in the same order: the seats follow from these and the quotas. */
  segments: z.array(z.string()),
})
export type DrawItem = z.infer<typeof DrawItem>

/** Ids per draw item: 5 000 × ~24 bytes stays far below DynamoDB's 400 KB item limit. */
export const DRAW_CHUNK = 5000

/** A trainer's booked quarter hour, as sessions book them (`entity: 'mentorSlot'`). */
export const SlotItem = z.object({
  entity: z.literal('mentorSlot'),
  version: z.literal(1),
  mentorId: z.string(),
  slot: z.string(),
  /** Set by a session's booking. */
  sessionId: z.optional(z.string()),
  /** Set by a class meeting's booking. */
  classId: z.optional(z.string()),
  meetingId: z.optional(z.string()),
})
export type SlotItem = z.infer<typeof SlotItem>
