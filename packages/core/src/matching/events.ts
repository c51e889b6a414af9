import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id } from '../event/shared.ts'

/** Events of cohort matching. */
export const CohortEvents = {
  /** Staff committed a cohort plan: its offers are made by the `CohortOffers` consumer. */
  Committed: defineEvent(
    'CohortPlanCommitted',
    1,
    v.object({ programId: Id, planId: Id, assignments: v.pipe(v.number(), v.integer()) }),
  ),
}
