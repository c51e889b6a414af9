import { PlanItem } from '../../../matching/item.ts'
import { entity, equals } from '../entity.ts'
import { keys } from '../keys.ts'

const plan = entity('cohortPlan', PlanItem, {
  key: (of: { programId: string; planId: string }) => keys.cohortPlan(of.programId, of.planId),
})

/** A cohort plan staff looked at (`COHORT#<planId>` beside its program), kept a day for its commit. */
export const CohortPlan = {
  ...plan,
  /** Not committed yet: a plan is committed once. */
  uncommitted: equals({ status: 'planned' }),
}
