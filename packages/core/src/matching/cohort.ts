/**
 * Cohort matching: every open request of a program against the program's mentors at once, as an
 * optimal assignment (see `assignment.ts`), shown to staff as a plan before it is committed.
 *
 * Objective, in this order:
 *   1. help as many owners as possible (the most requests matched), then
 *   2. the highest total score.
 * A program exists to reach owners, so a plan that matches one more request wins over one whose
 * matches score a little higher; among plans that match equally many, the best total wins.
 *
 * Scores are the instant-matching scores with one refinement: load is priced per seat. The k-th new
 * mentee of a mentor with `active` of `capacity` seats taken gets load `1 − (active + k) / capacity`,
 * exactly what instant matching would give if the requests arrived one after another. That makes
 * the plan spread requests across mentors instead of filling the best ones first. Scores are
 * integers in units of 1/10 000 inside the solver, so the optimum is exact, not subject to rounding.
 */
import { type AssignmentOptions, maxScoreAssignment } from './assignment.ts'
import type { MentorProfile, RequestProfile } from './profile.ts'
import { loadCredit, MATCH_WEIGHTS, type MatchBreakdown, MatchContext, type MentorView } from './score.ts'

/** Cohort scores are whole multiples of 1 / SCORE_SCALE. */
export const SCORE_SCALE = 10_000

export interface CohortAssignment {
  requestId: string
  mentorId: string
  /** The pair's score with the load of the seat it takes, rounded to 1 / SCORE_SCALE. */
  score: number
  breakdown: MatchBreakdown
}

export interface CohortPlan {
  /** By request id. */
  assignments: CohortAssignment[]
  /** Requests no mentor could take, by id. */
  unassigned: string[]
  totalScore: number
}

export interface CohortOptions {
  /**
   * Candidates kept per request before the solver proves the pruning harmless (default 24). Only
   * speed depends on it; the plan is optimal for any value.
   */
  candidatesPerRequest?: AssignmentOptions['candidatesPerRow']
}

/**
 * The optimal plan for `requests` under the mentors' free seats (`capacity − active`): each request
 * gets at most one mentor, the most requests are matched, then the total score is the highest.
 * Ties are settled deterministically (inputs are ordered by id). Does not change anything.
 *
 * @example
 * const plan = planCohort(openRequests, programMentors)
 * // { assignments: [{ requestId, mentorId, score: 0.8123, breakdown }], unassigned: ['r-17'], totalScore: 412.7731 }
 */
export function planCohort(
  requests: readonly RequestProfile[],
  mentors: readonly MentorProfile[],
  options: CohortOptions = {},
): CohortPlan {
  const rows = [...requests].sort(byId)
  const columns = mentors.filter((m) => m.status === 'active' && m.capacity - m.active > 0).sort(byId)
  const topicIds = new Map<string, number>()
  const languageIds = new Map<string, number>()
  const contexts = rows.map((request) => new MatchContext(request, topicIds, languageIds))
  const first = contexts[0]
  if (!first || columns.length === 0)
    return { assignments: [], unassigned: rows.map((r) => r.id), totalScore: 0 }
  // Views are filled once every request has added its topics and languages to the dictionaries.
  const views = columns.map((mentor) => first.view(mentor))

  const rowStart = new Int32Array(rows.length + 1)
  let column = new Int32Array(rows.length * Math.min(columns.length, 64))
  let value = new Int32Array(column.length)
  let pairs = 0
  const components = first.scratch
  contexts.forEach((context, r) => {
    for (let c = 0; c < views.length; c++) {
      const view = views[c] as MentorView
      if (!context.passesFilters(view) || !context.measure(view, components)) continue
      if (pairs === column.length) {
        column = grow(column)
        value = grow(value)
      }
      column[pairs] = c
      value[pairs++] = pairValue(components)
    }
    rowStart[r + 1] = pairs
  })

  const seats = columns.map((mentor) => {
    const free = Math.min(mentor.capacity - mentor.active, rows.length)
    return Array.from({ length: free }, (_, k) => seatValue(mentor.active + k, mentor.capacity))
  })
  const { columnOf } = maxScoreAssignment(
    { rows: rows.length, rowStart, column, value, seats },
    { candidatesPerRow: options.candidatesPerRequest },
  )

  // Give each mentor's seats to their mentees best pair first, so the breakdown shows the load taken.
  const menteesOf = new Map<number, { row: number; pair: number }[]>()
  columnOf.forEach((c, row) => {
    if (c < 0) return
    let pair = 0
    for (let p = rowStart[row] as number; p < (rowStart[row + 1] as number); p++)
      if (column[p] === c) pair = value[p] as number
    const list = menteesOf.get(c) ?? []
    list.push({ row, pair })
    menteesOf.set(c, list)
  })
  const assignments: CohortAssignment[] = []
  let total = 0
  for (const [c, mentees] of menteesOf) {
    const mentor = columns[c] as MentorProfile
    const view = views[c] as MentorView
    mentees.sort((a, b) => b.pair - a.pair || a.row - b.row)
    mentees.forEach(({ row, pair }, k) => {
      const context = contexts[row] as MatchContext
      context.measure(view, components)
      const seat = seatValue(mentor.active + k, mentor.capacity)
      total += pair + seat
      const { breakdown } = context.score(components)
      breakdown.load = loadCredit(mentor.active + k, mentor.capacity)
      assignments.push({
        requestId: (rows[row] as RequestProfile).id,
        mentorId: mentor.id,
        score: (pair + seat) / SCORE_SCALE,
        breakdown,
      })
    })
  }
  assignments.sort((a, b) => (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0))
  const unassigned = rows.filter((_, r) => columnOf[r] === -1).map((r) => r.id)
  return { assignments, unassigned, totalScore: total / SCORE_SCALE }
}

/** The pair's score without load, in solver units. */
export function pairValue(components: Float64Array): number {
  return Math.round(MatchContext.pairPart(components) * SCORE_SCALE)
}

/** The load part of taking a mentor's next seat with `active` of `capacity` taken, in solver units. */
export function seatValue(active: number, capacity: number): number {
  return Math.round(MATCH_WEIGHTS.load * loadCredit(active, capacity) * SCORE_SCALE)
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(16, array.length * 2))
  bigger.set(array)
  return bigger
}
