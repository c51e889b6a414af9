import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { visibleTo } from '@pendamping/core/account'
import { requireAccount } from '@pendamping/core/actor'
import { PAGE_DEFAULT } from '@pendamping/core/dynamo'
import { EngagementInfo } from '@pendamping/core/engagement'
import { currentMentorId } from '@pendamping/core/mentor'
import {
  acceptOffer,
  DeclineInput,
  declineOffer,
  getOffer,
  Info,
  listOffersOfMentor,
  OfferListQuery,
  offerInfo,
} from '@pendamping/core/offer'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { mentorOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

const OfferPage = z.object({ items: z.array(Info), nextCursor: z.nullable(z.string()) })
const security = [{ bearer: [] }]

/** Offers: a mentor reads, accepts or declines the requests matching proposed to them. */
export function offerRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  return new Hono<AppEnv>()
    .get(
      '/v1/me/offers',
      describeRoute({
        summary: 'Your offers, newest first',
        description: 'Each with the business’s needs and shape (nothing personal) and the score breakdown.',
        tags: ['Offers'],
        security,
        responses: { 200: json(OfferPage, 'One page of offers'), ...problems(400, 401, 403, 404) },
      }),
      mentorOnly,
      validate('query', OfferListQuery),
      async (c) => {
        const query = c.req.valid('query')
        const mentorId = await currentMentorId(deps.store)
        return c.json(
          await listOffersOfMentor(deps.store, mentorId, {
            limit: query.limit ?? PAGE_DEFAULT,
            cursor: query.cursor,
            status: query.status,
          }),
        )
      },
    )
    .get(
      '/v1/offers/:id',
      describeRoute({
        summary: 'Read an offer',
        description: 'Its mentor, staff of its region, or an admin.',
        tags: ['Offers'],
        security,
        responses: { 200: json(Info, 'The offer'), ...problems(400, 401, 404) },
      }),
      validate('param', IdParam),
      async (c) => {
        const account = requireAccount()
        return c.json(
          offerInfo(visibleTo(account, await getOffer(deps.store, c.req.valid('param').id), 'offer')),
        )
      },
    )
    .post(
      '/v1/offers/:id/accept',
      describeRoute({
        summary: 'Accept your offer: the engagement starts',
        description:
          'Only while the offer is open and before it expires, only with a free seat (active engagements ' +
          'below your capacity), and only if no other mentor took the request: 409 with `type` ' +
          '`offer-expired`, `offer-closed`, `offer-taken`, `capacity-full` or `mentor-not-active` otherwise. ' +
          'Accepts `Idempotency-Key`.',
        tags: ['Offers'],
        security,
        responses: {
          201: json(EngagementInfo, 'The engagement'),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      mentorOnly,
      validate('param', IdParam),
      // One transaction: the stored answer is read only when a retry is refused (docs/contract/budgets.md).
      idempotency({ ...deps, lookup: 'on-refusal' }),
      async (c) =>
        c.json(
          await acceptOffer(deps.store, clock, c.req.valid('param').id, {
            idempotency: idempotencyClaimOf(c),
          }),
          201,
        ),
    )
    .post(
      '/v1/offers/:id/decline',
      describeRoute({
        summary: 'Decline your offer, with a reason',
        description:
          'The request goes to the next best mentor; it is never offered to you again. Accepts `Idempotency-Key`.',
        tags: ['Offers'],
        security,
        responses: { 200: json(Info, 'The declined offer'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      mentorOnly,
      validate('param', IdParam),
      validate('json', DeclineInput),
      idempotency({ ...deps, lookup: 'on-refusal' }),
      async (c) =>
        c.json(
          await declineOffer(deps.store, clock, c.req.valid('param').id, c.req.valid('json'), {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
}
