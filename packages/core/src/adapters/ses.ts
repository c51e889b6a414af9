import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { type Notification, type Notifier, renderMessage } from '../notification/index.ts'

export interface SesNotifierOptions {
  client?: SESv2Client
  /** A verified SES identity, e.g. `Pendamping <noreply@pendamping.id>`. */
  from: string
  configurationSet?: string | undefined
  /** Called for recipients SES cannot reach (no email address): WhatsApp/SMS adapters plug in here. */
  onUnreachable?: (notification: Notification) => void
}

/**
 * The AWS notifier: email through SES v2. The notification id goes into an email tag so a bounce or
 * complaint can be traced to the event that caused it without storing the address anywhere else.
 */
export class SesNotifier implements Notifier {
  private readonly client: SESv2Client

  constructor(private readonly options: SesNotifierOptions) {
    this.client = options.client ?? new SESv2Client({})
  }

  async send(notification: Notification): Promise<void> {
    const email = notification.to.email
    if (!email) {
      this.options.onUnreachable?.(notification)
      return
    }
    const message = renderMessage(notification)
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.options.from,
        Destination: { ToAddresses: [email] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
          },
        },
        ConfigurationSetName: this.options.configurationSet,
        EmailTags: [
          { Name: 'kind', Value: notification.kind },
          { Name: 'notification', Value: notification.id.replace(/[^\w-]/g, '_') },
        ],
      }),
    )
  }
}
