/**
 * Hard filters and the explainable score of one request–mentor pair (docs/contract/matching.md).
 *
 * The score is a weighted sum of five components, each in [0, 1], so the total is in [0, 1]:
 *
 * | component      | weight | value |
 * |----------------|--------|-------|
 * | `needCoverage` | 0.40   | mean over the request's needs of the mentor's credit for it: level 1 → 0.5, 2 → 0.75, 3 → 1, none → 0 |
 * | `proximity`    | 0.20   | 1 when a region the mentor serves lies in the business's city/regency, 0.5 in its province, else 0 |
 * | `availability` | 0.15   | weekly minutes both are free (compared in UTC), over the owner's free minutes capped at 2 h; 1 when the owner gave none |
 * | `load`         | 0.15   | 1 − active / capacity: spreads work to mentors with room |
 * | `rating`       | 0.10   | Bayesian mean of ratings with a prior of five 4-star ratings, scaled 1…5 → 0…1 (a new mentor scores 0.75) |
 *
 * Coverage matters most because an offer is useless if the mentor can't help with what was asked;
 * covering every need at a basic level beats covering half at expert level. Availability is capped
 * at two hours a week because that is about what mentoring needs: an owner free all week should not
 * make every mentor look poor.
 *
 * Hard filters (`eligible`): the mentor is active, has a seat free, shares a language, was not
 * excluded for this request, covers at least one need, and the mode is compatible: an online request
 * needs an online mentor; an offline request needs an offline mentor serving the business's
 * city/regency; `either` is satisfied by either of those.
 */
import { zoneOffsetMinutes, zoneOfRegion } from '../time/index.ts'
import { clockMinutes, type MentorProfile, type RequestProfile } from './profile.ts'

export const MATCH_WEIGHTS = {
  needCoverage: 0.4,
  proximity: 0.2,
  availability: 0.15,
  load: 0.15,
  rating: 0.1,
} as const

/** Credit for a need by the mentor's skill level in it (index = level; 0 = no skill). */
export const SKILL_LEVEL_CREDIT: readonly number[] = [0, 0.5, 0.75, 1]
export const PROXIMITY_CREDIT = { sameCity: 1, sameProvince: 0.5, elsewhere: 0 } as const
/** Weekly overlap that counts as fully available: two one-hour sessions. */
export const SUFFICIENT_OVERLAP_MINUTES = 120
/** A new mentor is treated as if five owners had rated them 4 of 5. */
export const RATING_PRIOR = { mean: 4, count: 5 } as const

export interface MatchBreakdown {
  needCoverage: number
  proximity: number
  availability: number
  load: number
  rating: number
}

export interface MatchScore {
  /** Σ weight × component, in [0, 1]. */
  total: number
  breakdown: MatchBreakdown
}

/** The load component when `active` of `capacity` seats are taken. */
export function loadCredit(active: number, capacity: number): number {
  if (!(capacity > 0)) return 0
  return Math.min(1, Math.max(0, 1 - active / capacity))
}

/** The rating component: the Bayesian mean rating scaled from 1…5 to 0…1. */
export function ratingCredit(rating: MentorProfile['rating']): number {
  const sum = rating && rating.count > 0 ? rating.sum : 0
  const count = rating && rating.count > 0 ? rating.count : 0
  const mean = (sum + RATING_PRIOR.mean * RATING_PRIOR.count) / (count + RATING_PRIOR.count)
  return Math.min(1, Math.max(0, (mean - 1) / 4))
}

/** Whether `mentor` may be offered `request` at all (the hard filters above). */
export function eligible(request: RequestProfile, mentor: MentorProfile): boolean {
  const context = new MatchContext(request)
  const view = context.view(mentor)
  return context.passesFilters(view) && context.measure(view, context.scratch)
}

/**
 * The score of a pair with its breakdown, whether or not the pair is eligible.
 *
 * @example
 * const { total, breakdown } = scoreMatch(request, mentor)
 * // total 0.83, breakdown { needCoverage: 0.875, proximity: 1, availability: 1, load: 0.67, rating: 0.75 }
 */
