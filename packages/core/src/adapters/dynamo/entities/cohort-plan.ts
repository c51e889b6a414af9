import { PlanChunkItem, PlanItem } from '../../../matching/item.ts'
import { entity, equals } from '../entity.ts'
import { keys } from '../keys.ts'

const plan = entity('cohortPlan', PlanItem, {
  key: (of: { planId: string }) => keys.cohortPlan(of.planId),
})

/** A cohort plan staff looked at (`COHORTPLAN#<planId>` / `PLAN`), kept a day for its commit. */
export const CohortPlan = {
  ...plan,
  /** Not committed yet: a plan is committed once. */
  uncommitted: equals({ status: 'planned' }),
}

/** One chunk of a plan's assignments (`COHORTPLAN#<planId>` / `CHUNK#<nnnn>`): what one invocation offers. */
export const CohortPlanChunk = entity('cohortPlanChunk', PlanChunkItem, {
  key: (of: { planId: string; chunk: number }) => keys.cohortPlanChunk(of.planId, of.chunk),
})
