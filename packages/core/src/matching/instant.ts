/**
 * Instant matching: the best mentors for one new request among its candidates, in one pass.
 * The request is prepared once; each candidate is flattened into one reused view, so the pass
 * allocates nothing per mentor, and only the winners get a breakdown object.
 */
import type { MentorProfile, RequestProfile } from './profile.ts'
import { MatchContext, type MatchScore, MentorView } from './score.ts'

export interface RankedMentor {
  mentorId: string
  score: MatchScore
}

/**
 * The eligible candidates with the highest scores, best first, at most `limit` of them. Ties go to
 * the smaller mentor id, so the same input always gives the same answer. O(candidates × log limit).
 *
 * @example
 * const [first, second] = rankMentors(request, candidates, 2) // offer `first`; `second` if they decline
 */
export function rankMentors(
  request: RequestProfile,
  candidates: readonly MentorProfile[],
  limit = 5,
): RankedMentor[] {
  limit = Math.floor(limit)
  if (!(limit >= 1)) return []
  const context = new MatchContext(request)
  const view = new MentorView()
  const components = context.scratch
  // The best so far, kept sorted best first: candidate index and total.
  const indices = new Int32Array(limit)
  const totals = new Float64Array(limit)
  let size = 0

  for (let i = 0; i < candidates.length; i++) {
    const mentor = candidates[i] as MentorProfile
    // The cheapest refusals first, before flattening the mentor.
    if (mentor.status !== 'active' || mentor.active >= mentor.capacity) continue
    context.view(mentor, view)
    if (!context.passesFilters(view) || !context.measure(view, components)) continue
    const total = MatchContext.total(components)
    if (size === limit && !better(total, mentor.id, totals[size - 1] as number, indices[size - 1] as number))
      continue
    let at = size < limit ? size++ : size - 1
    while (at > 0 && better(total, mentor.id, totals[at - 1] as number, indices[at - 1] as number)) {
      totals[at] = totals[at - 1] as number
      indices[at] = indices[at - 1] as number
      at--
    }
    totals[at] = total
    indices[at] = i
  }

  function better(total: number, id: string, otherTotal: number, otherIndex: number): boolean {
    if (total !== otherTotal) return total > otherTotal
    return id < (candidates[otherIndex] as MentorProfile).id
  }

  const ranked: RankedMentor[] = []
  for (let k = 0; k < size; k++) {
    const mentor = candidates[indices[k] as number] as MentorProfile
    context.measure(context.view(mentor, view), components)
    ranked.push({ mentorId: mentor.id, score: context.score(components) })
  }
  return ranked
}

/** The single best eligible mentor for `request`, or `undefined` when none fits. */
export function bestMentor(
  request: RequestProfile,
  candidates: readonly MentorProfile[],
): RankedMentor | undefined {
  return rankMentors(request, candidates, 1)[0]
}
