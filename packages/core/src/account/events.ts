import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, RegionCode } from '../event/shared.ts'

/** Events of accounts the product manages itself (mentors' come with the mentor's own events). */
export const AccountEvents = {
  /** A staff account was made for `region` by an admin or staff of a parent region; the invitation follows. */
  StaffInvited: defineEvent('StaffInvited', 1, v.object({ sub: Id, region: RegionCode, invitedBy: Id })),
}
