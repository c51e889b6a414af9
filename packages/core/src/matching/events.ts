import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id } from '../event/shared.ts'

/** Events of cohort matching. */
export const CohortEvents = {
  /** Staff committed a cohort plan; its offers are made chunk by chunk (`CohortChunkCommitted`). */
  Committed: defineEvent(
    'CohortPlanCommitted',
    1,
    v.object({ programId: Id, planId: Id, assignments: v.pipe(v.number(), v.integer()) }),
  ),
  /**
   * One chunk of a committed plan is ready to be offered: written with the commit, one per chunk, so
   * the `CohortOffers` consumer makes at most one chunk's offers per invocation.
   */
  ChunkCommitted: defineEvent(
    'CohortChunkCommitted',
    1,
    v.object({
      programId: Id,
      planId: Id,
      chunk: v.pipe(v.number(), v.integer(), v.minValue(0)),
      assignments: v.pipe(v.number(), v.integer()),
    }),
  ),
}
