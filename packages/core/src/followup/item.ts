/** A timed duty as stored: its schema only, for the data layer's entity. */
import * as v from 'valibot'
import { FollowUpKind } from './events.ts'

/** A timed duty (`entity: 'followUp'`): what comes due about which subject, when, and whether it fired. */
export const FollowUpItem = v.object({
  entity: v.literal('followUp'),
  version: v.literal(1),
  id: v.string(),
  kind: FollowUpKind,
  subjectId: v.string(),
  dueAt: v.string(),
  status: v.picklist(['pending', 'fired']),
})
export type FollowUpItem = v.InferOutput<typeof FollowUpItem>
