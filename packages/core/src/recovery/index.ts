/**
 * Link recovery (docs/contract/channels.md#lost-link): a person who lost their private link enters
 * their phone (or e-mail) and, if they remember it, the request or registration id; a one-time code
 * goes to the contact on file by their channel; with the code they get a new link, and the old one
 * stops working.
 *
 * Asking never tells whether the phone is known: every ask does the same work — one challenge and
 * its event in one transaction — and gets the same answer. The search for what the phone holds and
 * the sending happen later, in the `LinkRecovery` consumer. Codes are six digits, valid
 * {@link CODE_MINUTES} minutes, single-use, at most {@link MAX_ATTEMPTS} tries, stored only as a salted
 * hash; asking is rate-limited per phone and per client by the API.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'
import * as z from 'zod/mini'
import { Participant, Registration } from '../adapters/dynamo/entities/class.ts'
import { ContactLink, LinkRecovery, type LinkRecoveryItem } from '../adapters/dynamo/entities/contact.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { get, query, type Step, transact, write } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { normalizePhone } from '../business/index.ts'
import type { ParticipantItem } from '../class/item.ts'
import { privatePathOf } from '../class/register.ts'
import { NotFoundError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type Locale, registerMessages } from '../i18n/index.ts'
import { idField } from '../id/index.ts'
import { addressHash } from '../notification/address.ts'
import type { Notifier, Recipient } from '../notification/port.ts'
import type { RequestItem } from '../request/item.ts'
import { newTrackingToken } from '../request/token.ts'
import type { Clock, Store } from '../store.ts'
import { RecoveryEvents } from './events.ts'

export { RecoveryEvents } from './events.ts'

/** How long a code works. */
export const CODE_MINUTES = 10
/** Tries per code; then the person asks again. */
export const MAX_ATTEMPTS = 5
/** A challenge is removed (TTL) this long after it was made. */
const KEPT_SECONDS = 86_400

/** `POST /v1/link-recovery`: the phone (or e-mail) on file and, optionally, the id the person remembers. */
export const RecoveryInput = z
  .strictObject({
    /** Any Indonesian way of writing it, as in the forms. */
    phone: z.optional(
      z.string().check(
        z.maxLength(40),
        z.refine((raw) => normalizePhone(raw) !== undefined, 'field.phone'),
      ),
    ),
    email: z.optional(z.email({ error: 'field.email' }).check(z.maxLength(254))),
    requestId: z.optional(idField()),
    registrationId: z.optional(idField()),
  })
  .check(
    z.refine((input) => (input.phone === undefined) !== (input.email === undefined), {
      message: 'field.phone_or_email',
      path: ['phone'],
    }),
    z.refine((input) => input.requestId === undefined || input.registrationId === undefined, {
      message: 'field.one_id',
      path: ['registrationId'],
    }),
  )
export type RecoveryInput = z.infer<typeof RecoveryInput>

/** The same answer for every ask: where to send the code, and for how long it will work. */
export const RecoveryStarted = z.object({
  recoveryId: z.string().check(z.maxLength(64)),
  expiresInSeconds: z.number(),
})
export type RecoveryStarted = z.infer<typeof RecoveryStarted>

/** `POST /v1/link-recovery/{id}/code`: the code received. */
export const RecoveryCode = z.strictObject({
  code: z.string().check(z.maxLength(12), z.trim(), z.regex(/^\d{6}$/, 'field.recovery_code')),
})

/** A new private link, replacing the old one. */
export const RecoveredLink = z.object({
  kind: z.enum(['request', 'participant']),
  id: z.string().check(z.maxLength(64)),
  /** The page with its new token: `/lacak/<id>?token=…` or `/peserta/<id>?token=…`. */
  path: z.string().check(z.maxLength(200)),
})
/** At most 20: the links one address holds (the contact links read per recovery). */
export const Recovered = z.object({ links: z.array(RecoveredLink).check(z.maxLength(20)) })
export type Recovered = z.infer<typeof Recovered>

