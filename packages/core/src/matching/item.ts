/** A cohort plan as stored and as staff see it: schemas only, for the data layer's entity. */
import * as z from 'zod/mini'

const Assignment = z.object({
  requestId: z.string(),
  mentorId: z.string(),
  mentorSub: z.string(),
  score: z.number(),
  breakdown: z.record(z.string(), z.number()),
})
export type PlanAssignment = z.infer<typeof Assignment>

/** A plan as staff see it. */
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

/**
 * A plan as stored (`entity: 'cohortPlan'`), until `expiresAt` (epoch seconds; TTL removes it): the
 * plan without its assignments, which are in `chunks` chunk items of at most `PLAN_CHUNK_SIZE`.
 */
export const PlanItem = z.extend(z.omit(CohortPlanInfo, { assignments: true }), {
  entity: z.literal('cohortPlan'),
  version: z.literal(2),
  assignmentCount: z.number(),
  /** Assignments per chunk item (the last holds the rest). */
  chunkSize: z.number(),
  chunks: z.number(),
  expiresAt: z.number(),
})
export type PlanItem = z.infer<typeof PlanItem>

/** One chunk of a plan's assignments (`entity: 'cohortPlanChunk'`), kept as long as its plan. */
export const PlanChunkItem = z.object({
  entity: z.literal('cohortPlanChunk'),
  version: z.literal(1),
  planId: z.string(),
  programId: z.string(),
  chunk: z.number(),
  assignments: z.array(Assignment),
  expiresAt: z.number(),
})
export type PlanChunkItem = z.infer<typeof PlanChunkItem>
