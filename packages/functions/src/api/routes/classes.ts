import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { useContext } from '@pendamping/core/actor'
import {
  AttendanceInput,
  CatalogQuery,
  CheckInInput,
  ClassInfo,
  ClassPage,
  cancelClass,
  cancelRegistration,
  checkIn,
  closeRegistration,
  createClass,
  DrawInfo,
  formGroups,
  GroupsInput,
  InvitationsInput,
  listCatalog,
  listClasses,
  NewClass,
  NewRegistration,
  openCheckIn,
  ParticipantView,
  publishClass,
  Registered,
  RegistrationInfo,
  RosterPage,
  RosterQuery,
  readClass,
  readDraw,
  readParticipant,
  readRoster,
  recordAttendance,
  registerForClass,
  requestFinish,
  requestInvitations,
  revokeParticipantToken,
  rotateParticipantToken,
} from '@pendamping/core/class'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'
import { formBody } from '../middleware/form.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { ownerRoute, TrackingTokenQuery, trackingTokenOf } from '../middleware/owner.ts'
import { spendPhoneQuota } from '../middleware/rate-limit.ts'
import { staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

const bearer = [{ bearer: [] }]
const participant = [{ trackingToken: [] }]
const tags = ['Classes']

/** A class and one of its meetings (`m1`, `m2` …). */
const MeetingParam = z.strictObject({
  id: IdParam.shape.id,
  meetingId: z.string().check(z.maxLength(3), z.regex(/^m\d{1,2}$/, 'field.meeting')),
})

/** `?scope=region`: staff's own list (drafts included) instead of the public catalog. */
const ClassListQuery = z.extend(CatalogQuery, { scope: z.optional(z.enum(['region'])) })

const Accepted = (what: string) => json(z.object({ classId: z.string() }), what)

/**
 * `/v1/classes`, `/v1/participants`, `/v1/registrations`: staff run classes; anyone registers (JSON
 * or an HTML form) and follows their registrations through a private link; trainers take attendance,
 * show a check-in code and form groups.
 */
export function classRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  const { store } = deps
  return new Hono<AppEnv>()
    .use('/v1/participants/*', ownerRoute())
    .use('/v1/registrations/*', ownerRoute())
    .post(
      '/v1/classes',
      describeRoute({
        summary: 'Create a class of a program (a draft)',
        description:
          'Staff inside their region, admins anywhere (national programs too). Books every trainer’s ' +
          'quarter hours of every meeting: a meeting over a trainer’s session or other meeting is a 409 ' +
          '`meeting-overlap`. Seats per segment default to the program’s. Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: { 201: json(ClassInfo, 'The draft'), ...problems(400, 401, 403, 409, 422) },
      }),
      staffOnly,
      validate('json', NewClass),
      idempotency(deps),
      async (c) =>
        c.json(
          await createClass(store, clock, c.req.valid('json'), { idempotency: idempotencyClaimOf(c) }),
          201,
        ),
    )
    .get(
      '/v1/classes',
      describeRoute({
        summary: 'The class catalog (public), or staff’s list with `scope=region`',
        description:
          'Open, full and running classes by first meeting; `region` (yours: its classes, its parts’, ' +
          'its ancestors’ and national ones), `topic`, `date` (YYYY-MM-DD, WIB), `mode` (`online` includes ' +
          'hybrid, as does `offline`). A filtered page may hold fewer than `limit`: follow `nextCursor`.',
        tags,
        responses: { 200: json(ClassPage, 'One page of classes'), ...problems(400, 401, 403) },
      }),
      validate('query', ClassListQuery),
      async (c) => {
        const { scope, ...filter } = c.req.valid('query')
        return c.json(
          scope === 'region'
            ? await listClasses(store, { cursor: filter.cursor, limit: filter.limit })
            : await listCatalog(store, filter),
        )
      },
    )
    .get(
      '/v1/classes/:id',
      describeRoute({
        summary: 'Read a class with its seats left per segment',
        description:
          'Public once published; a draft only for its region’s staff. A lottery shows its seed hash.',
        tags,
        responses: { 200: json(ClassInfo, 'The class'), ...problems(400, 404) },
      }),
      validate('param', IdParam),
      async (c) => c.json(await readClass(store, c.req.valid('param').id)),
    )
    .post(
      '/v1/classes/:id/publish',
      describeRoute({
        summary: 'Open a draft for registration',
        description:
          'A lottery class gets its seed now; its SHA-256 is public from now on. Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: { 200: json(ClassInfo, 'The open class'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      staffOnly,
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await publishClass(store, clock, c.req.valid('param').id, { idempotency: idempotencyClaimOf(c) }),
        ),
    )
    .post(
      '/v1/classes/:id/close',
      describeRoute({
        summary: 'Close registration now',
        description:
          'A lottery class is then drawn (within seconds) and its seed revealed. Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: { 200: json(ClassInfo, 'The class'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      staffOnly,
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await closeRegistration(store, clock, c.req.valid('param').id, {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/classes/:id/cancel',
      describeRoute({
        summary: 'Cancel a class that has not started',
        description:
          'Frees its trainers’ time at once; every registration is then cancelled and its participant told. ' +
          'Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: { 200: json(ClassInfo, 'The cancelled class'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      staffOnly,
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await cancelClass(store, clock, c.req.valid('param').id, { idempotency: idempotencyClaimOf(c) }),
        ),
    )
    .post(
      '/v1/classes/:id/finish',
      describeRoute({
        summary: 'Finish a class (a trainer or staff)',
        description:
          'Once its last meeting has started. Completion by the class’s rule is decided within seconds ' +
          '(`ParticipantCompleted` per participant). Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: {
          202: json(
            z.object({ classId: z.string(), status: z.literal('finishing'), requestedAt: z.string() }),
            'Finishing',
          ),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await requestFinish(store, clock, c.req.valid('param').id, { idempotency: idempotencyClaimOf(c) }),
          202,
        ),
    )
    .get(
      '/v1/classes/:id/draw',
      describeRoute({
        summary: 'A lottery’s published draw: seed, its hash, the registrations in drawn order',
        description:
          'Anyone re-runs `drawOrder(seed, registrationIds)` (SHA-256 counter stream, Fisher–Yates; see ' +
          'docs/contract/classes-and-certificates.md) and gets the same order. 409 `draw-pending` before the draw.',
        tags,
        responses: { 200: json(DrawInfo, 'The draw'), ...problems(400, 404, 409) },
      }),
      validate('param', IdParam),
      async (c) => c.json(await readDraw(store, c.req.valid('param').id)),
    )
    .post(
      '/v1/classes/:id/registrations',
      describeRoute({
        summary: 'Register for a class (anyone, no account)',
        description:
          'JSON or an HTML form post (`person.name`, `consent.purposes.reminders=true` …). One phone holds ' +
          'one place per class (409 `already-registered`). First come: `confirmed` or `waitlisted` in arrival ' +
          'order; lottery: `registered`, drawn at close. A new participant gets the private link’s token ' +
          'once; with `participantId` and that token (`X-Tracking-Token`) the same person registers again. ' +
          'Accepts `Idempotency-Key`.',
        tags,
        responses: { 201: json(Registered, 'Registered'), ...problems(400, 404, 409, 413, 415, 422) },
      }),
      validate('param', IdParam),
      formBody(NewRegistration),
      validate('json', NewRegistration),
      idempotency(deps),
      async (c) => {
        const input = c.req.valid('json')
        // A replayed retry never gets here: only a new registration spends the phone's quota.
        if (input.person) await spendPhoneQuota(c, deps, input.person.phone)
        const registered = await registerForClass(
          store,
          clock,
          c.req.valid('param').id,
          input,
          trackingTokenOf(c),
          { idempotency: idempotencyClaimOf(c), locale: useContext().locale },
        )
        c.header('cache-control', 'no-store')
        return c.json(registered, 201)
      },
    )
    .get(
      '/v1/classes/:id/roster',
      describeRoute({
        summary: 'The roster: registrations in a status, with attendance per meeting',
        description: 'The class’s trainers, its region’s staff and admins. Other mentors get 403.',
        tags,
        security: bearer,
        responses: { 200: json(RosterPage, 'One page'), ...problems(400, 401, 403, 404) },
      }),
      validate('param', IdParam),
      validate('query', RosterQuery),
      async (c) => c.json(await readRoster(store, c.req.valid('param').id, c.req.valid('query'))),
    )
    .post(
      '/v1/classes/:id/meetings/:meetingId/attendance',
      describeRoute({
        summary: 'Mark attendance of a meeting from the roster (a trainer or staff)',
        description:
          'At most 90 marks per call, once the meeting has started; a registration that is not on the ' +
          'roster is a 400 and nothing is written. Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: {
          200: json(
            z.object({
              classId: z.string(),
              meetingId: z.string(),
              marks: AttendanceInput.shape.marks,
              recordedAt: z.string(),
            }),
            'Recorded',
          ),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      validate('param', MeetingParam),
      validate('json', AttendanceInput),
      idempotency(deps),
      async (c) => {
        const { id, meetingId } = c.req.valid('param')
        return c.json(
          await recordAttendance(store, clock, id, meetingId, c.req.valid('json'), {
            idempotency: idempotencyClaimOf(c),
          }),
        )
      },
    )
    .post(
      '/v1/classes/:id/meetings/:meetingId/check-in-code',
      describeRoute({
        summary: 'The meeting’s check-in code, to show in the room (a trainer or staff)',
        description:
          'Six characters, the same on every call; participants may use it only while the meeting runs.',
        tags,
        security: bearer,
        responses: {
          200: json(
            z.object({
              meetingId: z.string(),
              code: z.string(),
              validFrom: z.string(),
              validUntil: z.string(),
            }),
            'The code',
          ),
          ...problems(400, 401, 403, 404, 409),
        },
      }),
      validate('param', MeetingParam),
      async (c) => {
        const { id, meetingId } = c.req.valid('param')
        c.header('cache-control', 'no-store')
        return c.json(await openCheckIn(store, clock, id, meetingId))
      },
    )
    .post(
      '/v1/classes/:id/meetings/:meetingId/groups',
      describeRoute({
        summary: 'Split a meeting’s attendees into groups (a trainer or staff)',
        description:
          '`by: count` or `size`, optionally by stated interest; each group gets a topic. Groups show on ' +
          'each participant’s page. Forming again replaces them.',
        tags,
        security: bearer,
        responses: {
          200: json(
            z.object({
              meetingId: z.string(),
              groups: z.array(
                z.object({
                  number: z.number(),
                  topic: z.string(),
                  registrationIds: z.array(z.string()),
                  names: z.array(z.string()),
                }),
              ),
            }),
            'The groups',
          ),
          ...problems(400, 401, 403, 404, 409),
        },
      }),
      validate('param', MeetingParam),
      validate('json', GroupsInput),
      async (c) => {
        const { id, meetingId } = c.req.valid('param')
        return c.json(await formGroups(store, clock, id, meetingId, c.req.valid('json')))
      },
    )
    .post(
      '/v1/classes/:id/invitations',
      describeRoute({
        summary: 'Invite a past class’s waitlist or participants to this class (staff)',
        description:
          'Only people who consented to `follow_on_invitations` are invited (within seconds). ' +
          'Accepts `Idempotency-Key`.',
        tags,
        security: bearer,
        responses: { 202: Accepted('Invitations on their way'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      staffOnly,
      validate('param', IdParam),
      validate('json', InvitationsInput),
      idempotency(deps),
      async (c) =>
        c.json(
          await requestInvitations(store, clock, c.req.valid('param').id, c.req.valid('json'), {
            idempotency: idempotencyClaimOf(c),
          }),
          202,
        ),
    )
    .get(
      '/v1/participants/:id',
      describeRoute({
        summary: 'A participant’s registrations, with places, meetings and groups (private link)',
        tags,
        security: participant,
        responses: {
          200: json(ParticipantView, 'The participant’s page'),
          ...problems(400, 404),
        },
      }),
      validate('param', IdParam),
      validate('query', TrackingTokenQuery),
      async (c) => {
        const { participant: _stored, ...view } = await readParticipant(
          store,
          c.req.valid('param').id,
          trackingTokenOf(c),
        )
        return c.json(view)
      },
    )
    .post(
      '/v1/participants/:id/token',
      describeRoute({
        summary: 'Replace the private link’s token (participant)',
        description: 'The old token stops working at once. Accepts `Idempotency-Key`.',
        tags,
        security: participant,
        responses: {
          200: json(z.object({ id: z.string(), participantToken: z.string() }), 'The new token'),
          ...problems(400, 404, 409, 422),
        },
      }),
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await rotateParticipantToken(store, clock, c.req.valid('param').id, trackingTokenOf(c), {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/participants/:id/token/revoke',
      describeRoute({
        summary: 'Revoke the private link’s token (staff)',
        description:
          'For a link that leaked: the token stops working at once and no new one is made. Staff whose ' +
          'region covers the participant’s, or a class they registered for (404 for others).',
        tags,
        security: bearer,
        responses: { 204: { description: 'Revoked' }, ...problems(400, 401, 403, 404, 409) },
      }),
      staffOnly,
      validate('param', IdParam),
      async (c) => {
        await revokeParticipantToken(store, clock, c.req.valid('param').id)
        return c.body(null, 204)
      },
    )
    .post(
      '/v1/registrations/:id/cancel',
      describeRoute({
        summary: 'Cancel a registration (its participant, or staff)',
        description:
          'The seat goes to the oldest waiting registration; the phone may register again. Accepts `Idempotency-Key`.',
        tags,
        security: [...participant, ...bearer],
        responses: { 200: json(RegistrationInfo, 'Cancelled'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      validate('param', IdParam),
      validate('query', TrackingTokenQuery),
      idempotency(deps),
      async (c) =>
        c.json(
          await cancelRegistration(store, clock, c.req.valid('param').id, trackingTokenOf(c), {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .post(
      '/v1/registrations/:id/check-in',
      describeRoute({
        summary: 'Check in with the code shown in the room (participant, during the meeting)',
        tags,
        security: participant,
        responses: { 200: json(RegistrationInfo, 'Marked present'), ...problems(400, 404, 409) },
      }),
      validate('param', IdParam),
      validate('query', TrackingTokenQuery),
      validate('json', CheckInInput),
      async (c) =>
        c.json(
          await checkIn(store, clock, c.req.valid('param').id, trackingTokenOf(c), c.req.valid('json').code),
        ),
    )
}
