/**
 * Notifications (docs/contract/channels.md): the port and its message catalog (`port.ts`,
 * `templates.ts`), delivery by each person's channel with fallback (`deliver.ts`), and sending once
 * per recipient (`once.ts`).
 */

export { addressHash } from './address.ts'
export {
  type AttemptOutcome,
  ChannelNotifier,
  type ChannelNotifierOptions,
  type ContactBook,
  type DeliveryAttempt,
  DeliveryFailedError,
  storedContacts,
} from './deliver.ts'
export { EMAIL_PREVIEW_CHARS, type RenderedEmail, renderEmail } from './email.ts'
export { sendOnce } from './once.ts'
export * from './port.ts'
export { eraseSentMessages, type ForgettingNotifier, recordSends, sentMessagesOf } from './sent.ts'
export { isSet, MESSAGING_REGION, SMS_IDENTITY_NOT_SET, WHATSAPP_NUMBER_NOT_SET } from './settings.ts'
