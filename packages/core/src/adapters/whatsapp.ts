import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging'
import {
  type ChannelSender,
  type Notification,
  type SendOutcome,
  templates,
  whatsappParameters,
} from '../notification/port.ts'

export interface WhatsAppSenderOptions {
  client?: SocialMessagingClient
  /** Where the service is called (see `notification/settings.ts`); the SDK's default otherwise. */
  region?: string | undefined
  /** The WhatsApp phone number messages come from: `phone-number-id-0123…` (End User Messaging Social). */
  originationPhoneNumberId: string
  /** Meta's Cloud API version the message object follows. */
  metaApiVersion?: string | undefined
}

/** The Meta Cloud API version our message objects follow (End User Messaging Social passes it on). */
export const META_API_VERSION = 'v20.0'

/**
 * The WhatsApp channel through AWS End User Messaging Social (docs/contract/channels.md#whatsapp).
 * Outside a conversation the person opened, WhatsApp takes only approved templates: each message is
 * the template the catalog names (`templates.ts`), in the person's language (`id` or `en`), with the
 * catalog's parameters in order. Whether the message reached the phone arrives later (Meta's status
 * events); here a refusal of the request itself is thrown, so the next channel is tried.
 */
export class WhatsAppSender implements ChannelSender {
  readonly channel = 'whatsapp' as const
  private readonly client: SocialMessagingClient

  constructor(private readonly options: WhatsAppSenderOptions) {
    this.client = options.client ?? new SocialMessagingClient({ region: options.region })
  }

  async send(notification: Notification, phone: string): Promise<SendOutcome> {
    const message = whatsappMessage(notification, phone)
    await this.client.send(
      new SendWhatsAppMessageCommand({
        originationPhoneNumberId: this.options.originationPhoneNumberId,
        metaApiVersion: this.options.metaApiVersion ?? META_API_VERSION,
        message: new TextEncoder().encode(JSON.stringify(message)),
      }),
    )
    return 'sent'
  }
}

/**
 * The WhatsApp message object (Meta Cloud API) of a notification: its approved template, language and
 * body parameters. `to` is the number without `+`, as Meta writes it.
 */
export function whatsappMessage(notification: Notification, phone: string) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: phone.replace(/^\+/, ''),
    type: 'template',
    template: {
      name: templates[notification.kind].whatsapp,
      language: { code: notification.to.locale },
      components: [
        {
          type: 'body',
          parameters: whatsappParameters(notification).map((text) => ({ type: 'text', text })),
        },
      ],
    },
  }
}
