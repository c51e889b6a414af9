/**
 * A mentor erases their own data (UU PDP right to erasure; docs/contract/data-protection.md#mentors).
 *
 * At once, in one transaction: the mentor item is deleted (name, e-mail, phone, bio, availability), so
 * are their matching directory entries; their account link is refused from then on (every token and
 * page session they hold stops working), and `PersonErased { person: 'mentor' }` is written. Then each
 * consumer its part: the account is disabled at the provider (`AccountSuspension`), their open offers
 * are withdrawn and their businesses handed on ({@link eraseMentorRecords}, `Erasure`), certificates
 * revoked and anonymised, records of messages deleted.
 *
 * What users expect of a mentor who leaves: the business still wants help, so a running engagement is
 * **reassigned** — future sessions cancelled, the request back to matching without this mentor, the
 * owner told — as when staff reassign after a suspension, without waiting for staff. Only when the
 * request no longer waits (its owner left too) does it simply end.
 */
import { accountStatusUpdate, forgetAccount } from '../account/index.ts'
import { requireAccount } from '../actor/index.ts'
import { Class } from '../adapters/dynamo/entities/class.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { Feedback } from '../adapters/dynamo/entities/feedback.ts'
import { DirectoryEntry, Mentor } from '../adapters/dynamo/entities/mentor.ts'
import { MentorLoad } from '../adapters/dynamo/entities/mentor-load.ts'
import { Acceptance, Offer } from '../adapters/dynamo/entities/offer.ts'
import { Session } from '../adapters/dynamo/entities/session.ts'
import { everyItem, get, type Step, transact, write } from '../adapters/dynamo/index.ts'
import type { ClassItem } from '../class/item.ts'
import type { EngagementItem } from '../engagement/item.ts'
import { ConflictError, NotFoundError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { currentMentorId, getMentor } from '../mentor/index.ts'
import { OfferEvents } from '../offer/events.ts'
import { ERASED_MENTOR, withdrawForSuspension } from '../offer/index.ts'
import { getRequest } from '../request/access.ts'
import { requestTransition } from '../request/change.ts'
import { cancelFutureSessions } from '../session/index.ts'
import type { Clock, Store } from '../store.ts'
import { PrivacyEvents } from './events.ts'

const PAGE = 50

/**
 * The signed-in mentor erases their own data: the synchronous part (see the module comment).
 * Calls: 1 `GetItem` (account) + 1 `GetItem` (mentor) + 1 `TransactWriteItems`.
 * @returns the erased mentor's id
 * @throws NotFoundError when the account has no mentor (erased already); ConflictError `stale`
 */
export async function eraseOwnMentorData(store: Store, clock: Clock): Promise<{ mentorId: string }> {
  const { sub } = requireAccount('mentor')
  const mentorId = await currentMentorId(store)
  const mentor = await getMentor(store, mentorId)
  if (!mentor) throw new NotFoundError('No mentor profile for this account')
  const now = clock.now()
  const steps: Step[] = [
    ['mentor', Mentor.remove({ id: mentorId }, { when: Mentor.atRev(mentor.rev) })],
    ...mentor.skills.map(
      ({ topic }) => ['directory', DirectoryEntry.remove({ mentorId, topic })] as const satisfies Step,
    ),
    ['account', accountStatusUpdate(sub, 'suspended', now)],
    [
      'event',
      outbox(
        createEvent(
          PrivacyEvents.PersonErased,
          { person: 'mentor', personId: mentorId, reason: 'request', sub },
          now,
        ),
      ),
    ],
  ]
  await transact(store, steps, { explain: () => new ConflictError('Changed meanwhile; try again', 'stale') })
  // This process refuses the account at once; others within the account cache's few seconds.
  forgetAccount(sub)
  return { mentorId }
}

/** What a mentor's erasure reached beyond their own item: counts only, for the log line. */
export interface MentorErasure {
  offersWithdrawn: number
  engagementsReassigned: number
  engagementsEnded: number
  sessionsCancelled: number
  declineNotes: number
  comments: number
  /** Classes they taught whose copy of their first name was erased. */
  classes: number
}

/**
 * Everything about a mentor beyond their item, for the `Erasure` consumer of `PersonErased`, each
 * step safe to repeat: open offers withdrawn (their requests matched again without this mentor),
 * running engagements handed on ({@link handOn}), decline notes they wrote erased, owners'
 * comments about their sessions erased (the ratings stay: anonymous counts in the load and reports),
 * and their first name erased from the classes they taught ({@link eraseTrainerName}). Sessions and
 * progress notes they wrote about a business stay: they are the business's history, in its owner's
 * export.
 */
export async function eraseMentorRecords(
  store: Store,
  clock: Clock,
  mentorId: string,
): Promise<MentorErasure> {
  const outcome: MentorErasure = {
    offersWithdrawn: 0,
    engagementsReassigned: 0,
    engagementsEnded: 0,
    sessionsCancelled: 0,
    declineNotes: 0,
    comments: 0,
    classes: 0,
  }
  for await (const offer of everyItem(store, Offer.ofMentor(mentorId), PAGE)) {
    if (offer.status === 'open') {
      const closed = await withdrawForSuspension(store, clock, offer.id, ERASED_MENTOR)
      if (closed.outcome === 'withdrawn') outcome.offersWithdrawn++
    }
    if (offer.decline?.note) {
      await write(store, Offer.update(offer, { set: { decline: { ...offer.decline, note: null } } }))
      outcome.declineNotes++
    }
  }

  const requests = new Set<string>()
  for await (const engagement of everyItem(store, Engagement.ofMentor(mentorId), PAGE)) {
    requests.add(engagement.requestId)
    if (engagement.status !== 'active' && engagement.status !== 'needs_decision') continue
    const handed = await handOn(store, clock, engagement)
    outcome.sessionsCancelled += handed.sessionsCancelled
    if (handed.outcome === 'reassigned') outcome.engagementsReassigned++
    if (handed.outcome === 'ended') outcome.engagementsEnded++
  }

  for (const requestId of requests) {
    for await (const session of everyItem(store, Session.ofRequest(requestId), PAGE)) {
      if (session.mentorId !== mentorId) continue
      const erase = { set: { comment: null, erasedAt: clock.now().toISOString() } }
      if (
        await write(store, Feedback.update({ sessionId: session.id }, erase, { when: Feedback.hasComment }))
      )
        outcome.comments++
    }
  }
  outcome.classes = await eraseTrainerName(store, clock, mentorId)
  return outcome
}

/** Attempts at one class's change before the consumer's retry takes over (staff edit classes too). */
const CLASS_ATTEMPTS = 3

/**
 * Their first name, copied into each class they taught (`trainers[].name`, shown in the catalog), made
 * empty; the class, its trainer entry (`mentorId`) and its history stay. Classes are found in the staff
 * list of every class (`byRegion`, `CLASS`, cancelled ones too): a program's classes number in the
 * hundreds and an erasure is rare, so reading them all beats keeping a list by trainer. Each change is
 * conditional on the class as read (re-read on a conflict). Safe to repeat.
 * Calls: 1 `Query` per 50 classes, and per class taught 1 `UpdateItem` (a `GetItem` more per conflict).
 */
async function eraseTrainerName(store: Store, clock: Clock, mentorId: string): Promise<number> {
  const named = (klass: ClassItem) =>
    klass.trainers.some((trainer) => trainer.mentorId === mentorId && trainer.name !== '')
  let erased = 0
  for await (const listed of everyItem(store, Class.inRegion('*'), PAGE)) {
    let klass: ClassItem | undefined = listed
    for (let attempt = 1; klass && named(klass); attempt++) {
      const trainers = klass.trainers.map((trainer) =>
        trainer.mentorId === mentorId ? { ...trainer, name: '' } : trainer,
      )
      const at = clock.now().toISOString()
      const change = Class.update(
        klass,
        { set: { trainers, updatedAt: at } },
        { when: Class.unchanged(klass) },
      )
      if (await write(store, change)) {
        erased++
        break
      }
      if (attempt === CLASS_ATTEMPTS) throw new ConflictError('Class changed meanwhile; try again', 'stale')
      klass = await get(store, Class, { id: klass.id })
    }
  }
  return erased
}

/**
 * Hands a running engagement of an erased mentor on: its future sessions cancelled, then one
 * transaction — the engagement `reassigned`, the mentor's seat freed, the request back to `matching`
 * without this mentor, its acceptance marker lifted, and `EngagementReassigned` with
 * `cause: 'mentor-erased'` (matching offers the next mentor; the owner is told). When the request no
 * longer waits for its mentor, the engagement just `ended`. Safe to repeat.
 */
async function handOn(
  store: Store,
  clock: Clock,
  engagement: EngagementItem,
): Promise<{ outcome: 'reassigned' | 'ended' | 'left'; sessionsCancelled: number }> {
  const sessionsCancelled = await cancelFutureSessions(store, clock, engagement)
  const fresh = await get(store, Engagement, { id: engagement.id })
  if (!fresh || (fresh.status !== 'active' && fresh.status !== 'needs_decision'))
    return { outcome: 'left', sessionsCancelled }
  const request = await getRequest(store, fresh.requestId)
  const now = clock.now()
  const at = now.toISOString()
  const reassign = request?.status === 'active'
  const detail = {
    engagementId: fresh.id,
    requestId: fresh.requestId,
    mentorId: fresh.mentorId,
    programId: fresh.programId,
  }
  const steps: Step[] = [
    [
      'engagement',
      Engagement.update(
        fresh,
        { set: { status: reassign ? 'reassigned' : 'ended', endedAt: at, updatedAt: at } },
        { when: fresh.status === 'active' ? Engagement.active : Engagement.awaitingDecision },
      ),
    ],
    ['load', MentorLoad.release(fresh.mentorId, at)],
  ]
  if (request && reassign)
    steps.push(
      ['request', requestTransition(request, 'matching', now, { addExcludedMentor: fresh.mentorId })],
      ['acceptance', Acceptance.remove(request.id)],
      [
        'event',
        outbox(
          createEvent(
            OfferEvents.EngagementReassigned,
            { ...detail, region: fresh.region, cause: 'mentor-erased', sessionsCancelled },
            now,
          ),
        ),
      ],
    )
  else
    steps.push([
      'event',
      outbox(createEvent(OfferEvents.EngagementEnded, { ...detail, outcome: 'ended' }, now)),
    ])
  const lost = new ConflictError('Engagement changed meanwhile', 'stale')
  try {
    await transact(store, steps, { explain: () => lost })
  } catch (error) {
    if (error !== lost) throw error
    return { outcome: 'left', sessionsCancelled }
  }
  return { outcome: reassign ? 'reassigned' : 'ended', sessionsCancelled }
}
