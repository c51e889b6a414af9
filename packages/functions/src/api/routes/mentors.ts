import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { type AccountDirectory, localAccountDirectory } from '@pendamping/core/directory'
import {
  applyAsMentor,
  approveMentor,
  changeMentorStatus,
  Info,
  listMentors,
  MentorApplication,
  MentorListQuery,
  MentorPatch,
  MentorStatusChange,
  readMentor,
  readOwnProfile,
  updateOwnProfile,
} from '@pendamping/core/mentor'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'
import { formBody } from '../middleware/form.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { spendPhoneQuota } from '../middleware/rate-limit.ts'
import { mentorOnly, staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

export interface MentorRouteDependencies extends RouteDependencies {
  /** Where approved mentors get their accounts: Cognito on AWS; the local directory by default. */
  accounts?: AccountDirectory | undefined
}

const Applied = z.object({ id: z.string(), status: z.literal('applied') })
const MentorPage = z.object({ items: z.array(Info), nextCursor: z.nullable(z.string()) })
const security = [{ bearer: [] }]

/**
 * Mentors: public applications, staff review and approval in their region, and the mentor's own
 * profile (`/v1/me`).
 */
export function mentorRoutes(deps: MentorRouteDependencies) {
  const clock = deps.clock ?? systemClock
  const accounts = deps.accounts ?? localAccountDirectory()
  return new Hono<AppEnv>()
    .post(
      '/v1/mentor-applications',
      describeRoute({
        summary: 'Apply to be a mentor',
        description:
          'Public. JSON or an HTML form post. Skills are standard topics with a level 1–3; availability ' +
          'is weekly slots in `timeZone` (the home region’s zone by default). Staff of the home region ' +
          'review it. Accepts `Idempotency-Key`. Rate-limited per client address and per phone.',
        tags: ['Mentors'],
        security: [{}],
        responses: {
          201: json(Applied, 'Received, waiting for approval'),
          ...problems(400, 413, 415, 422, 429),
        },
      }),
      formBody(MentorApplication),
      validate('json', MentorApplication),
      idempotency(deps),
      async (c) => {
        const input = c.req.valid('json')
        await spendPhoneQuota(c, deps, input.phone)
        return c.json(
          await applyAsMentor(deps.store, clock, input, { idempotency: idempotencyClaimOf(c) }),
          201,
        )
      },
    )
    .get(
      '/v1/mentors',
      describeRoute({
        summary: 'List mentors of your region by status (applications by default)',
        description:
          'Staff see their region, admins all; oldest first. `cursor` is the previous `nextCursor`.',
        tags: ['Mentors'],
        security,
        responses: { 200: json(MentorPage, 'One page of mentors'), ...problems(400, 401, 403) },
      }),
      staffOnly,
      validate('query', MentorListQuery),
      async (c) => c.json(await listMentors(deps.store, c.req.valid('query'))),
    )
    .get(
      '/v1/mentors/:id',
      describeRoute({
        summary: 'Read a mentor of your region, with their load and rating',
        tags: ['Mentors'],
        security,
        responses: { 200: json(Info, 'The mentor'), ...problems(400, 401, 403, 404) },
      }),
      staffOnly,
      validate('param', IdParam),
      async (c) => c.json(await readMentor(deps.store, c.req.valid('param').id)),
    )
    .post(
      '/v1/mentors/:id/approve',
      describeRoute({
        summary: 'Approve an application: the mentor becomes active and gets an account',
        description:
          'Staff of the mentor’s home region, or an admin. The account (Cognito on AWS) is invited by ' +
          'email; its tokens carry `role: mentor` and the mentor’s region. Accepts `Idempotency-Key`.',
        tags: ['Mentors'],
        security,
        responses: { 200: json(Info, 'The approved mentor'), ...problems(400, 401, 403, 404, 409) },
      }),
      staffOnly,
      validate('param', IdParam),
      idempotency(deps),
      async (c) =>
        c.json(
          await approveMentor(deps.store, clock, accounts, c.req.valid('param').id, {
            idempotency: idempotencyClaimOf(c),
          }),
        ),
    )
    .patch(
      '/v1/mentors/:id',
      describeRoute({
        summary: 'Suspend a mentor, or lift a suspension',
        description:
          'A suspended mentor gets no offers and cannot accept any; engagements under way continue.',
        tags: ['Mentors'],
        security,
        responses: { 200: json(Info, 'The mentor after the change'), ...problems(400, 401, 403, 404, 409) },
      }),
      staffOnly,
      validate('param', IdParam),
      validate('json', MentorStatusChange),
      async (c) =>
        c.json(
          await changeMentorStatus(deps.store, clock, c.req.valid('param').id, c.req.valid('json').status),
        ),
    )
    .get(
      '/v1/me',
      describeRoute({
        summary: 'Your mentor profile, load and rating',
        tags: ['Mentor self-service'],
        security,
        responses: { 200: json(Info, 'Your profile'), ...problems(401, 403, 404) },
      }),
      mentorOnly,
      async (c) => c.json(await readOwnProfile(deps.store)),
    )
    .patch(
      '/v1/me',
      describeRoute({
        summary: 'Edit your profile; pause or resume',
        description:
          '`status: paused` takes you out of matching (resume to accept an offer still open), ' +
          '`active` brings you back. Capacity cannot go below the businesses you mentor now.',
        tags: ['Mentor self-service'],
        security,
        responses: { 200: json(Info, 'Your profile after the change'), ...problems(400, 401, 403, 404, 409) },
      }),
      mentorOnly,
      validate('json', MentorPatch),
      async (c) => c.json(await updateOwnProfile(deps.store, clock, c.req.valid('json'))),
    )
}
