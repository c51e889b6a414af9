/** What mentors and staff send about mentors, validated at the HTTP edge (zod/mini) and typed from here. */
import * as z from 'zod/mini'
import { normalizePhone } from '../business/index.ts'
import { PageLimit, RegionCode, SLUG } from '../program/index.ts'
import { regionLevel } from '../region/index.ts'
import { AvailabilityInput, LANGUAGES } from '../request/input.ts'
import { freeText } from '../text/index.ts'
import { TIME_ZONES } from '../time/index.ts'
import { MENTOR_MODES, MENTOR_STATUSES } from './item.ts'

export const MAX_CAPACITY = 10
export const DEFAULT_CAPACITY = 3

const unique = <T>(items: T[]) => new Set(items).size === items.length
/** Free text: trimmed, bounded, no control or bidirectional-override characters. */
const text = freeText

/** A city/regency (`35.73`) or district (`35.73.01`) code. */
const LocalRegion = RegionCode.check(
  z.refine((code) => regionLevel(code) === 'city' || regionLevel(code) === 'district', 'field.region_level'),
)

export const Skill = z.strictObject({
  /**
   * A standard topic (`social_media` …) or one a program added (`ekspor`): the latter is checked to
   * exist when the mentor is written.
   */
  topic: z.string().check(z.maxLength(40), z.regex(SLUG, 'field.topic')),
  /** 1 basic, 2 good, 3 expert. */
  level: z.int().check(z.gte(1), z.lte(3)),
})

const Skills = z.array(Skill).check(
  z.minLength(1),
  z.maxLength(10),
  z.refine((skills) => unique(skills.map((skill) => skill?.topic)), 'field.duplicate'),
)
const Modes = z
  .array(z.enum(MENTOR_MODES))
  .check(z.minLength(1), z.maxLength(2), z.refine(unique, 'field.duplicate'))
const Languages = z
  .array(z.enum(LANGUAGES))
  .check(z.minLength(1), z.maxLength(5), z.refine(unique, 'field.duplicate'))
const Availability = z.array(AvailabilityInput).check(z.minLength(1), z.maxLength(21))
const RegionsServed = z.array(RegionCode).check(z.maxLength(10), z.refine(unique, 'field.duplicate'))
const Capacity = z.int().check(z.gte(1), z.lte(MAX_CAPACITY))

/** A public mentor application (`POST /v1/mentor-applications`). */
export const MentorApplication = z.strictObject({
  name: text(2, 120),
  email: z.email({ error: 'field.email' }).check(z.maxLength(254), z.toLowerCase()),
  phone: z.string().check(
    z.maxLength(40),
    z.refine((raw) => normalizePhone(raw) !== undefined, 'field.phone'),
  ),
  /** Home city/regency or district. */
  region: LocalRegion,
  /** More regions where the mentor meets businesses (province, city or district codes). */
  regionsServed: z._default(RegionsServed, []),
  skills: Skills,
  modes: Modes,
  languages: Languages,
  /** Weekly slots in `timeZone`. */
  availability: Availability,
  /** Defaults to the zone of the home region. */
  timeZone: z.optional(z.enum(TIME_ZONES, 'field.time_zone')),
  /** Most businesses mentored at once. */
  capacity: z._default(Capacity, DEFAULT_CAPACITY),
  bio: z._default(text(0, 1000), ''),
  consent: z.strictObject({
    accepted: z.literal(true, 'field.consent'),
    /** The version of the privacy notice the applicant agreed to; refused unless it is the one in force. */
    purposeVersion: text(1, 32),
  }),
})
export type MentorApplication = z.infer<typeof MentorApplication>

/** What a mentor may change of their own profile (`PATCH /v1/me`); `status` pauses or resumes. */
export const MentorPatch = z
  .strictObject({
    skills: z.optional(Skills),
    modes: z.optional(Modes),
    languages: z.optional(Languages),
    availability: z.optional(Availability),
    timeZone: z.optional(z.enum(TIME_ZONES, 'field.time_zone')),
    regionsServed: z.optional(RegionsServed),
    capacity: z.optional(Capacity),
    bio: z.optional(text(0, 1000)),
    status: z.optional(z.enum(['active', 'paused'])),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'field.required', path: [] }))
export type MentorPatch = z.infer<typeof MentorPatch>

/** Staff suspend a mentor or lift the suspension (`PATCH /v1/mentors/{id}`). */
export const MentorStatusChange = z.strictObject({ status: z.enum(['suspended', 'active']) })
export type MentorStatusChange = z.infer<typeof MentorStatusChange>

/** The staff's mentor list (`GET /v1/mentors`). */
export const MentorListQuery = z.strictObject({
  status: z._default(z.enum(MENTOR_STATUSES), 'applied'),
  /** Narrows the list to a region inside the caller's. */
  region: z.optional(RegionCode),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type MentorListQuery = z.infer<typeof MentorListQuery>