/** The address a person typed, as the challenge keeps it: the normalised phone or the e-mail. */
const addressOf = (input: RecoveryInput) =>
  input.phone !== undefined ? (normalizePhone(input.phone) ?? input.phone) : (input.email ?? '')

const codeHashOf = (recoveryId: string, code: string) =>
  createHash('sha256').update(`${recoveryId}:${code}`).digest('base64url')

/**
 * Starts a recovery: one transaction puts the challenge (the typed address as a hash, the id they
 * remember) and `LinkRecoveryRequested`. Whatever was typed, the work and the answer are the same.
 */
export async function startRecovery(
  store: Store,
  clock: Clock,
  input: RecoveryInput,
  locale: Locale,
): Promise<RecoveryStarted> {
  const now = clock.now()
  const item: LinkRecoveryItem = {
    entity: 'linkRecovery',
    id: newId(),
    addressHash: addressHash(addressOf(input)),
    requestId: input.requestId ?? null,
    registrationId: input.registrationId ?? null,
    locale,
    createdAt: now.toISOString(),
    validUntil: now.getTime() + CODE_MINUTES * 60_000,
    codeHash: null,
    targets: [],
    attempts: 0,
    usedAt: null,
  }
  const event = createEvent(RecoveryEvents.LinkRecoveryRequested, { recoveryId: item.id }, now)
  await transact(store, [
    ['challenge', LinkRecovery.put(item, Math.floor(now.getTime() / 1000) + KEPT_SECONDS)],
    ['event', outbox(event)],
  ])
  return { recoveryId: item.id, expiresInSeconds: CODE_MINUTES * 60 }
}

type Holder = { kind: 'request'; item: RequestItem } | { kind: 'participant'; item: ParticipantItem }

const holderAddresses = (holder: Holder): string[] =>
  holder.kind === 'request'
    ? [holder.item.business?.phone, holder.item.business?.email ?? undefined].filter(Boolean).map(String)
    : [holder.item.phone, holder.item.email ?? undefined].filter(Boolean).map(String)

async function loadHolder(store: Store, ref: string): Promise<Holder | undefined> {
  const [kind, id = ''] = ref.split('#')
  if (kind === 'request') {
    const item = await get(store, Request, { id })
    return item?.business ? { kind, item } : undefined
  }
  const item = await get(store, Participant, { id })
  return item ? { kind: 'participant', item } : undefined
}

/** What the challenge may open: the remembered id's holder, or everything the address holds. */
async function holdersOf(store: Store, challenge: LinkRecoveryItem): Promise<Holder[]> {
  let refs: string[]
  if (challenge.requestId !== null) refs = [`request#${challenge.requestId}`]
  else if (challenge.registrationId !== null) {
    const registration = await get(store, Registration, { id: challenge.registrationId })
    refs = registration ? [`participant#${registration.participantId}`] : []
  } else {
    const links = await query(store, ContactLink.of(challenge.addressHash), { limit: 20 })
    refs = links.items.map((link) => `${link.kind}#${link.id}`)
  }
  const holders = await Promise.all(refs.map((ref) => loadHolder(store, ref)))
  // Only what the typed address is on file for: an id alone opens nothing.
  return holders.filter(
    (holder): holder is Holder =>
      holder !== undefined &&
      holderAddresses(holder).some((address) => addressHash(address) === challenge.addressHash),
  )
}

function recipientOf(holder: Holder, locale: Locale): Recipient {
  if (holder.kind === 'request') {
    const business = holder.item.business
    return {
      ref: `owner:${holder.item.id}`,
      phone: business?.phone,
      email: business?.email ?? undefined,
      channel: business?.channel,
      locale,
    }
  }
  return {
    ref: `participant:${holder.item.id}`,
    phone: holder.item.phone,
    email: holder.item.email ?? undefined,
    channel: holder.item.channel,
    locale,
  }
}

/**
 * The `LinkRecovery` consumer's work: finds what the typed address holds; if anything, makes a code,
 * stores its hash (replacing any code an earlier try sent: only the last one works) and sends it by
 * the person's channel, to the contact on file. Nothing found: nothing is sent, and the challenge
 * can never be answered. An expired or used challenge sends nothing.
 *
 * @returns how many private links the code would open (0 when nothing matched)
 */
