import { RecoveryEvents, sendRecoveryCode } from '@pendamping/core/recovery'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * Link recovery's sender (docs/contract/channels.md#lost-link): finds what the typed phone or e-mail
 * holds and sends the one-time code by the person's channel. Whether anything matched is logged as a
 * count only, never the address.
 */
export const handler = consumer('LinkRecovery', async (event, { store, clock, notifier }) => {
  if (!isEvent(event, RecoveryEvents.LinkRecoveryRequested)) return
  const links = await sendRecoveryCode(store, clock, notifier, event.detail.recoveryId)
  logger.info('link recovery', { recoveryId: event.detail.recoveryId, links })
})
