import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  type ContactChannel,
  channelsOf,
  type Notification,
  type Notifier,
  type RenderedMessage,
  renderMessage,
} from '@pendamping/core/notification'

/**
 * Local stand-ins for a provider's permanent refusal (docs/contract/channels.md#locally): WhatsApp
 * refuses numbers starting `+62800` (as if not on WhatsApp), SMS refuses `+628000` (as if unreadable),
 * so `npm start` shows a fallback in `npm run notifications`.
 */
export const LOCALLY_REFUSED: Partial<Record<ContactChannel, RegExp>> = {
  whatsapp: /^\+62800/,
  sms: /^\+628000/,
}

/** A message as the local notifier recorded it. */
export interface RecordedMessage extends RenderedMessage {
  id: string
  /** Whom it was for (`owner:<requestId>` …): erasure forgets by it. */
  ref: string
  kind: Notification['kind']
  to: string
  /** The channel it went by: the person's choice, or the next they allowed after a refusal. */
  channel: ContactChannel
  /** Every channel tried, in order: `whatsapp:refused`, `sms:sent`. */
  attempts: string[]
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

  /**
   * Forgets every message recorded for `ref` (a person's erasure, UU PDP): from memory and from the
   * file, which is rewritten without them.
   */
  async forget(ref: string): Promise<void> {
    const kept = this.sent.filter((message) => message.ref !== ref)
    this.sent.splice(0, this.sent.length, ...kept)
    if (!this.file) return
    const lines = (await readRecordedMessages(this.file)).filter((message) => message.ref !== ref)
    await writeFile(this.file, lines.map((message) => `${JSON.stringify(message)}\n`).join(''))
  }

  async send(notification: Notification): Promise<void> {
    if (this.ids.has(notification.id)) return
    this.ids.add(notification.id)
    const { to } = notification
    const attempts: string[] = []
    const reached = channelsOf(to).find(({ channel, address }) => {
      const refused = LOCALLY_REFUSED[channel]?.test(address) ?? false
      attempts.push(`${channel}:${refused ? 'refused' : 'sent'}`)
      return !refused
    })
    if (!reached) return
    const record: RecordedMessage = {
      id: notification.id,
      ref: to.ref,
      kind: notification.kind,
      channel: reached.channel,
      attempts,
      to: reached.address,
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
