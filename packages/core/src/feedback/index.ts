/**
 * Feedback: the business owner rates a completed session of their request, once, 1–5 with an optional
 * comment. The rating also feeds the mentor's rating (sum and count on their load counter) that
 * matching scores, in the same transaction.
 */
import * as z from 'zod/mini'
import { useActor } from '../actor/index.ts'
import { Feedback } from '../adapters/dynamo/entities/feedback.ts'
import { MentorLoad } from '../adapters/dynamo/entities/mentor-load.ts'
import { Session } from '../adapters/dynamo/entities/session.ts'
import { everyItem, exists, get, transact, write } from '../adapters/dynamo/index.ts'
import { ConflictError, NotFoundError, UnauthorizedError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { getRequest } from '../request/index.ts'
import { type PrivateKey, trackingTokenMatches } from '../request/token.ts'
import { getSession } from '../session/index.ts'
import type { Clock, Store } from '../store.ts'
import { plainText } from '../text/index.ts'
import { FeedbackEvents } from './events.ts'
import type { FeedbackItem } from './item.ts'

export { FeedbackItem } from './item.ts'
export { FeedbackEvents }

/** What an owner sends (`POST /v1/sessions/{id}/feedback`). */
export const FeedbackInput = z.strictObject({
  rating: z.int().check(z.gte(1), z.lte(5)),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(1000), plainText())),
})
export type FeedbackInput = z.infer<typeof FeedbackInput>

/** Feedback as its owner sees it after rating. */
export const Info = z.object({
  sessionId: z.string(),
  rating: z.number(),
  comment: z.nullable(z.string()),
  createdAt: z.string(),
})
export type Info = z.infer<typeof Info>

const messages = {
  'problem.feedback-exists': { id: 'Penilaian sudah diberikan', en: 'Feedback already given' },
  'problem.feedback-exists.detail': {
    id: 'Sesi ini sudah Anda nilai. Setiap sesi dinilai satu kali.',
    en: 'You have already rated this session. Each session is rated once.',
  },
  'problem.session-not-completed': { id: 'Sesi belum selesai', en: 'The session is not completed' },
  'problem.session-not-completed.detail': {
    id: 'Penilaian dapat diberikan setelah sesi selesai.',
    en: 'A session can be rated once it is completed.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))

/**
 * The owner of the session's request rates it. Who the owner is comes from the request context (an
 * owner middleware that already checked the token) or from `token`, checked here against the request.
 * A wrong token, or a session of another request, is a 404. One transaction: the feedback (only if
 * none: a second rating is `feedback-exists`), a check that the session is `completed`, the mentor's
 * rating sum and count, and `FeedbackReceived`.
 * Calls: 1 `GetItem` (session) + 1 `GetItem` (request, unless the context already names it) + 1 `TransactWriteItems`.
 */
export async function giveFeedback(
  store: Store,
  clock: Clock,
  sessionId: string,
  input: FeedbackInput,
  options: { token?: PrivateKey | undefined; idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Info> {
  const actor = useActor()
  if (actor.kind !== 'owner' && options.token === undefined)
    throw new UnauthorizedError('Tracking token required')
  const session = await getSession(store, sessionId)
  if (!session) throw new NotFoundError('No such session')
  if (actor.kind === 'owner') {
    if (actor.requestId !== session.requestId) throw new NotFoundError('No such session')
  } else {
    const request = await getRequest(store, session.requestId)
    if (!trackingTokenMatches(request?.tokenHash ?? null, options.token))
      throw new NotFoundError('No such session')
  }
  if (session.status !== 'completed') throw new ConflictError('Not completed', 'session-not-completed')

  const now = clock.now()
  const feedback: FeedbackItem = {
    entity: 'feedback',
    version: 1,
    sessionId: session.id,
    requestId: session.requestId,
    engagementId: session.engagementId,
    mentorId: session.mentorId,
    programId: session.programId,
    rating: input.rating,
    comment: input.comment ? input.comment : null,
    createdAt: now.toISOString(),
  }
  const info: Info = {
    sessionId: feedback.sessionId,
    rating: feedback.rating,
    comment: feedback.comment,
    createdAt: feedback.createdAt,
  }
  const { mentorId, requestId, programId } = session
  await transact(
    store,
    [
      ['feedback', Feedback.put(feedback)],
      ['session', Session.check({ id: session.id }, Session.completed)],
      // The mentor's rating, which matching scores: kept beside their load, in the same transaction.
      [
        'load',
        MentorLoad.update(
          { mentorId },
          { add: { ratingSum: input.rating, ratingCount: 1 } },
          { when: exists },
        ),
      ],
      [
        'event',
        outbox(
          createEvent(
            FeedbackEvents.Received,
            { sessionId: session.id, requestId, mentorId, programId, rating: input.rating },
            now,
          ),
        ),
      ],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: info }, now),
      explain: ({ conditions }) =>
        conditions.has('feedback')
          ? new ConflictError('Already rated', 'feedback-exists')
          : new ConflictError('Not completed', 'session-not-completed'),
    },
  )
  return info
}

/** The feedback on a session, or `undefined`. One `GetItem`. */
export function getFeedback(store: Store, sessionId: string): Promise<FeedbackItem | undefined> {
  return get(store, Feedback, { sessionId })
}

/** How many sessions of one request erasure walks through per page (a request has a handful). */
const ERASURE_PAGE = 100

/**
 * Erases what the owner wrote about their sessions (UU PDP right to erasure), for the consumer of
 * `RequestDeleted`: every feedback comment of the request's sessions becomes `null`; the rating stays,
 * being no personal data and part of the mentor's record. Safe to repeat.
 * Calls: 1 `Query` per page of sessions + 1 `UpdateItem` per rated session.
 * @returns how many comments were erased
 */
export async function eraseFeedbackOfRequest(store: Store, clock: Clock, requestId: string): Promise<number> {
  let erased = 0
  for await (const { id: sessionId } of everyItem(store, Session.ofRequest(requestId), ERASURE_PAGE)) {
    const erase = { set: { comment: null, erasedAt: clock.now().toISOString() } }
    // Refused when there is no feedback or its comment is gone already: nothing to count.
    if (await write(store, Feedback.update({ sessionId }, erase, { when: Feedback.hasComment }))) erased++
  }
  return erased
}
