import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { Info as FeedbackInfo, FeedbackInput, giveFeedback } from '@pendamping/core/feedback'
import {
  CompletionInput,
  cancelSession,
  completeSession,
  Info,
  readSession,
  rescheduleSession,
  SessionChangeInput,
} from '@pendamping/core/session'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import type { AppEnv } from '../env.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { ownerRoute, trackingTokenOf } from '../middleware/owner.ts'
import { mentorOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

const security = [{ bearer: [] }]

/** Sessions: the mentor reschedules, completes or cancels them; the owner rates them. */
export function sessionRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  return new Hono<AppEnv>()
    .get(
      '/v1/sessions/:id',
      describeRoute({
        summary: 'Read a session',
        description: 'Its mentor, staff of its region, or an admin. Owners see sessions on their request.',
        tags: ['Sessions'],
        security,
        responses: { 200: json(Info, 'The session'), ...problems(400, 401, 404) },
      }),
      validate('param', IdParam),
      async (c) => c.json(await readSession(deps.store, c.req.valid('param').id)),
    )
    .patch(
      '/v1/sessions/:id',
      describeRoute({
        summary: 'Reschedule a session',
        description:
          'New `startsAt`/`endsAt` (UTC, quarter hours, at most 4 hours, in the future), and optionally a ' +
          'new zone, venue or topics. 409 `session-overlap` when the new time clashes with another session.',
        tags: ['Sessions'],
        security,
        responses: { 200: json(Info, 'The session after the change'), ...problems(400, 401, 403, 404, 409) },
      }),
      mentorOnly,
      validate('param', IdParam),
      validate('json', SessionChangeInput),
      async (c) =>
        c.json(await rescheduleSession(deps.store, clock, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post(
      '/v1/sessions/:id/complete',
      describeRoute({
        summary: 'Complete a session that has started, with notes and outcomes; or mark a no-show',
        description: 'Accepts `Idempotency-Key`.',
        tags: ['Sessions'],
        security,
        responses: { 200: json(Info, 'The completed session'), ...problems(400, 401, 403, 404, 409) },
      }),
      mentorOnly,
      validate('param', IdParam),
      validate('json', CompletionInput),
      idempotency(deps),
      async (c) =>
        c.json(
          await completeSession(deps.store, clock, c.req.valid('param').id, c.req.valid('json'), {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/sessions/:id/cancel',
      describeRoute({
        summary: 'Cancel a scheduled session and free its time',
        description: 'Its mentor, staff of its region, or an admin. Accepts `Idempotency-Key`.',
        tags: ['Sessions'],
        security,
        responses: { 200: json(Info, 'The cancelled session'), ...problems(400, 401, 404, 409) },
      }),
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await cancelSession(deps.store, clock, c.req.valid('param').id, {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .use('/v1/sessions/:id/feedback', ownerRoute())
    .post(
      '/v1/sessions/:id/feedback',
      describeRoute({
        summary: 'Rate a completed session (business owner, once)',
        description:
          'With the request’s tracking token in `X-Tracking-Token`. 1–5 and an optional comment; a second ' +
          'rating is 409 `feedback-exists`. Accepts `Idempotency-Key`.',
        tags: ['Sessions', 'Owner'],
        security: [{ trackingToken: [] }],
        responses: { 201: json(FeedbackInfo, 'Thank you'), ...problems(400, 401, 404, 409, 422) },
      }),
      validate('param', IdParam),
      validate('json', FeedbackInput),
      // One transaction: the stored answer is read only when a retry is refused (docs/contract/budgets.md).
      idempotency({ ...deps, lookup: 'on-refusal' }),
      async (c) =>
        c.json(
          await giveFeedback(deps.store, clock, c.req.valid('param').id, c.req.valid('json'), {
            token: trackingTokenOf(c),
            idempotency: idempotencyClaimOf(c),
          }),
          201,
        ),
    )
}
