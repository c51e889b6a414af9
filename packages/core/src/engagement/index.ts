/**
 * Engagements: an accepted offer, holding one mentor and one business together until the mentor (or
 * staff) closes it as `completed` or `ended`. Sessions hang off it; closing it frees the mentor's seat.
 */
import * as z from 'zod/mini'
import { type Account, visibleTo } from '../account/access.ts'
import { requireAccount } from '../actor/index.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { MentorLoad } from '../adapters/dynamo/entities/mentor-load.ts'
import { Acceptance } from '../adapters/dynamo/entities/offer.ts'
import { get, type Page, query, type Step, transact } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { OfferEvents } from '../offer/events.ts'
import { PageLimit } from '../program/index.ts'
import { getRequest, type RequestItem, requestTransition } from '../request/index.ts'
import type { Clock, Store } from '../store.ts'
import { freeText } from '../text/index.ts'
import { OUTCOMES } from '../topic/index.ts'
import { ENGAGEMENT_STATUSES, EngagementItem, type EngagementStatus, ProgressNote } from './item.ts'

export { ENGAGEMENT_STATUSES, EngagementItem, type EngagementStatus, ProgressNote } from './item.ts'

const unique = <T>(items: T[]) => new Set(items).size === items.length

/** `POST /v1/engagements/{id}/progress`. */
export const ProgressInput = z.strictObject({
  note: freeText(1, 1000),
  outcomes: z._default(
    z.array(z.enum(OUTCOMES)).check(z.maxLength(OUTCOMES.length), z.refine(unique, 'field.duplicate')),
    [],
  ),
})
export type ProgressInput = z.infer<typeof ProgressInput>

/** `POST /v1/engagements/{id}/close`. */
export const CloseInput = z.strictObject({ outcome: z.enum(['completed', 'ended']) })
export type CloseInput = z.infer<typeof CloseInput>

