import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso, Mode, RegionCode, Topic } from '../event/shared.ts'

const Business = {
  requestId: Id,
  programId: v.nullable(Id),
  segment: v.nullable(v.string()),
  region: RegionCode,
  sector: v.string(),
  sizeClass: v.picklist(['mikro', 'kecil', 'menengah']),
  needs: v.array(Topic),
}

/** Events of the mentoring request. */
export const RequestEvents = {
  /** A request arrived; `status` is `matching` (seat taken or no program) or `waitlisted`. */
  Submitted: defineEvent(
    'RequestSubmitted',
    1,
    v.object({
      ...Business,
      mode: Mode,
      languages: v.array(v.string()),
      status: v.picklist(['matching', 'waitlisted']),
      submittedAt: Iso,
    }),
  ),
  /** A seat freed and this waitlisted request took it: it now needs a mentor. */
  Promoted: defineEvent('RequestPromoted', 1, v.object({ ...Business, promotedAt: Iso })),
  /**
   * Owner or staff cancelled it, or its owner erased it; `reason` `program-closed` when its program
   * closed while it waited for a seat. `freedSeat`: a seat of its segment came free.
   */
  Cancelled: defineEvent(
    'RequestCancelled',
    1,
    v.object({
      ...Business,
      previousStatus: v.string(),
      freedSeat: v.boolean(),
      reason: v.optional(v.picklist(['program-closed'])),
    }),
  ),
  /**
   * No mentor fits (all declined, expired or filtered out) within the program's window. `freedSeat`:
   * it gave its segment's seat back, for the next waiting request.
   */
  Unmatched: defineEvent(
    'RequestUnmatched',
    1,
    v.object({ ...Business, reason: v.string(), freedSeat: v.optional(v.boolean()) }),
  ),
  /** The owner exercised the right to erasure (UU PDP); consumers drop what they hold of it. */
  Deleted: defineEvent('RequestDeleted', 1, v.object({ requestId: Id, programId: v.nullable(Id) })),
}
