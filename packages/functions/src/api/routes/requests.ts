import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import {
  cancelRequest,
  eraseRequest,
  Info,
  listRequests,
  NewRequest,
  RequestListQuery,
  readRequest,
  revokeTrackingTokenAsStaff,
  rotateTrackingToken,
  Submitted,
  Summary,
  submitRequest,
} from '@pendamping/core/request'
import { listSessionsForRequestReader, Info as SessionInfo } from '@pendamping/core/session'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'
import { formBody } from '../middleware/form.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { ownerRoute, trackingTokenOf } from '../middleware/owner.ts'
import { spendPhoneQuota } from '../middleware/rate-limit.ts'
import { staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

const owner: Array<Record<string, string[]>> = [{ trackingToken: [] }, { bearer: [] }]

/**
 * `/v1/requests`: business owners submit publicly (JSON or HTML form) and then act through their
 * tracking token; staff read, list and cancel their region's requests.
 */
export function requestRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  return new Hono<AppEnv>()
    .use('/v1/requests', ownerRoute())
    .use('/v1/requests/*', ownerRoute())
    .post(
      '/v1/requests',
      describeRoute({
        summary: 'Ask for a mentor',
        description:
          'Public. JSON or an HTML form post (`application/x-www-form-urlencoded`, fields named ' +
          '`business.name` or `business[name]`, repeated or `needs[]` for lists). With `programId` and ' +
          '`segment`, a seat is taken or the request is waitlisted in arrival order. The answer carries ' +
          'the tracking token, shown only this once. Accepts `Idempotency-Key`. A phone holds one open ' +
          'request per program (409 `phone-has-request`: follow that one through its tracking link). ' +
          'Rate-limited per client address and per phone (429 `rate-limited`).',
        tags: ['Requests'],
        security: [{}],
        responses: {
          201: json(Submitted, 'Submitted: `matching` (seat taken or no program) or `waitlisted`'),
          ...problems(400, 409, 413, 415, 422, 429),
        },
      }),
      formBody(NewRequest),
      validate('json', NewRequest),
      idempotency(deps),
      async (c) => {
        const input = c.req.valid('json')
        // A replayed retry never gets here: only a new submission spends the phone's quota.
        await spendPhoneQuota(c, deps, input.business.phone)
        // A form post gets the same JSON answer; the pages' form is `/minta-pendampingan`.
        const submitted = await submitRequest(deps.store, clock, input, {
          idempotency: idempotencyClaimOf(c),
        })
        return c.json(submitted, 201)
      },
    )
    .get(
      '/v1/requests',
      describeRoute({
        summary: 'List requests in a status (staff)',
        description:
          'Your region’s requests in `status`, oldest first; with `program` (and `segment`) that program’s, ' +
          'in queue order. `cursor` is the `nextCursor` of the previous page.',
        tags: ['Requests'],
        security: [{ bearer: [] }],
        responses: {
          200: json(z.object({ items: z.array(Summary), nextCursor: z.nullable(z.string()) }), 'One page'),
          ...problems(400, 401, 403),
        },
      }),
      staffOnly,
      validate('query', RequestListQuery),
      async (c) => c.json(await listRequests(deps.store, c.req.valid('query'))),
    )
    .get(
      '/v1/requests/:id',
      describeRoute({
        summary: 'Read a request (owner with token, or its region’s staff)',
        tags: ['Requests'],
        security: owner,
        responses: { 200: json(Info, 'The request'), ...problems(400, 401, 403, 404) },
      }),
      validate('param', IdParam),
      async (c) => c.json(await readRequest(deps.store, c.req.valid('param').id, trackingTokenOf(c))),
    )
    .get(
      '/v1/requests/:id/sessions',
      describeRoute({
        summary: 'The sessions of a request, in time order (owner with token, or its region’s staff)',
        tags: ['Requests'],
        security: owner,
        responses: {
          200: json(
            z.object({ items: z.array(SessionInfo), nextCursor: z.nullable(z.string()) }),
            'Sessions',
          ),
          ...problems(400, 401, 403, 404),
        },
      }),
      validate('param', IdParam),
      validate('query', z.object({ cursor: z.optional(z.string().check(z.maxLength(512))) })),
      async (c) => {
        const { cursor } = c.req.valid('query')
        return c.json(
          await listSessionsForRequestReader(deps.store, c.req.valid('param').id, trackingTokenOf(c), {
            cursor,
          }),
        )
      },
    )
    .post(
      '/v1/requests/:id/cancel',
      describeRoute({
        summary: 'Cancel an open request (owner or staff)',
        description: 'From `waitlisted`, `matching` or `offered`; frees the seat. Accepts `Idempotency-Key`.',
        tags: ['Requests'],
        security: owner,
        responses: {
          200: json(z.object({ id: z.string(), status: z.literal('cancelled') }), 'Cancelled'),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await cancelRequest(deps.store, clock, c.req.valid('param').id, trackingTokenOf(c), {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/requests/:id/tracking-token',
      describeRoute({
        summary: 'Replace the tracking token (owner)',
        description: 'The old token stops working at once. Accepts `Idempotency-Key`.',
        tags: ['Requests'],
        security: [{ trackingToken: [] }],
        responses: {
          200: json(z.object({ id: z.string(), trackingToken: z.string() }), 'The new token'),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await rotateTrackingToken(deps.store, clock, c.req.valid('param').id, trackingTokenOf(c), {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/requests/:id/tracking-token/revoke',
      describeRoute({
        summary: 'Revoke the tracking token (staff)',
        description:
          'For a link that leaked: the token stops working at once and no new one is made; the owner ' +
          'cannot open the request until staff help them. Staff of the request’s region (404 for others).',
        tags: ['Requests'],
        security: [{ bearer: [] }],
        responses: { 204: { description: 'Revoked' }, ...problems(400, 401, 403, 404, 409) },
      }),
      staffOnly,
      validate('param', IdParam),
      async (c) => {
        await revokeTrackingTokenAsStaff(deps.store, c.req.valid('param').id)
        return c.body(null, 204)
      },
    )
    .delete(
      '/v1/requests/:id',
      describeRoute({
        summary: 'Erase your personal data (owner)',
        description:
          'UU PDP right to erasure: names, phone, email and description are removed, anonymous facts kept ' +
          'for reports, the token revoked; an open request is cancelled.',
        tags: ['Requests'],
        security: [{ trackingToken: [] }],
        responses: { 204: { description: 'Erased' }, ...problems(400, 401, 403, 404, 409) },
      }),
      validate('param', IdParam),
      async (c) => {
        await eraseRequest(deps.store, clock, c.req.valid('param').id, trackingTokenOf(c))
        return c.body(null, 204)
      },
    )
}