export function scoreMatch(request: RequestProfile, mentor: MentorProfile): MatchScore {
  const context = new MatchContext(request)
  context.measure(context.view(mentor), context.scratch)
  return context.score(context.scratch)
}

// ————— internals shared by instant and cohort matching —————

/** Indices of the components in a scratch vector. */
export const NEED = 0
export const PROXIMITY = 1
export const AVAILABILITY = 2
export const LOAD = 3
export const RATING = 4

const WEEK = 7 * 1440
const ONLINE = 1
const OFFLINE = 2

/** `35.73.01` → 3573, `35` → -1 (no city); -1 when malformed. Allocation-free. */
function cityNumber(code: string): number {
  if (code.length < 5 || code.charCodeAt(2) !== 46) return -1
  const p = provinceNumber(code)
  const a = code.charCodeAt(3) - 48
  const b = code.charCodeAt(4) - 48
  return p < 0 || a < 0 || a > 9 || b < 0 || b > 9 ? -1 : p * 100 + a * 10 + b
}

function provinceNumber(code: string): number {
  const a = code.charCodeAt(0) - 48
  const b = code.charCodeAt(1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/**
 * Weekly slots as sorted, merged [start, end) minute ranges of the UTC week, written into `out`;
 * returns the number of ranges. Malformed slots are skipped (they are refused at the edge).
 */
function weeklyRanges(
  slots: MentorProfile['availability'],
  offsetMinutes: number,
  out: { ranges: Int32Array },
): number {
  let buffer = out.ranges
  if (buffer.length < slots.length * 4) buffer = out.ranges = new Int32Array(slots.length * 4)
  let n = 0
  for (const slot of slots) {
    const from = clockMinutes(slot.from)
    const to = clockMinutes(slot.to)
    if (from < 0 || to <= from || !(slot.day >= 0 && slot.day <= 6) || !Number.isInteger(slot.day)) continue
    let start = slot.day * 1440 + from - offsetMinutes
    let end = slot.day * 1440 + to - offsetMinutes
    if (start < 0) {
      start += WEEK
      end += WEEK
    }
    if (end > WEEK) {
      buffer[n++] = start
      buffer[n++] = WEEK
      buffer[n++] = 0
      buffer[n++] = end - WEEK
    } else {
      buffer[n++] = start
      buffer[n++] = end
    }
  }
  // Insertion sort by start: a handful of ranges.
  for (let i = 2; i < n; i += 2) {
    const s = buffer[i] as number
    const e = buffer[i + 1] as number
    let j = i - 2
    while (j >= 0 && (buffer[j] as number) > s) {
      buffer[j + 2] = buffer[j] as number
      buffer[j + 3] = buffer[j + 1] as number
      j -= 2
    }
    buffer[j + 2] = s
    buffer[j + 3] = e
  }
  let m = 0
  for (let i = 0; i < n; i += 2) {
    const s = buffer[i] as number
    const e = buffer[i + 1] as number
    if (m > 0 && s <= (buffer[m - 1] as number)) {
      if (e > (buffer[m - 1] as number)) buffer[m - 1] = e
    } else {
      buffer[m++] = s
      buffer[m++] = e
    }
  }
  return m
}

function rangesMinutes(ranges: Int32Array, length: number): number {
  let total = 0
  for (let i = 0; i < length; i += 2) total += (ranges[i + 1] as number) - (ranges[i] as number)
  return total
}

/**
 * A mentor flattened into numbers for fast scoring. In instant matching one view is refilled for
 * every candidate; in cohort matching each mentor keeps its own.
 */
export class MentorView {
  mentor!: MentorProfile
  seatsFree = 0
  usable = false
  modes = 0
  regionCount = 0
  cities = new Int32Array(4)
  provinces = new Int32Array(4)
  skillCount = 0
  skillTopics = new Int32Array(8)
  skillLevels = new Uint8Array(8)
  languageCount = 0
  languages = new Int32Array(4)
  ranges = new Int32Array(16)
  rangeLength = 0
  load = 0
  rating = 0
}

/**
 * The request side, prepared once: its needs and languages as dense ids, its region as numbers,
 * its availability in UTC. `topicIds`/`languageIds` are shared by every mentor view it scores;
 * a cohort passes dictionaries covering all its requests.
 */
export class MatchContext {
  readonly request: RequestProfile
  readonly needCount: number
  /** topic id → index among this request's needs, or -1. */
  readonly needSlot: Int32Array
  readonly languageMember: Uint8Array
  readonly city: number
  readonly province: number
  readonly mode: number
  readonly excluded: ReadonlySet<string> | undefined
  readonly ranges: Int32Array
  readonly rangeLength: number
  readonly wantedOverlap: number
  readonly scratch = new Float64Array(5)
  private readonly best: Uint8Array

  constructor(
    request: RequestProfile,
    readonly topicIds: Map<string, number> = new Map(),
    readonly languageIds: Map<string, number> = new Map(),
  ) {
    this.request = request
    const needs = [...new Set(request.needs)]
    for (const topic of needs) if (!topicIds.has(topic)) topicIds.set(topic, topicIds.size)
    for (const language of request.languages)
      if (!languageIds.has(language)) languageIds.set(language, languageIds.size)
    this.needCount = needs.length
    this.needSlot = new Int32Array(topicIds.size).fill(-1)
    needs.forEach((topic, index) => {
      this.needSlot[topicIds.get(topic) as number] = index
    })
    this.best = new Uint8Array(Math.max(1, needs.length))
    this.languageMember = new Uint8Array(languageIds.size)
    for (const language of request.languages) this.languageMember[languageIds.get(language) as number] = 1
    this.city = cityNumber(request.region)
    this.province = provinceNumber(request.region)
    this.mode = request.mode === 'online' ? ONLINE : request.mode === 'offline' ? OFFLINE : ONLINE | OFFLINE
    this.excluded = request.excludedMentorIds.length > 0 ? new Set(request.excludedMentorIds) : undefined
    const holder = { ranges: new Int32Array(16) }
    const offset = zoneOffsetMinutes(request.zone ?? zoneOfRegion(request.region))
    this.rangeLength = weeklyRanges(request.availability, offset, holder)
    this.ranges = holder.ranges
    this.wantedOverlap = Math.min(rangesMinutes(this.ranges, this.rangeLength), SUFFICIENT_OVERLAP_MINUTES)
  }

  /** Fills `view` (a fresh one by default) from `mentor`, against this context's dictionaries. */
  view(mentor: MentorProfile, view: MentorView = new MentorView()): MentorView {
    view.mentor = mentor
    view.seatsFree = mentor.capacity - mentor.active
    view.usable = mentor.status === 'active' && view.seatsFree > 0
    view.modes = 0
    for (const mode of mentor.modes)
      view.modes |= mode === 'online' ? ONLINE : mode === 'offline' ? OFFLINE : 0

    const regions = mentor.regions
    if (view.cities.length < regions.length) {
      view.cities = new Int32Array(regions.length)
      view.provinces = new Int32Array(regions.length)
    }
    for (let i = 0; i < regions.length; i++) {
      const code = regions[i] as string
      view.cities[i] = cityNumber(code)
      view.provinces[i] = provinceNumber(code)
    }
    view.regionCount = regions.length

    const skills = mentor.skills
    if (view.skillTopics.length < skills.length) {
      view.skillTopics = new Int32Array(skills.length)
      view.skillLevels = new Uint8Array(skills.length)
    }
    let skillCount = 0
    for (const skill of skills) {
      const id = this.topicIds.get(skill.topic)
      if (id === undefined || !(skill.level >= 1 && skill.level <= 3)) continue
      view.skillTopics[skillCount] = id
      view.skillLevels[skillCount++] = skill.level
    }
    view.skillCount = skillCount

    if (view.languages.length < mentor.languages.length)
      view.languages = new Int32Array(mentor.languages.length)
    let languageCount = 0
    for (const language of mentor.languages) {
      const id = this.languageIds.get(language)
      if (id !== undefined) view.languages[languageCount++] = id
    }
    view.languageCount = languageCount

    const home = regions[0] ?? ''
    view.rangeLength = weeklyRanges(
      mentor.availability,
      zoneOffsetMinutes(mentor.zone ?? zoneOfRegion(home)),
      view,
    )
    view.load = loadCredit(mentor.active, mentor.capacity)
    view.rating = ratingCredit(mentor.rating)
    return view
  }

  /** Every hard filter except need coverage (which `measure` computes). */
  passesFilters(view: MentorView): boolean {
    if (!view.usable) return false
    if (this.excluded?.has(view.mentor.id)) return false
    let sharesLanguage = false
    for (let i = 0; i < view.languageCount; i++) {
      const id = view.languages[i] as number
      if (id < this.languageMember.length && this.languageMember[id] === 1) {
        sharesLanguage = true
        break
      }
    }
    if (!sharesLanguage) return false
    if (this.mode & view.modes & ONLINE) return true
    return (this.mode & view.modes & OFFLINE) !== 0 && this.sameCity(view)
  }

  private sameCity(view: MentorView): boolean {
    if (this.city < 0) return false
    for (let i = 0; i < view.regionCount; i++) if (view.cities[i] === this.city) return true
    return false
  }

  /** Writes the five components into `out`; returns `out[NEED] > 0` for convenience. */
  measure(view: MentorView, out: Float64Array): boolean {
    const best = this.best
    best.fill(0)
    const needSlot = this.needSlot
    for (let i = 0; i < view.skillCount; i++) {
      const topic = view.skillTopics[i] as number
      const slot = topic < needSlot.length ? (needSlot[topic] as number) : -1
      if (slot >= 0 && (view.skillLevels[i] as number) > (best[slot] as number))
        best[slot] = view.skillLevels[i] as number
    }
    let coverage = 0
    for (let i = 0; i < this.needCount; i++) coverage += SKILL_LEVEL_CREDIT[best[i] as number] as number
    out[NEED] = this.needCount > 0 ? coverage / this.needCount : 0

    let proximity: number = PROXIMITY_CREDIT.elsewhere
    for (let i = 0; i < view.regionCount; i++) {
      if (this.city >= 0 && view.cities[i] === this.city) {
        proximity = PROXIMITY_CREDIT.sameCity
        break
      }
      if (view.provinces[i] === this.province) proximity = PROXIMITY_CREDIT.sameProvince
    }
    out[PROXIMITY] = proximity

    if (this.rangeLength === 0) out[AVAILABILITY] = 1
    else {
      let overlap = 0
      const a = this.ranges
      const b = view.ranges
      let i = 0
      let j = 0
      while (i < this.rangeLength && j < view.rangeLength) {
        const start = Math.max(a[i] as number, b[j] as number)
        const end = Math.min(a[i + 1] as number, b[j + 1] as number)
        if (end > start) overlap += end - start
        if ((a[i + 1] as number) < (b[j + 1] as number)) i += 2
        else j += 2
      }
      out[AVAILABILITY] = Math.min(1, overlap / this.wantedOverlap)
    }
    out[LOAD] = view.load
    out[RATING] = view.rating
    return (out[NEED] as number) > 0
  }

  /** Σ weight × component of everything but load (which a cohort prices per seat). */
  static pairPart(c: Float64Array): number {
    return (
      MATCH_WEIGHTS.needCoverage * (c[NEED] as number) +
      MATCH_WEIGHTS.proximity * (c[PROXIMITY] as number) +
      MATCH_WEIGHTS.availability * (c[AVAILABILITY] as number) +
      MATCH_WEIGHTS.rating * (c[RATING] as number)
    )
  }

  static total(c: Float64Array): number {
    return MatchContext.pairPart(c) + MATCH_WEIGHTS.load * (c[LOAD] as number)
  }

  score(c: Float64Array): MatchScore {
    return {
      total: MatchContext.total(c),
      breakdown: {
        needCoverage: c[NEED] as number,
        proximity: c[PROXIMITY] as number,
        availability: c[AVAILABILITY] as number,
        load: c[LOAD] as number,
        rating: c[RATING] as number,
      },
    }
  }
}
