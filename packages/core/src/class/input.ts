/** What staff, trainers and participants send about classes, validated at the HTTP edge (zod/mini). */
import * as z from 'zod/mini'
import { normalizePhone, SECTORS, SIZE_CLASSES } from '../business/index.ts'
import { CONTACT_CHANNELS } from '../notification/channels.ts'
import { MAX_QUOTA, MAX_SEGMENTS, PageLimit, RegionCode, SLUG } from '../program/index.ts'
import { regionLevel } from '../region/index.ts'
import { freeText } from '../text/index.ts'
import { TIME_ZONES } from '../time/index.ts'
import { ADMISSIONS, ATTENDANCE_MARKS, CLASS_MODES } from './item.ts'
import './messages.ts'
import { idField } from '../id/index.ts'

/** The most meetings a class has, and trainers it names. */
export const MAX_MEETINGS = 12
export const MAX_TRAINERS = 5
/** Marks one attendance call takes: one transaction's worth. */
export const MAX_MARKS = 90

const unique = <T>(items: T[]) => new Set(items).size === items.length
/** Free text: trimmed, bounded, no control or bidirectional-override characters. */
const text = freeText
const slug = z.string().check(z.maxLength(40), z.regex(SLUG, 'field.slug'))
export const ObjectId = idField()
/** UTC only (`…Z`), like sessions: a meeting's instant never depends on the sender's clock. */
const UtcDateTime = z.iso.datetime({ error: 'field.datetime_utc' }).check(z.maxLength(40))
const DateTime = z.iso.datetime({ offset: true, error: 'field.datetime' }).check(z.maxLength(40))
const MeetingUrl = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'field.https_url' })
  .check(z.maxLength(500))
const Quotas = z.record(slug, z.int().check(z.gte(0), z.lte(MAX_QUOTA))).check(
  z.refine((quotas) => Object.keys(quotas).length >= 1, {
    message: 'field.too_short',
    params: { minimum: 1 },
  }),
  z.refine((quotas) => Object.keys(quotas).length <= MAX_SEGMENTS, 'field.too_long'),
)

const MeetingInput = z.strictObject({ startsAt: UtcDateTime, endsAt: UtcDateTime }).check(
  z.refine((meeting) => Date.parse(meeting.endsAt) > Date.parse(meeting.startsAt), {
    message: 'field.date_order',
    path: ['endsAt'],
  }),
)

const CompletionInput = z
  .strictObject({
    rule: z.enum(['all', 'percent']),
    /** With `percent`: the share of meetings to attend, e.g. 75. */
    minimumPercent: z.optional(z.int().check(z.gte(1), z.lte(100))),
  })
  .check(
    z.refine((input) => input.rule !== 'percent' || input.minimumPercent !== undefined, {
      message: 'field.minimum_percent',
      path: ['minimumPercent'],
    }),
  )

interface ClassShape {
  mode?: string | undefined
  meetingUrl?: string | undefined
  place?: string | undefined
  meetings?: Array<{ startsAt?: string; endsAt?: string }> | undefined
  registrationOpensAt?: string | undefined
  registrationClosesAt?: string | undefined
}

const firstStart = (input: ClassShape) =>
  Math.min(...(input.meetings ?? []).map((meeting) => Date.parse(meeting.startsAt ?? '')))

/** `POST /v1/classes`: a class of a program, created as a draft. */
export const NewClass = z
  .strictObject({
    programId: ObjectId,
    /** The class's own region inside the program's; the program's by default (absent: national program). */
    region: z.optional(RegionCode),
    title: text(3, 160),
    topics: z.array(slug).check(z.minLength(1), z.maxLength(10), z.refine(unique, 'field.duplicate')),
    description: text(1, 4000),
    /** Mentor ids of the trainers: active mentors. */
    trainerIds: z
      .array(ObjectId)
      .check(z.minLength(1), z.maxLength(MAX_TRAINERS), z.refine(unique, 'field.duplicate')),
    mode: z.enum(CLASS_MODES),
    /** Online and hybrid: an https meeting link. */
    meetingUrl: z.optional(MeetingUrl),
    /** Offline and hybrid: where to meet. */
    place: z.optional(text(2, 300)),
    timeZone: z.enum(TIME_ZONES, 'field.time_zone'),
    /** In time order, not overlapping; UTC on quarter hours, each at most 4 hours. */
    meetings: z.array(MeetingInput).check(z.minLength(1), z.maxLength(MAX_MEETINGS)),
    /** Seats per segment; the program's segments and quotas when absent. */
    seats: z.optional(Quotas),
    /** Now when absent. */
    registrationOpensAt: z.optional(DateTime),
    registrationClosesAt: DateTime,
    completion: z._default(CompletionInput, { rule: 'all' }),
    admission: z._default(z.enum(ADMISSIONS), 'first_come'),
    /** The class this one follows on from (whose waitlist or participants it may invite). */
    followOnOf: z.optional(ObjectId),
  })
  .check(
    z.refine((input: ClassShape) => input.mode === 'offline' || !!input.meetingUrl, {
      message: 'field.meeting_url',
      path: ['meetingUrl'],
    }),
    z.refine((input: ClassShape) => input.mode === 'online' || !!input.place, {
      message: 'field.place',
      path: ['place'],
    }),
    z.refine(
      (input: ClassShape) => {
        const closes = Date.parse(input.registrationClosesAt ?? '')
        const opens = input.registrationOpensAt ? Date.parse(input.registrationOpensAt) : -Infinity
        return !(closes <= opens) && !(closes > firstStart(input))
      },
      { message: 'field.window_order', path: ['registrationClosesAt'] },
    ),
  )