/** `GET /v1/me/engagements`. */
export const EngagementListQuery = z.strictObject({
  status: z.optional(z.enum(['active', 'completed', 'ended'])),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type EngagementListQuery = z.infer<typeof EngagementListQuery>

/** Most progress notes one engagement keeps (the item stays far below DynamoDB's 400 KB). */
export const MAX_PROGRESS_NOTES = 100

/** An engagement as the API shows it. */
export const EngagementInfo = z.object({
  id: z.string(),
  status: z.enum(ENGAGEMENT_STATUSES),
  requestId: z.string(),
  offerId: z.string(),
  mentorId: z.string(),
  programId: z.nullable(z.string()),
  region: z.string(),
  needs: z.array(z.string()),
  timeZone: z.string(),
  startedAt: z.string(),
  endedAt: z.nullable(z.string()),
  scheduledSessions: z.number(),
  completedSessions: z.number(),
  minutes: z.number(),
  progress: z.array(ProgressNote),
})
export type EngagementInfo = z.infer<typeof EngagementInfo>
export { EngagementInfo as Info }

/** The engagement as the API shows it: without its tags, the mentor's `sub` and `updatedAt`. */
export function engagementInfo(engagement: EngagementItem): EngagementInfo {
  const { entity: _entity, version: _version, mentorSub: _sub, updatedAt: _updated, ...info } = engagement
  return info
}

const messages = {
  'problem.engagement-closed': { id: 'Pendampingan sudah ditutup', en: 'The engagement is closed' },
  'problem.engagement-closed.detail': {
    id: 'Pendampingan ini sudah selesai atau diakhiri.',
    en: 'This engagement has already been completed or ended.',
  },
  'problem.sessions-pending': { id: 'Masih ada sesi terjadwal', en: 'Sessions are still scheduled' },
  'problem.sessions-pending.detail': {
    id: 'Selesaikan atau batalkan sesi yang masih terjadwal lebih dulu.',
    en: 'Complete or cancel the scheduled sessions first.',
  },
  'problem.engagement-not-awaiting': {
    id: 'Tidak ada keputusan yang ditunggu',
    en: 'No decision is pending',
  },
  'problem.engagement-not-awaiting.detail': {
    id: 'Pendampingan ini tidak menunggu keputusan petugas (mentornya tidak ditangguhkan, atau sudah diputuskan).',
    en: 'This engagement is not waiting for a staff decision (its mentor is not suspended, or it was decided).',
  },
  'problem.progress-full': { id: 'Catatan kemajuan penuh', en: 'Progress notes are full' },

  'problem.progress-full.detail': {
    id: 'Pendampingan ini sudah memiliki {limit} catatan kemajuan.',
    en: 'This engagement already has {limit} progress notes.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))

/** A fresh active engagement for an accepted offer. */
export function newEngagement(input: {
  id: string
  offer: { id: string; mentorId: string; mentorSub: string }
  request: RequestItem
  now: Date
}): EngagementItem {
  const at = input.now.toISOString()
  return {
    entity: 'engagement',
    version: 1,
    id: input.id,
    status: 'active',
    requestId: input.request.id,
    offerId: input.offer.id,
    mentorId: input.offer.mentorId,
    mentorSub: input.offer.mentorSub,
    programId: input.request.programId,
    region: input.request.region,
    needs: input.request.needs,
    timeZone: input.request.timeZone,
    startedAt: at,
    endedAt: null,
    updatedAt: at,
    scheduledSessions: 0,
    completedSessions: 0,
    minutes: 0,
    progress: [],
  }
}

/** One engagement, strongly consistent, or `undefined`. One `GetItem`. */
export function getEngagement(store: Store, id: string): Promise<EngagementItem | undefined> {
  return get(store, Engagement, { id })
}

/** The engagement if the signed-in account may see it (its mentor, staff of its region, admins); else 404. */
export async function readEngagement(store: Store, id: string): Promise<EngagementInfo> {
  const account = requireAccount()
  return engagementInfo(visibleTo(account, await getEngagement(store, id), 'engagement'))
}

/** A mentor's engagements, newest first, optionally of one status. One `Query` on `byOwner`. */
export async function listEngagementsOfMentor(
  store: Store,
  mentorId: string,
  options: { limit: number; cursor?: string | undefined; status?: EngagementStatus | undefined },
): Promise<Page<EngagementInfo>> {
  const page = await query(store, Engagement.ofMentor(mentorId, { status: options.status }), options)
  return { items: page.items.map(engagementInfo), nextCursor: page.nextCursor }
}

function detailOf(engagement: EngagementItem) {
  return {
    engagementId: engagement.id,
    requestId: engagement.requestId,
    mentorId: engagement.mentorId,
    programId: engagement.programId,
  }
}

/**
 * The mentor records how the business is doing: a note appended to the engagement (at most
 * {@link MAX_PROGRESS_NOTES}), with `EngagementProgressRecorded`. Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function recordProgress(
  store: Store,
  clock: Clock,
  engagementId: string,
  input: { note: string; outcomes: ProgressNote['outcomes'] },
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<ProgressNote> {
  const account = requireAccount('mentor')
  const engagement = visibleTo(account, await getEngagement(store, engagementId), 'engagement', true)
  const now = clock.now()
  const entry: ProgressNote = { at: now.toISOString(), note: input.note, outcomes: input.outcomes }
  await transact(
    store,
    [
      [
        'engagement',
        Engagement.update(
          engagement,
          { append: { progress: [entry] }, set: { updatedAt: entry.at } },
          { when: Engagement.notesBelow(MAX_PROGRESS_NOTES) },
        ),
      ],
      [
        'event',
        outbox(
          createEvent(
            OfferEvents.ProgressRecorded,
            { ...detailOf(engagement), outcomes: entry.outcomes },
            now,
          ),
        ),
      ],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: entry }, now),
      explain: () => {
        const error = new ConflictError('Too many progress notes', 'progress-full')
        error.params = { limit: MAX_PROGRESS_NOTES }
        return error
      },
    },
  )
  return entry
}

/**
 * Closes an active engagement: `completed` (the coaching is done) or `ended` (stopped early). The
 * request becomes `completed`, the mentor's seat is freed (`active - 1`), and `EngagementEnded` is
 * written, in one transaction that also requires no session still scheduled. The mentor of the
 * engagement, staff of its region or an admin may close it.
 * Calls: 2 `GetItem` (engagement, request) + 1 `TransactWriteItems`.
 */
export async function closeEngagement(
  store: Store,
  clock: Clock,
  engagementId: string,
  outcome: 'completed' | 'ended',
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<EngagementInfo> {
  const account: Account = requireAccount()
  const engagement = visibleTo(account, await getEngagement(store, engagementId), 'engagement')
  if (engagement.status !== 'active') throw new ConflictError('Engagement closed', 'engagement-closed')
  if (engagement.scheduledSessions > 0) throw new ConflictError('Sessions pending', 'sessions-pending')
  const request = await getRequest(store, engagement.requestId)
  const now = clock.now()
  const at = now.toISOString()
  const { mentorId } = engagement
  const steps: Step<'engagement' | 'request' | 'load' | 'event'>[] = [
    [
      'engagement',
      Engagement.update(
        engagement,
        { set: { status: outcome, endedAt: at, updatedAt: at } },
        { when: Engagement.closable },
      ),
    ],
    ['load', MentorLoad.release(mentorId, at)],
    ['event', outbox(createEvent(OfferEvents.EngagementEnded, { ...detailOf(engagement), outcome }, now))],
  ]
  if (request?.status === 'active') steps.push(['request', requestTransition(request, 'completed', now)])
  const closed = engagementInfo({ ...engagement, status: outcome, endedAt: at, updatedAt: at })
  await transact(store, steps, {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: closed }, now),
    explain: ({ conditions, items }) => {
      if (conditions.has('engagement')) {
        const parsed = z.safeParse(EngagementItem, items.engagement)
        if (parsed.success && parsed.data.status === 'active')
          return new ConflictError('Sessions pending', 'sessions-pending')
        return new ConflictError('Engagement closed', 'engagement-closed')
      }
      return new ConflictError('Changed meanwhile; try again', 'stale')
    },
  })
  return closed
}

/** `POST /v1/engagements/{id}/decision`: what staff make of an engagement whose mentor was suspended. */
export const DecisionInput = z.strictObject({ decision: z.enum(['end', 'reassign']) })
export type DecisionInput = z.infer<typeof DecisionInput>

/**
 * Hands an active engagement to staff because its mentor was suspended, for the suspension consumer:
 * `needs_decision` (only while active) and `EngagementNeedsDecision`, carrying how many future
 * sessions were cancelled (the owner is told). Safe to repeat: an engagement no longer active is left
 * alone (`false`). Calls: 1 `TransactWriteItems`.
 */
export async function holdForDecision(
  store: Store,
  clock: Clock,
  engagement: EngagementItem,
  sessionsCancelled: number,
): Promise<boolean> {
  const now = clock.now()
  const event = createEvent(
    OfferEvents.EngagementNeedsDecision,
    { ...detailOf(engagement), region: engagement.region, sessionsCancelled },
    now,
  )
  try {
    await transact(
      store,
      [
        [
          'engagement',
          Engagement.update(
            engagement,
            { set: { status: 'needs_decision', updatedAt: now.toISOString() } },
            { when: Engagement.active },
          ),
        ],
        ['event', outbox(event)],
      ],
      { explain: () => new ConflictError('Engagement no longer active', 'engagement-closed') },
    )
  } catch (error) {
    if (error instanceof ConflictError) return false
    throw error
  }
  return true
}

/**
 * Staff of the engagement's region (or an admin) decide an engagement whose mentor was suspended, in
 * one transaction that also frees the suspended mentor's seat:
 * - `end`: `ended`, the request `completed`, `EngagementEnded` (outcome `ended`);
 * - `reassign`: `reassigned` (its sessions and progress notes stay as the business's history), the
 *   request back to `matching` without that mentor, its acceptance marker lifted (the owner no longer
 *   sees the old mentor), and `EngagementReassigned`, on which matching offers the next best mentor.
 * Calls: 2 `GetItem` (engagement, request) + 1 `TransactWriteItems`.
 *
 * @throws ConflictError `engagement-not-awaiting` when no decision is pending, `stale` when the request changed
 */
export async function decideEngagement(
  store: Store,
  clock: Clock,
  engagementId: string,
  decision: DecisionInput['decision'],
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<EngagementInfo> {
  const account = requireAccount('staff', 'admin')
  const engagement = visibleTo(account, await getEngagement(store, engagementId), 'engagement')
  if (engagement.status !== 'needs_decision')
    throw new ConflictError('No decision pending', 'engagement-not-awaiting')
  const request = await getRequest(store, engagement.requestId)
  const now = clock.now()
  const at = now.toISOString()
  const { mentorId } = engagement
  const status = decision === 'end' ? 'ended' : 'reassigned'
  const steps: Step<'engagement' | 'request' | 'load' | 'acceptance' | 'event'>[] = [
    [
      'engagement',
      Engagement.update(
        engagement,
        { set: { status, endedAt: at, updatedAt: at } },
        { when: Engagement.awaitingDecision },
      ),
    ],
    ['load', MentorLoad.release(mentorId, at)],
  ]
  if (decision === 'end') {
    steps.push([
      'event',
      outbox(createEvent(OfferEvents.EngagementEnded, { ...detailOf(engagement), outcome: 'ended' }, now)),
    ])
    if (request?.status === 'active') steps.push(['request', requestTransition(request, 'completed', now)])
  } else {
    if (request?.status !== 'active')
      throw new ConflictError('The request no longer waits for its mentor', 'stale')
    steps.push(
      ['request', requestTransition(request, 'matching', now, { addExcludedMentor: mentorId })],
      ['acceptance', Acceptance.remove(request.id)],
      [
        'event',
        outbox(
          createEvent(
            OfferEvents.EngagementReassigned,
            { ...detailOf(engagement), region: engagement.region },
            now,
          ),
        ),
      ],
    )
  }
  const decided = engagementInfo({ ...engagement, status, endedAt: at, updatedAt: at })
  await transact(store, steps, {
    idempotency: storeAnswer(options.idempotency, { status: 200, body: decided }, now),
    explain: ({ conditions }) =>
      conditions.has('engagement')
        ? new ConflictError('No decision pending', 'engagement-not-awaiting')
        : new ConflictError('Changed meanwhile; try again', 'stale'),
  })
  return decided
}
