import { MentorEvents, unwindSuspension } from '@pendamping/core/mentor'
import { PrivacyEvents } from '@pendamping/core/privacy'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * `AccountSuspension`: a suspended mentor's account is disabled at the provider and signed out
 * everywhere (Cognito `AdminDisableUser` + `AdminUserGlobalSignOut`; locally the provider's account
 * store), so no refresh renews a page session; a reinstated one is enabled again. The API already
 * refuses the account's tokens from the suspension's own transaction on.
 */
export const accounts = consumer('AccountSuspension', async (event, { accounts: directory }) => {
  // A mentor who erased their data: their account is disabled for good (UU PDP; data-protection.md).
  const erased = isEvent(event, PrivacyEvents.PersonErased) ? event.detail.sub : undefined
  if (!erased && !isEvent(event, MentorEvents.Suspended) && !isEvent(event, MentorEvents.Reinstated)) return
  if (!directory) throw new Error('No account directory in this runtime')
  if (erased) await directory.disable(erased)
  else if (isEvent(event, MentorEvents.Suspended)) await directory.disable(event.detail.sub)
  else if (isEvent(event, MentorEvents.Reinstated)) await directory.enable(event.detail.sub)
})

/**
 * `SuspensionWork`: the suspended mentor's open offers are withdrawn and matched again, their active
 * engagements go to staff for a decision, and their future sessions are cancelled (the owners are
 * told by `Notifications` on `EngagementNeedsDecision`).
 */
export const work = consumer('SuspensionWork', async (event, { store, clock }) => {
  if (!isEvent(event, MentorEvents.Suspended)) return
  const outcome = await unwindSuspension(store, clock, event.detail.mentorId)
  logger.info('suspension unwound', { mentorId: event.detail.mentorId, ...outcome })
})
