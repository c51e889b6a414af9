/** A cohort plan as stored and as staff see it: schemas only, for the data layer's entity. */
import * as z from 'zod/mini'

const Assignment = z.object({
  requestId: z.string(),
  mentorId: z.string(),
  mentorSub: z.string(),
  score: z.number(),
  breakdown: z.record(z.string(), z.number()),
})

/** A plan as staff see it and as it is stored. */
export const CohortPlanInfo = z.object({
  planId: z.string(),
  programId: z.string(),
  status: z.enum(['planned', 'committed']),
  createdAt: z.string(),
  requestsConsidered: z.number(),
  mentorsConsidered: z.number(),
  totalScore: z.number(),
  assignments: z.array(Assignment),
  unassigned: z.array(z.string()),
})
export type CohortPlanInfo = z.infer<typeof CohortPlanInfo>

/** A plan as stored (`entity: 'cohortPlan'`), until `expiresAt` (epoch seconds; TTL removes it). */
export const PlanItem = z.extend(CohortPlanInfo, {
  entity: z.literal('cohortPlan'),
  version: z.literal(1),
  expiresAt: z.number(),
})
export type PlanItem = z.infer<typeof PlanItem>
