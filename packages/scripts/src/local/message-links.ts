import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { MessageLinks } from '@pendamping/core/link'

/**
 * The local stand-in for the `MessageLinkSecret` secret (docs/contract/channels.md#links-in-messages):
 * a secret kept at `file` (`.local/message-link-secret` for `npm start`, made on first use, readable
 * only by its owner) so links in messages sent before a restart still open their pages, or a fresh
 * one in memory. Delete the file to end every link sent so far, as changing the secret does on AWS.
 */
export async function localMessageLinks(file: string | undefined): Promise<MessageLinks> {
  if (file && existsSync(file)) return MessageLinks.fromSecret((await readFile(file, 'utf8')).trim())
  const secret = MessageLinks.newSecret()
  if (file) {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, `${secret}\n`, { mode: 0o600 })
  }
  return MessageLinks.fromSecret(secret)
}
