import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { readRecordedMessages } from './local/notifier.ts'

/** `npm run notifications [-- --last 20] [--kind offer-made]`: what `npm start` would have sent. */
const { values } = parseArgs({
  options: { last: { type: 'string', default: '20' }, kind: { type: 'string' }, json: { type: 'boolean' } },
})
const file = resolve(import.meta.dirname, '../../../.local/notifications.jsonl')
const messages = (await readRecordedMessages(file)).filter((m) => !values.kind || m.kind === values.kind)
const shown = messages.slice(-Number(values.last))
if (values.json) {
  console.log(JSON.stringify(shown, null, 2))
} else if (shown.length === 0) {
  console.log('No notifications yet. They appear here as `npm start` sends them.')
} else {
  for (const m of shown) {
    const fallback = (m.attempts ?? []).length > 1 ? `  (tried ${m.attempts.join(', ')})` : ''
    console.log(`${m.sentAt}  ${m.kind}  → ${m.channel} ${m.to}${fallback}\n  ${m.subject}\n  ${m.body}\n`)
  }
}
