/**
 * Where the WhatsApp and SMS channels run, shared by `infra/messaging.ts` and the functions that
 * build the senders, so the two cannot disagree (test/infra.test.ts holds them to it).
 */

/** End User Messaging Social and SMS are called here: Social is not offered in Jakarta (ap-southeast-3). */
export const MESSAGING_REGION = 'ap-southeast-1'

/** The secrets' placeholders until set: that channel is off. */
export const WHATSAPP_NUMBER_NOT_SET = 'phone-number-id-not-set'
export const SMS_IDENTITY_NOT_SET = `arn:aws:sms-voice:${MESSAGING_REGION}:000000000000:phone-number/not-set`

/** Whether a linked identity was set (not its placeholder). */
export const isSet = (value: string | undefined): value is string =>
  value !== undefined && value !== '' && value !== WHATSAPP_NUMBER_NOT_SET && value !== SMS_IDENTITY_NOT_SET
