import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso, RegionCode } from '../event/shared.ts'

const Program = {
  programId: Id,
  /** `*` for a national program. */
  region: v.union([RegionCode, v.literal('*')]),
  status: v.picklist(['draft', 'open', 'closed']),
  /** Seat quota per segment after the change. */
  quotas: v.record(v.string(), v.number()),
}

/** Events of a program: staff opened, edited or closed it. */
export const ProgramEvents = {
  Created: defineEvent('ProgramCreated', 1, v.object({ ...Program, createdAt: Iso })),
  /**
   * Staff edited the program. `raisedSegments` lists segments whose quota went up: their waitlists can
   * move, so a consumer promotes waiting requests into the new seats.
   */
  Updated: defineEvent(
    'ProgramUpdated',
    1,
    v.object({
      ...Program,
      previousStatus: v.picklist(['draft', 'open', 'closed']),
      raisedSegments: v.array(v.string()),
      updatedAt: Iso,
    }),
  ),
}
