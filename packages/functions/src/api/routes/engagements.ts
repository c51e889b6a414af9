import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { PAGE_DEFAULT } from '@pendamping/core/dynamo'
import {
  CloseInput,
  closeEngagement,
  DecisionInput,
  decideEngagement,
  EngagementInfo,
  EngagementListQuery,
  listEngagementsOfMentor,
  ProgressInput,
  ProgressNote,
  readEngagement,
  recordProgress,
} from '@pendamping/core/engagement'
import { currentMentorId } from '@pendamping/core/mentor'
import { PageQuery } from '@pendamping/core/program'
import {
  listSessionsOfRequest,
  NewSessionInput,
  Info as SessionInfo,
  scheduleSession,
} from '@pendamping/core/session'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { mentorOnly, staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

const EngagementPage = z.object({ items: z.array(EngagementInfo), nextCursor: z.nullable(z.string()) })
const SessionPage = z.object({ items: z.array(SessionInfo), nextCursor: z.nullable(z.string()) })
const security = [{ bearer: [] }]

/** Engagements: the mentor's businesses, their sessions and progress notes. */
export function engagementRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  return new Hono<AppEnv>()
    .get(
      '/v1/me/engagements',
      describeRoute({
        summary: 'Your engagements, newest first',
        tags: ['Engagements'],
        security,
        responses: { 200: json(EngagementPage, 'One page of engagements'), ...problems(400, 401, 403, 404) },
      }),
      mentorOnly,
      validate('query', EngagementListQuery),
      async (c) => {
        const query = c.req.valid('query')
        const mentorId = await currentMentorId(deps.store)
        return c.json(
          await listEngagementsOfMentor(deps.store, mentorId, {
            limit: query.limit ?? PAGE_DEFAULT,
            cursor: query.cursor,
            status: query.status,
          }),
        )
      },
    )
    .get(
      '/v1/engagements/:id',
      describeRoute({
        summary: 'Read an engagement',
        description: 'Its mentor, staff of its region, or an admin.',
        tags: ['Engagements'],
        security,
        responses: { 200: json(EngagementInfo, 'The engagement'), ...problems(400, 401, 404) },
      }),
      validate('param', IdParam),
      async (c) => c.json(await readEngagement(deps.store, c.req.valid('param').id)),
    )
    .get(
      '/v1/engagements/:id/sessions',
      describeRoute({
        summary: 'The sessions of an engagement, in time order',
        tags: ['Engagements', 'Sessions'],
        security,
        responses: { 200: json(SessionPage, 'One page of sessions'), ...problems(400, 401, 404) },
      }),
      validate('param', IdParam),
      validate('query', PageQuery),
      async (c) => {
        const engagement = await readEngagement(deps.store, c.req.valid('param').id)
        const query = c.req.valid('query')
        return c.json(
          await listSessionsOfRequest(deps.store, engagement.requestId, {
            limit: query.limit ?? PAGE_DEFAULT,
            cursor: query.cursor,
          }),
        )
      },
    )
    .post(
      '/v1/engagements/:id/sessions',
      describeRoute({
        summary: 'Schedule a session',
        description:
          '`startsAt`/`endsAt` in UTC (`…Z`) on quarter hours, at most 4 hours, in the future; `timeZone` ' +
          'says how people read them (the program’s by default). Online needs an https `meetingUrl`, ' +
          'offline a `place`. 409 `session-overlap` when you already have a session then. Accepts `Idempotency-Key`.',
        tags: ['Sessions'],
        security,
        responses: {
          201: json(SessionInfo, 'The scheduled session'),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      mentorOnly,
      validate('param', IdParam),
      validate('json', NewSessionInput),
      idempotency(deps),
      async (c) =>
        c.json(
          await scheduleSession(deps.store, clock, c.req.valid('param').id, c.req.valid('json'), {
            idempotency: idempotencyClaimOf(c),
          }),
          201,
        ),
    )
    .post(
      '/v1/engagements/:id/progress',
      describeRoute({
        summary: 'Record how the business is doing',
        description: 'Appends a note (and outcomes reached) to the engagement. Accepts `Idempotency-Key`.',
        tags: ['Engagements'],
        security,
        responses: { 201: json(ProgressNote, 'The note'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      mentorOnly,
      validate('param', IdParam),
      validate('json', ProgressInput),
      idempotency(deps),
      async (c) =>
        c.json(
          await recordProgress(deps.store, clock, c.req.valid('param').id, c.req.valid('json'), {
            idempotency: idempotencyClaimOf(c),
          }),
          201,
        ),
    )
    .post(
      '/v1/engagements/:id/close',
      describeRoute({
        summary: 'Close an engagement: completed, or ended early',
        description:
          'Its mentor, staff of its region, or an admin. Frees the mentor’s seat and completes the request. ' +
          '409 `sessions-pending` while a session is still scheduled. Accepts `Idempotency-Key`.',
        tags: ['Engagements'],
        security,
        responses: { 200: json(EngagementInfo, 'The closed engagement'), ...problems(400, 401, 404, 409) },
      }),
      validate('param', IdParam),
      validate('json', CloseInput),
      // One transaction: the stored answer is read only when a retry is refused (docs/contract/budgets.md).
      idempotency({ ...deps, lookup: 'on-refusal' }),
      async (c) =>
        c.json(
          await closeEngagement(deps.store, clock, c.req.valid('param').id, c.req.valid('json').outcome, {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/engagements/:id/decision',
      describeRoute({
        summary: 'Decide an engagement whose mentor was suspended: end it, or reassign the business',
        description:
          'Staff of its region, or an admin, for an engagement in `needs_decision`. `end` ends it and ' +
          'completes the request; `reassign` keeps the engagement, its sessions and notes as history ' +
          '(`reassigned`) and puts the request back into matching without the suspended mentor, who gets ' +
          'no offer for it again. Either frees the mentor’s seat. 409 `engagement-not-awaiting` otherwise. ' +
          'Accepts `Idempotency-Key`.',
        tags: ['Engagements'],
        security,
        responses: {
          200: json(EngagementInfo, 'The decided engagement'),
          ...problems(400, 401, 403, 404, 409),
        },
      }),
      staffOnly,
      validate('param', IdParam),
      validate('json', DecisionInput),
      idempotency(deps),
      async (c) =>
        c.json(
          await decideEngagement(deps.store, clock, c.req.valid('param').id, c.req.valid('json').decision, {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
}
