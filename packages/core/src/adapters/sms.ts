import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2'
import {
  type ChannelSender,
  type Notification,
  renderMessage,
  type SendOutcome,
} from '../notification/port.ts'

export interface SmsSenderOptions {
  client?: PinpointSMSVoiceV2Client
  /** Where the service is called (see `notification/settings.ts`); the SDK's default otherwise. */
  region?: string | undefined
  /** The phone number, sender id or pool messages come from (its ARN, so IAM can name it). */
  originationIdentity: string
  configurationSet?: string | undefined
}

/**
 * Why End User Messaging SMS refuses a destination for good: a number it cannot read, one that opted
 * out. Anything else (throttling, quotas, an identity not set up) is ours to fix, and is thrown.
 */
const PERMANENT = new Set(['CANNOT_PARSE', 'DESTINATION_PHONE_NUMBER_OPTED_OUT'])

/**
 * The SMS channel through AWS End User Messaging SMS (docs/contract/channels.md#sms): the message body
 * in the person's language as a transactional text from the configured origination identity, tagged
 * with its kind and notification id (`Context`, which delivery events carry back).
 */
export class SmsSender implements ChannelSender {
  readonly channel = 'sms' as const
  private readonly client: PinpointSMSVoiceV2Client

  constructor(private readonly options: SmsSenderOptions) {
    this.client = options.client ?? new PinpointSMSVoiceV2Client({ region: options.region })
  }

  async send(notification: Notification, phone: string): Promise<SendOutcome> {
    try {
      await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: phone,
          OriginationIdentity: this.options.originationIdentity,
          MessageBody: `Pendamping: ${renderMessage(notification).body}`,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: this.options.configurationSet,
          Context: { kind: notification.kind, notification: notification.id },
        }),
      )
      return 'sent'
    } catch (error) {
      const reason = (error as { Reason?: string }).Reason
      if (reason !== undefined && PERMANENT.has(reason)) return 'refused'
      throw error
    }
  }
}
