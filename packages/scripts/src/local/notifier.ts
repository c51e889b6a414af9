import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  type Notification,
  type Notifier,
  type RenderedMessage,
  renderMessage,
} from '@pendamping/core/notification/index'

/** A message as the local notifier recorded it. */
export interface RecordedMessage extends RenderedMessage {
  id: string
  kind: Notification['kind']
  to: string
  channel: 'email' | 'whatsapp'
  sentAt: string
}

/**
 * The local notifier: instead of sending, it renders each message and records it, in memory for
 * tests and as JSON lines in a file that `npm run notifications` lists. Sending the same notification
 * id twice records it once, as a real provider's deduplication would.
 */
export class LocalNotifier implements Notifier {
  readonly sent: RecordedMessage[] = []
  private readonly ids = new Set<string>()

  constructor(private readonly file?: string) {}

  async send(notification: Notification): Promise<void> {
    if (this.ids.has(notification.id)) return
    this.ids.add(notification.id)
    const { to } = notification
    const record: RecordedMessage = {
      id: notification.id,
      kind: notification.kind,
      channel: to.email ? 'email' : 'whatsapp',
      to: to.email ?? to.phone ?? to.ref,
      sentAt: new Date().toISOString(),
      ...renderMessage(notification),
    }
    this.sent.push(record)
    if (this.file) {
      await mkdir(dirname(this.file), { recursive: true })
      await appendFile(this.file, `${JSON.stringify(record)}\n`)
    }
  }
}

/** Reads what a local notifier recorded in `file`, oldest first. */
export async function readRecordedMessages(file: string): Promise<RecordedMessage[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecordedMessage)
}
