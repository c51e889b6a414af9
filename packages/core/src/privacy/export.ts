/**
 * Everything held about one person, for themselves (UU PDP rights of access and portability;
 * docs/contract/data-protection.md#export). Each item is given as stored, less what is not about them
 * (`entity`, `version`) and the hashes that only serve lookups, so a field added to an item later is
 * in the export without anyone remembering to add it here.
 */
import { Certificate } from '../adapters/dynamo/entities/certificate.ts'
import { Registration } from '../adapters/dynamo/entities/class.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { Feedback } from '../adapters/dynamo/entities/feedback.ts'
import { Mentor } from '../adapters/dynamo/entities/mentor.ts'
import { Acceptance, Offer } from '../adapters/dynamo/entities/offer.ts'
import { Session } from '../adapters/dynamo/entities/session.ts'
import { get, type List, query } from '../adapters/dynamo/index.ts'
import type { HolderKind } from '../certificate/item.ts'
import { openParticipant } from '../class/register.ts'
import { currentMentorId } from '../mentor/index.ts'
import { sentMessagesOf } from '../notification/sent.ts'
import { openRequest } from '../request/access.ts'
import type { PrivateKey } from '../request/token.ts'
import type { Store } from '../store.ts'
import { requestConsentState } from './consent-change.ts'

/** Attributes never exported: the item's bookkeeping and lookup hashes (a hash of a secret is no one's data). */
const BOOKKEEPING = new Set(['entity', 'version', 'tokenHash', 'phoneHash', 'rev'])

type Plain = Record<string, unknown>

/** An item as its person reads it. */
export function plain(item: object): Plain {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.has(name)))
}

/** What every export holds, whoever the person is. */
export interface PersonExport {
  exportedAt: string
  person: 'owner' | 'participant' | 'mentor'
  [part: string]: unknown
}

/** Every item of a list (an export reads a person's own few hundred at most). */
async function all<T>(store: Store, list: List<T>, max = 1000): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const page = await query(store, list, { limit: 100, cursor })
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor && items.length < max)
  return items
}

const certificatesOf = async (store: Store, holder: { kind: HolderKind; id: string }) =>
  (await all(store, Certificate.ofHolder(holder))).map(({ credential: _signed, ...certificate }) =>
    plain(certificate),
  )

const messagesOf = async (store: Store, ref: string) =>
  (await sentMessagesOf(store, ref)).map(({ kind, channel, sentAt }) => ({ kind, channel, sentAt }))

/**
 * An owner's export, by their tracking token: the request (business profile, needs, availability,
 * consent and its history), its sessions with places and notes, feedback given, the engagement with its
 * progress notes, certificates and messages sent. Calls: a handful of `GetItem`s and `Query`s.
 */
export async function exportOwner(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
  now: Date,
): Promise<PersonExport> {
  const { request } = await openRequest(store, id, token, { staff: false })
  const sessions = await all(store, Session.ofRequest(id))
  const feedback = (
    await Promise.all(sessions.map((session) => get(store, Feedback, { sessionId: session.id })))
  )
    .filter((item) => item !== undefined)
    .map(plain)
  const acceptance = await get(store, Acceptance, { requestId: id })
  const engagementIds = new Set(sessions.map((session) => session.engagementId))
  if (acceptance) engagementIds.add(acceptance.engagementId)
  const engagements = (
    await Promise.all([...engagementIds].map((engagementId) => get(store, Engagement, { id: engagementId })))
  )
    .filter((item) => item !== undefined)
    .map(({ mentorSub: _sub, ...engagement }) => plain(engagement))
  return {
    exportedAt: now.toISOString(),
    person: 'owner',
    request: plain(request),
    consent: requestConsentState(request.consent),
    sessions: sessions.map(({ mentorSub: _sub, ...session }) => plain(session)),
    feedback,
    engagements,
    certificates: await certificatesOf(store, { kind: 'owner', id }),
    messages: await messagesOf(store, `owner:${id}`),
  }
}

/** A class participant's export, by their private link's token: profile, consent, registrations, certificates, messages. */
export async function exportParticipant(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
  now: Date,
): Promise<PersonExport> {
  const participant = await openParticipant(store, id, token)
  const { consent, ...profile } = participant
  return {
    exportedAt: now.toISOString(),
    person: 'participant',
    profile: plain(profile),
    consent: {
      purposes: consent.purposes,
      noticeVersion: consent.purposeVersion,
      history: consent.history ?? [],
    },
    registrations: (await all(store, Registration.ofParticipant(id))).map(plain),
    certificates: await certificatesOf(store, { kind: 'participant', id }),
    messages: await messagesOf(store, `participant:${id}`),
  }
}

/**
 * The signed-in mentor's export: profile and consent, every offer they were shown (the business's
 * anonymous facts, their answer and decline note), engagements with progress notes, the sessions they
 * held with places and notes, ratings received, certificates and messages sent.
 */
export async function exportMentor(store: Store, now: Date): Promise<PersonExport> {
  const id = await currentMentorId(store)
  const mentor = await get(store, Mentor, { id })
  const offers = await all(store, Offer.ofMentor(id))
  const engagements = await all(store, Engagement.ofMentor(id))
  const sessions = (
    await Promise.all(engagements.map((engagement) => all(store, Session.ofRequest(engagement.requestId))))
  )
    .flat()
    .filter((session) => session.mentorId === id)
  const ratings = (
    await Promise.all(sessions.map((session) => get(store, Feedback, { sessionId: session.id })))
  )
    .filter((item) => item !== undefined)
    // The owner's comment is the owner's data: the mentor's export holds the rating alone.
    .map(({ sessionId, rating, createdAt }) => ({ sessionId, rating, createdAt }))
  const { consent, ...profile } = mentor ?? { consent: undefined }
  return {
    exportedAt: now.toISOString(),
    person: 'mentor',
    profile: plain(profile),
    consent: consent ?? null,
    offers: offers.map(({ mentorSub: _sub, ...offer }) => plain(offer)),
    engagements: engagements.map(({ mentorSub: _sub, ...engagement }) => plain(engagement)),
    sessions: sessions.map(({ mentorSub: _sub, ...session }) => plain(session)),
    ratings,
    certificates: await certificatesOf(store, { kind: 'mentor', id }),
    messages: await messagesOf(store, `mentor:${id}`),
  }
}
