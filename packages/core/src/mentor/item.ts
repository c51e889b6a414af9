/** A mentor, their load counter and directory entries as stored: schemas only, for the entities. */
import * as z from 'zod/mini'
import { AvailabilitySlot, ConsentRecord } from '../request/item.ts'
import { TIME_ZONES } from '../time/index.ts'

export const MENTOR_STATUSES = ['applied', 'active', 'paused', 'suspended'] as const
export type MentorStatus = (typeof MENTOR_STATUSES)[number]
export const MENTOR_MODES = ['online', 'offline'] as const

const SkillItem = z.object({ topic: z.string(), level: z.union([z.literal(1), z.literal(2), z.literal(3)]) })

/**
 * A mentor as stored (`entity: 'mentor'`), listed for staff in `byRegion` under `MENTOR#<status>`.
 * `rev` counts changes: every write is conditioned on the `rev` it read, so two edits never merge.
 */
export const MentorItem = z.object({
  entity: z.literal('mentor'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(MENTOR_STATUSES),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  region: z.string(),
  regionsServed: z.array(z.string()),
  skills: z.array(SkillItem),
  modes: z.array(z.enum(MENTOR_MODES)),
  languages: z.array(z.string()),
  availability: z.array(AvailabilitySlot),
  timeZone: z.enum(TIME_ZONES),
  capacity: z.number(),
  bio: z.string(),
  consent: ConsentRecord,
  appliedAt: z.string(),
  updatedAt: z.string(),
  approvedAt: z.nullable(z.string()),
  approvedBy: z.nullable(z.string()),
  accountSub: z.nullable(z.string()),
  rev: z.number(),
})
export type MentorItem = z.infer<typeof MentorItem>

/** The load counter (`entity: 'mentorLoad'`): invariant 1 lives in its `active < capacity` condition. */
export const LoadItem = z.object({
  entity: z.literal('mentorLoad'),
  version: z.literal(1),
  mentorId: z.string(),
  active: z.number(),
  capacity: z.number(),
  ratingSum: z.number(),
  ratingCount: z.number(),
  /** When the mentor last changed it (approval, a new capacity); engagements and ratings leave it. */
  updatedAt: z.optional(z.string()),
})
export type LoadItem = z.infer<typeof LoadItem>

/** What matching needs of a mentor, copied into each of their directory items. */
export const DirectoryProfile = z.object({
  mentorId: z.string(),
  sub: z.string(),
  skills: z.array(SkillItem),
  /** Home region first, then the regions served. */
  regions: z.array(z.string()),
  modes: z.array(z.enum(MENTOR_MODES)),
  languages: z.array(z.string()),
  /** Weekly slots with `day` 0 (Sunday) … 6, in `zone`. */
  availability: z.array(z.object({ day: z.number(), from: z.string(), to: z.string() })),
  zone: z.enum(TIME_ZONES),
})
export type DirectoryProfile = z.infer<typeof DirectoryProfile>

/** A mentor's entry in the matching directory for one of their skills (`entity: 'mentorTopic'`). */
export const DirectoryItem = z.object({
  entity: z.literal('mentorTopic'),
  version: z.literal(1),
  topic: z.string(),
  level: SkillItem.shape.level,
  profile: DirectoryProfile,
})
export type DirectoryItem = z.infer<typeof DirectoryItem>
