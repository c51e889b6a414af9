/**
 * Matching owners' requests with mentors (docs/contract/matching.md): hard filters, an explainable score, instant
 * matching of one request and optimal cohort matching of a program. Pure: the caller loads the
 * profiles (candidates come from the mentor index by region and topic) and stores the outcome.
 */
export { type AssignmentProblem, type AssignmentResult, maxScoreAssignment } from './assignment.ts'
export { findCandidates, makeBestOffer } from './candidates.ts'
export {
  type CohortAssignment,
  type CohortOptions,
  type CohortPlan,
  planCohort,
  SCORE_SCALE,
} from './cohort.ts'
export {
  CohortEvents,
  CohortPlanInfo,
  commitProgramCohort,
  makeCohortOffers,
  planProgramCohort,
} from './cohort-store.ts'
export { bestMentor, type RankedMentor, rankMentors } from './instant.ts'
export {
  clockMinutes,
  isWeeklySlot,
  type MeetingMode,
  type MentorProfile,
  type MentorSkill,
  type MentorStatus,
  type RequestMode,
  type RequestProfile,
  type SkillLevel,
  type WeeklySlot,
} from './profile.ts'
export { rematchForMentor } from './rematch.ts'
export {
  eligible,
  loadCredit,
  MATCH_WEIGHTS,
  type MatchBreakdown,
  type MatchScore,
  PROXIMITY_CREDIT,
  RATING_PRIOR,
  ratingCredit,
  SKILL_LEVEL_CREDIT,
  SUFFICIENT_OVERLAP_MINUTES,
  scoreMatch,
} from './score.ts'
