/**
 * What matching needs to know about a mentor and a request: projections of the stored entities,
 * assembled by the caller (from the mentor index and the request), never read here.
 */
import type { TimeZone } from '../time/index.ts'

export type MentorStatus = 'applied' | 'active' | 'paused' | 'suspended'
export type MeetingMode = 'online' | 'offline'
export type RequestMode = MeetingMode | 'either'
export type SkillLevel = 1 | 2 | 3

/**
 * A weekly window in the person's local time: `day` 0 (Sunday) … 6 (Saturday), `from` and `to` as
 * `HH:MM` with `from < to` on the same day (`to` may be `24:00`). A window past midnight is two slots.
 */
export interface WeeklySlot {
  day: number
  from: string
  to: string
}

export interface MentorSkill {
  topic: string
  level: SkillLevel
}

export interface MentorProfile {
  id: string
  status: MentorStatus
  skills: readonly MentorSkill[]
  /** Region codes served (province, city, district); the first is the mentor's home city. */
  regions: readonly string[]
  modes: readonly MeetingMode[]
  /** Language codes (`id`, `en`, `jv` …). */
  languages: readonly string[]
  /** Weekly availability in the mentor's zone. */
  availability: readonly WeeklySlot[]
  /** Most active engagements the mentor takes at once. */
  capacity: number
  /** Active engagements now. */
  active: number
  /** Sum and count of session ratings (1–5) received. */
  rating?: { sum: number; count: number }
  /** The mentor's zone; by default the zone of their home region. */
  zone?: TimeZone
}

export interface RequestProfile {
  id: string
  /** The business's city or district code. */
  region: string
  /** Topics the owner wants help with (1–5). */
  needs: readonly string[]
  mode: RequestMode
  languages: readonly string[]
  /** Weekly availability in the owner's zone; empty means "any time". */
  availability: readonly WeeklySlot[]
  /** Mentors who declined this request or let its offer expire. */
  excludedMentorIds: readonly string[]
  /** The owner's zone; by default the zone of the business's region. */
  zone?: TimeZone
}

/** `HH:MM` (00:00–24:00) as minutes after midnight, or -1 when malformed. */
export function clockMinutes(clock: string): number {
  if (clock.length !== 5 || clock.charCodeAt(2) !== 58) return -1
  const h1 = clock.charCodeAt(0) - 48
  const h2 = clock.charCodeAt(1) - 48
  const m1 = clock.charCodeAt(3) - 48
  const m2 = clock.charCodeAt(4) - 48
  if (h1 < 0 || h1 > 9 || h2 < 0 || h2 > 9 || m1 < 0 || m1 > 5 || m2 < 0 || m2 > 9) return -1
  const minutes = (h1 * 10 + h2) * 60 + m1 * 10 + m2
  return minutes <= 1440 ? minutes : -1
}

/** Whether a slot is well formed: a day 0–6 and `from < to` within that day. */
export function isWeeklySlot(slot: WeeklySlot): boolean {
  const from = clockMinutes(slot.from)
  const to = clockMinutes(slot.to)
  return Number.isInteger(slot.day) && slot.day >= 0 && slot.day <= 6 && from >= 0 && from < to
}
