import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { renderEmail } from '../notification/email.ts'
import type { ChannelSender, Notification, SendOutcome } from '../notification/port.ts'

export interface SesSenderOptions {
  client?: SESv2Client
  /** A verified SES identity, e.g. `Pendamping <noreply@pendamping.id>`. */
  from: string
  configurationSet?: string | undefined
}

/**
 * The e-mail channel: plain text (and the same as HTML, for a preview worded by the system:
 * `notification/email.ts`) through SES v2. The notification id goes into an email tag so a
 * bounce or complaint can be traced to the event that caused it without storing the address anywhere
 * else. SES refusing the address itself (`MessageRejected`: a suppressed or malformed address) is a
 * permanent refusal; anything else is thrown for the retry.
 */
export class SesSender implements ChannelSender {
  readonly channel = 'email' as const
  private readonly client: SESv2Client

  constructor(private readonly options: SesSenderOptions) {
    this.client = options.client ?? new SESv2Client({})
  }

  async send(notification: Notification, email: string): Promise<SendOutcome> {
    const message = renderEmail(notification)
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [email] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                // Its hidden preview says only the subject: nothing a person typed on a lock screen.
                Html: { Data: message.html, Charset: 'UTF-8' },
              },
            },
          },
          ConfigurationSetName: this.options.configurationSet,
          EmailTags: [
            { Name: 'kind', Value: notification.kind },
            { Name: 'notification', Value: notification.id.replace(/[^\w-]/g, '_') },
          ],
        }),
      )
      return 'sent'
    } catch (error) {
      if ((error as { name?: string }).name === 'MessageRejected') return 'refused'
      throw error
    }
  }
}
