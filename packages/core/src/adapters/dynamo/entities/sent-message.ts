import * as z from 'zod/mini'
import { entity } from '../entity.ts'
import { keys } from '../keys.ts'
import type { List } from '../read.ts'

/**
 * A message sent to a person, as their export lists it (`entity: 'sentMessage'`): what kind, by which
 * channel, when. No text, no address: the text is the template's, the address the person's own record.
 */
export const SentMessageItem = z.object({
  entity: z.literal('sentMessage'),
  version: z.literal(1),
  /** `owner:<requestId>`, `participant:<id>`, `mentor:<id>`, `staff:<region>`. */
  ref: z.string(),
  id: z.string(),
  kind: z.string(),
  channel: z.string(),
  sentAt: z.string(),
})
export type SentMessageItem = z.infer<typeof SentMessageItem>

const sentMessage = entity('sentMessage', SentMessageItem, {
  key: (of: Pick<SentMessageItem, 'ref' | 'sentAt' | 'id'>) => keys.sentMessage(of.ref, of.sentAt, of.id),
})

/** Messages sent to one person (`SENT#<ref>`), oldest first. */
export const SentMessage = {
  ...sentMessage,
  ofPerson: (ref: string): List<SentMessageItem> => ({
    partition: keys.sentMessage(ref, '', '').pk,
    prefix: 'MESSAGE#',
    parse: sentMessage.parse,
  }),
}