export async function sendRecoveryCode(
  store: Store,
  clock: Clock,
  notifier: Notifier,
  recoveryId: string,
): Promise<number> {
  const challenge = await get(store, LinkRecovery, { id: recoveryId })
  const now = clock.now()
  if (!challenge || challenge.usedAt !== null || challenge.validUntil <= now.getTime()) return 0
  const holders = await holdersOf(store, challenge)
  const first = holders[0]
  if (!first) return 0
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const targets = holders.map((holder) => `${holder.kind}#${holder.item.id}`)
  if (
    !(await write(
      store,
      LinkRecovery.codeSent(recoveryId, codeHashOf(recoveryId, code), targets, now.getTime()),
    ))
  )
    return 0
  await notifier.send({
    // A retried send makes a new code: its own id, so it is not taken for a duplicate.
    id: `recovery:${recoveryId}:${codeHashOf(recoveryId, code).slice(0, 12)}`,
    kind: 'link-code',
    to: recipientOf(first, challenge.locale),
    params: { code, minutes: CODE_MINUTES },
  })
  return holders.length
}

/**
 * Answers a code: counted first (at most {@link MAX_ATTEMPTS}), then compared in constant time; the
 * right code, once, gives each private link it opens a new token in one transaction — the old tokens
 * stop working — and marks the challenge used. A wrong, expired, used or unknown code is the same
 * 404, so a challenge id reveals nothing either.
 *
 * @throws NotFoundError for any code that does not open anything
 */
export async function completeRecovery(
  store: Store,
  clock: Clock,
  recoveryId: string,
  code: string,
): Promise<Recovered> {
  const failed = new NotFoundError('No such code, or it expired, was used or tried too often')
  const now = clock.now()
  if (!(await write(store, LinkRecovery.attempt(recoveryId, MAX_ATTEMPTS, now.getTime())))) throw failed
  const challenge = await get(store, LinkRecovery, { id: recoveryId })
  if (!challenge?.codeHash || challenge.targets.length === 0) throw failed
  const expected = Buffer.from(challenge.codeHash, 'base64url')
  const presented = Buffer.from(codeHashOf(recoveryId, code), 'base64url')
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) throw failed

  const holders = (await Promise.all(challenge.targets.map((ref) => loadHolder(store, ref)))).filter(
    (holder): holder is Holder => holder !== undefined,
  )
  const links: Recovered['links'] = []
  const steps: Step[] = [['challenge', LinkRecovery.use(recoveryId, now.toISOString())]]
  for (const [index, holder] of holders.entries()) {
    const fresh = newTrackingToken()
    if (holder.kind === 'request') {
      steps.push([
        `link${index}`,
        Request.update(
          holder.item,
          { set: { tokenHash: fresh.hash } },
          { when: Request.tokenIs(holder.item.tokenHash) },
        ),
      ])
      links.push({
        kind: 'request',
        id: holder.item.id,
        path: `/lacak/${holder.item.id}?token=${fresh.token}`,
      })
    } else {
      steps.push([
        `link${index}`,
        Participant.update(
          { id: holder.item.id },
          { set: { tokenHash: fresh.hash, updatedAt: now.toISOString() } },
          { when: Participant.tokenIs(holder.item.tokenHash) },
        ),
      ])
      links.push({
        kind: 'participant',
        id: holder.item.id,
        path: `${privatePathOf(holder.item.id)}?token=${fresh.token}`,
      })
    }
  }
  if (links.length === 0) throw failed
  await transact(store, steps, { explain: () => failed })
  return { links }
}

registerMessages({
  'field.phone_or_email': {
    id: 'Isi nomor HP atau email (salah satu)',
    en: 'Give your phone number or your email (one of them)',
  },
  'field.one_id': {
    id: 'Isi nomor permintaan atau nomor pendaftaran, bukan keduanya',
    en: 'Give the request id or the registration id, not both',
  },
  'field.recovery_code': { id: 'Kode terdiri dari 6 angka', en: 'The code is 6 digits' },
})
