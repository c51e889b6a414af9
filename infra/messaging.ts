import { MESSAGE_LINK_SECRET } from '../packages/core/src/link/index.ts'
import {
  MESSAGING_REGION,
  SMS_IDENTITY_NOT_SET,
  WHATSAPP_NUMBER_NOT_SET,
} from '../packages/core/src/notification/settings.ts'

/**
 * WhatsApp and SMS (docs/contract/channels.md#on-aws): the sending identities as SST secrets, set once
 * per stage after the accounts are onboarded —
 *
 * - `WhatsAppPhoneNumberId`: the End User Messaging Social phone number id
 *   (`phone-number-id-0123…`) of the WhatsApp Business account whose templates are approved;
 * - `SmsOriginationIdentity`: the ARN of the End User Messaging SMS phone number, sender id or pool.
 *
 * Until a secret is set it holds its placeholder, and that channel is off: messages go by the
 * person's next channel. Both services are called in {@link MESSAGING_REGION} (End User Messaging
 * Social is not offered in Jakarta).
 */
export const whatsappPhoneNumberId = new sst.Secret('WhatsAppPhoneNumberId', WHATSAPP_NUMBER_NOT_SET)
export const smsOriginationIdentity = new sst.Secret('SmsOriginationIdentity', SMS_IDENTITY_NOT_SET)

/**
 * The key of the links to private pages that messages carry (docs/contract/channels.md#links-in-messages):
 * the consumers sign them, the API's pages open them. 32 random bytes, base64url; no placeholder, so
 * a stage does not deploy without it:
 * `npx sst secret set MessageLinkSecret "$(openssl rand -base64 32 | tr +/ -_ | tr -d =)"`.
 * Changing it ends every link already sent (people recover theirs at `/pulihkan-tautan`).
 */
export const messageLinkSecret = new sst.Secret(MESSAGE_LINK_SECRET)

/**
 * What a function that notifies people is linked to: the two sending identities (all it may call,
 * below) and the key that signs the links its messages carry.
 */
export const messagingLinks = [whatsappPhoneNumberId, smsOriginationIdentity, messageLinkSecret]

export const messagingPermissions: sst.aws.FunctionPermissionArgs[] = [
  {
    actions: ['social-messaging:SendWhatsAppMessage'],
    resources: [
      $interpolate`arn:aws:social-messaging:${MESSAGING_REGION}:*:phone-number-id/${whatsappPhoneNumberId.value}`,
    ],
  },
  { actions: ['sms-voice:SendTextMessage'], resources: [smsOriginationIdentity.value] },
]