export type NewClass = z.infer<typeof NewClass>

const Phone = z.string().check(
  z.maxLength(40),
  z.refine((raw) => normalizePhone(raw) !== undefined, 'field.phone'),
)

/** Who registers: a person, not necessarily a business. */
const PersonInput = z.strictObject({
  name: text(2, 120),
  /** Any Indonesian way of writing it; stored as `+62…`. */
  phone: Phone,
  email: z.optional(z.email({ error: 'field.email' }).check(z.maxLength(254))),
  /** Issue 17: `whatsapp` (the default), `sms` or `email` (which needs `email`); the others are fallbacks. */
  channel: z.optional(z.enum(CONTACT_CHANNELS, 'field.channel')),
  /** Regency/city (`35.73`) or district (`35.73.01`). */
  region: RegionCode.check(
    z.refine(
      (code) => regionLevel(code) === 'city' || regionLevel(code) === 'district',
      'field.region_level',
    ),
  ),
  /** With a business profile the person is also an owner who may ask for 1:1 mentoring later. */
  business: z.optional(
    z.strictObject({
      name: text(2, 120),
      sector: z.enum(SECTORS),
      sizeClass: z.optional(z.enum(SIZE_CLASSES)),
    }),
  ),
})

const Consent = z._default(z.boolean(), false)

/** `POST /v1/classes/{id}/registrations`: JSON or an HTML form. */
export const NewRegistration = z.strictObject({
  /**
   * A participant registering for another class: their id, with their private link's token in
   * `X-Tracking-Token` (or `?token=`); then `person` and `consent` are not sent again.
   */
  participantId: z.optional(ObjectId),
  /** Required unless `participantId` is sent. */
  person: z.optional(
    PersonInput.check(
      z.refine((person) => person.channel !== 'email' || person.email !== undefined, {
        message: 'field.channel_email',
        path: ['channel'],
      }),
    ),
  ),
  /** `umum`, `asn`, `umkm`, `mahasiswa`, `komunitas` … one of the class's segments. */
  segment: slug,
  /** The topic the person cares about most; groups may follow it. */
  interest: z.optional(slug),
  /** Required with `person`: consent per purpose (UU PDP), against the privacy notice's version. */
  consent: z.optional(
    z.strictObject({
      purposeVersion: text(1, 32),
      purposes: z._default(
        z.strictObject({
          matching_contact: Consent,
          reminders: Consent,
          program_reports: Consent,
          follow_on_invitations: Consent,
        }),
        { matching_contact: false, reminders: false, program_reports: false, follow_on_invitations: false },
      ),
    }),
  ),
})
export type NewRegistration = z.infer<typeof NewRegistration>

/** `PUT /v1/classes/{id}/meetings/{meetingId}/attendance`: the trainer's marks from the roster. */
export const AttendanceInput = z.strictObject({
  marks: z.array(z.strictObject({ registrationId: ObjectId, mark: z.enum(ATTENDANCE_MARKS) })).check(
    z.minLength(1),
    z.maxLength(MAX_MARKS),
    z.refine((marks) => unique(marks.map((mark) => mark.registrationId)), 'field.duplicate'),
  ),
})
export type AttendanceInput = z.infer<typeof AttendanceInput>

/** `POST /v1/classes/{id}/meetings/{meetingId}/groups`: split the attendees. */
export const GroupsInput = z.strictObject({
  /** `count`: this many groups; `size`: groups of about this many people. */
  by: z.enum(['count', 'size']),
  value: z.int().check(z.gte(1), z.lte(200)),
  /** Group topics in order (reused round the groups); with `byInterest`, the stated interests win. */
  topics: z.array(text(1, 120)).check(z.minLength(1), z.maxLength(50)),
  byInterest: z._default(z.boolean(), false),
})
export type GroupsInput = z.infer<typeof GroupsInput>

/** `POST /v1/registrations/{id}/check-in`: the code shown in the room (case and spaces forgiven). */
export const CheckInInput = z.strictObject({
  code: z
    .string()
    .check(z.maxLength(12), z.trim(), z.toUpperCase(), z.regex(/^[A-Z2-9]{6}$/, 'field.check_in_code')),
})
export type CheckInInput = z.infer<typeof CheckInInput>

/** `POST /v1/classes/{id}/invitations`: invite a past class's waitlist or participants. */
export const InvitationsInput = z.strictObject({
  fromClassId: ObjectId,
  audience: z.enum(['waitlist', 'participants']),
  segment: z.optional(slug),
})
export type InvitationsInput = z.infer<typeof InvitationsInput>

/** The catalog's filters: region, topic, a day (`YYYY-MM-DD`, WIB), online or offline. */
export const CatalogQuery = z.strictObject({
  region: z.optional(RegionCode),
  topic: z.optional(slug),
  date: z.optional(
    z.string().check(z.maxLength(10), z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'field.date')),
  ),
  mode: z.optional(z.enum(['online', 'offline'])),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type CatalogQuery = z.infer<typeof CatalogQuery>

/** Staff's list of their region's classes. */
export const ClassListQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})

/** The roster query of one class (trainers and staff). */
export const RosterQuery = z.strictObject({
  status: z._default(
    z.enum(['confirmed', 'waitlisted', 'registered', 'attended', 'absent', 'cancelled']),
    'confirmed',
  ),
  segment: z.optional(slug),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type RosterQuery = z.infer<typeof RosterQuery>
