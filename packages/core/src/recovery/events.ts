import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id } from '../event/shared.ts'

/** Link recovery (docs/contract/channels.md#lost-link): the challenge id only, never a phone or a code. */
export const RecoveryEvents = {
  /** Someone asked for a new private link; the sender looks for what matches and sends the code. */
  LinkRecoveryRequested: defineEvent('LinkRecoveryRequested', 1, v.object({ recoveryId: Id })),
}
