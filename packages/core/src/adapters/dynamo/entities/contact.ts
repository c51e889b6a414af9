/**
 * Issue 17 (docs/contract/channels.md): what the channels need stored — addresses a channel refused
 * for good, where a phone's hash holds a private link (link recovery), recovery challenges and a
 * region's stale-request alerts of the day. Every address is stored as a hash, never in clear.
 */
import * as z from 'zod/mini'
import { deleteItem, putItem, type Readable, updateItem, when } from '../entity.ts'
import { keys } from '../keys.ts'
import type { List } from '../read.ts'

const ContactStatusItem = z.object({
  entity: z.literal('contactStatus'),
  channel: z.string(),
  status: z.literal('refused'),
  refusedAt: z.string(),
})
export type ContactStatusItem = z.infer<typeof ContactStatusItem>

/** An address a channel refused for good (`CONTACT#<channel>#<hash>`), kept a year (TTL). */
export const ContactStatus = {
  key: (id: { channel: string; addressHash: string }) => keys.contactStatus(id.channel, id.addressHash),
  parse: (raw: unknown) => z.parse(ContactStatusItem, raw),
  attributes: ['entity', 'channel', 'status', 'refusedAt'],
  /** Marks the address refused; marking it again only moves the date. */
  refuse: (channel: string, addressHash: string, at: string, expiresAt: number) =>
    putItem(
      keys.contactStatus(channel, addressHash),
      { entity: 'contactStatus', version: 1, channel, status: 'refused', refusedAt: at, expiresAt },
      null,
    ),
} satisfies Readable<ContactStatusItem, { channel: string; addressHash: string }> & Record<string, unknown>

const ContactLinkItem = z.object({
  entity: z.literal('contactLink'),
  /** `request` or `participant`. */
  kind: z.enum(['request', 'participant']),
  id: z.string(),
})
export type ContactLinkItem = z.infer<typeof ContactLinkItem>

/** Where an address (by hash) holds a private link: `CONTACTLINK#<hash> / <kind>#<id>`. */
export const ContactLink = {
  put: (addressHash: string, kind: ContactLinkItem['kind'], id: string) =>
    putItem(
      keys.contactLink(addressHash, `${kind}#${id}`),
      { entity: 'contactLink', version: 1, kind, id },
      null,
    ),
  remove: (addressHash: string, kind: ContactLinkItem['kind'], id: string) =>
    deleteItem(keys.contactLink(addressHash, `${kind}#${id}`)),
  /** Every private link an address holds (a person has a handful at most). */
  of: (addressHash: string): List<ContactLinkItem> => ({
    partition: keys.contactLink(addressHash, '').pk,
    consistent: true,
    parse: (raw) => z.parse(ContactLinkItem, raw),
  }),
}

const LinkRecoveryItem = z.object({
  entity: z.literal('linkRecovery'),
  id: z.string(),
  /** Hash of the phone or e-mail the person typed. */
  addressHash: z.string(),
  /** The request or registration id they remembered, if any. */
  requestId: z.nullable(z.string()),
  registrationId: z.nullable(z.string()),
  locale: z.enum(['id', 'en']),
  createdAt: z.string(),
  /** Epoch milliseconds after which the code no longer works. */
  validUntil: z.number(),
  /** SHA-256 of the code sent (salted with the challenge id); `null` until sent, or when nothing matched. */
  codeHash: z.nullable(z.string()),
  /** What the code opens, found by the sender: `request#<id>`, `participant#<id>`. */
  targets: z.array(z.string()),
  attempts: z.number(),
  usedAt: z.nullable(z.string()),
})
export type LinkRecoveryItem = z.infer<typeof LinkRecoveryItem>

/** A link-recovery challenge (`LINKRECOVERY#<id>`), removed by TTL a day after it was made. */
export const LinkRecovery = {
  key: (id: { id: string }) => keys.linkRecovery(id.id),
  parse: (raw: unknown) => z.parse(LinkRecoveryItem, raw),
  put: (item: LinkRecoveryItem, expiresAt: number) =>
    putItem(keys.linkRecovery(item.id), { ...item, version: 1, expiresAt }),
  /** The code that was sent (a retried send replaces the code), while unused and valid. */
  codeSent: (id: string, codeHash: string, targets: string[], nowMs: number) =>
    updateItem(
      keys.linkRecovery(id),
      { set: { codeHash, targets } },
      when('attribute_exists(pk) AND #usedAt = :none AND #validUntil > :now', {
        ':none': null,
        ':now': nowMs,
      }),
    ),
  /** One more try with a code, counted before it is compared; refused once `max` tries were made. */
  attempt: (id: string, max: number, nowMs: number) =>
    updateItem(
      keys.linkRecovery(id),
      { add: { attempts: 1 } },
      when('attribute_exists(pk) AND #attempts < :max AND #usedAt = :none AND #validUntil > :now', {
        ':max': max,
        ':none': null,
        ':now': nowMs,
      }),
    ),
  /** The code worked: it never works again. */
  use: (id: string, at: string) =>
    updateItem(keys.linkRecovery(id), { set: { usedAt: at } }, when('#usedAt = :none', { ':none': null })),
} satisfies Readable<LinkRecoveryItem, { id: string }> & Record<string, unknown>

const StaleAlertsItem = z.object({ count: z.number() })

/** A region's stale-request alerts of one day: a count, and a marker per request counted. */
export const StaleAlerts = {
  key: (id: { region: string; day: string }) => keys.staleAlerts(id.region, id.day),
  parse: (raw: unknown) => z.parse(StaleAlertsItem, raw),
  attributes: ['count'],
  /** The marker of `requestId`: refused when it was counted already. */
  mark: (region: string, day: string, requestId: string, expiresAt: number) =>
    putItem(keys.staleAlerts(region, day, requestId), { entity: 'staleAlert', version: 1, expiresAt }),
  /** One more stale request today. */
  count: (region: string, day: string, expiresAt: number) =>
    updateItem(keys.staleAlerts(region, day), {
      set: { entity: 'staleAlerts', version: 1, expiresAt },
      add: { count: 1 },
    }),
} satisfies Readable<z.infer<typeof StaleAlertsItem>, { region: string; day: string }> &
  Record<string, unknown>

const StaffRegionItem = z.object({ entity: z.literal('staffRegion'), sub: z.string() })

/** Staff listed by the region they cover (`STAFFREGION#<region> / <sub>`): the account holds the contact. */
export const StaffRegion = {
  put: (region: string, sub: string) =>
    putItem(keys.staffRegion(region, sub), { entity: 'staffRegion', version: 1, sub }, null),
  of: (region: string): List<{ sub: string }> => ({
    partition: keys.staffRegion(region, '').pk,
    parse: (raw) => z.parse(StaffRegionItem, raw),
  }),
}
