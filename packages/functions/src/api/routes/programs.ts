import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { idField } from '@pendamping/core/id'
import { CohortPlanInfo, commitProgramCohort, planProgramCohort } from '@pendamping/core/matching'
import {
  createProgram,
  getProgram,
  Info,
  InfoPage,
  listPrograms,
  NewProgram,
  PageQuery,
  ProgramPatch,
  updateProgram,
} from '@pendamping/core/program'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import type { AppEnv } from '../env.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

/** `/v1/programs`: staff run their region's programs and quotas; admins every region's. */
export function programRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  const security = [{ bearer: [] }]
  return new Hono<AppEnv>()
    .post(
      '/v1/programs',
      describeRoute({
        summary: 'Create a program with seat quotas per segment',
        description:
          'Staff create programs inside their own region; admins anywhere, and only admins national ' +
          'programs (`region` absent or `*`). Each segment gets a seat counter. A topic beyond the ' +
          'standard ones becomes one mentors may list as a skill. Accepts `Idempotency-Key`.',
        tags: ['Programs'],
        security,
        responses: {
          201: json(Info, 'The new program with its seat counts'),
          ...problems(400, 401, 403, 409, 422),
        },
      }),
      staffOnly,
      validate('json', NewProgram),
      idempotency(deps),
      async (c) => {
        const program = await createProgram(deps.store, clock, c.req.valid('json'), {
          idempotency: idempotencyClaimOf(c),
        })
        return c.json(program, 201)
      },
    )
    .get(
      '/v1/programs',
      describeRoute({
        summary: 'List the programs of your region, and the national ones',
        description:
          'Staff: the national programs first (to read; only admins edit them), then their region’s, ' +
          'oldest first. Admins: all. `cursor` is the `nextCursor` of the previous page.',
        tags: ['Programs'],
        security,
        responses: { 200: json(InfoPage, 'One page of programs'), ...problems(400, 401, 403) },
      }),
      staffOnly,
      validate('query', PageQuery),
      async (c) => c.json(await listPrograms(deps.store, c.req.valid('query'))),
    )
    .get(
      '/v1/programs/:id',
      describeRoute({
        summary: 'Read a program and its live seat counts',
        tags: ['Programs'],
        security,
        responses: { 200: json(Info, 'The program'), ...problems(400, 401, 403, 404) },
      }),
      staffOnly,
      validate('param', IdParam),
      async (c) => c.json(await getProgram(deps.store, c.req.valid('param').id)),
    )
    .patch(
      '/v1/programs/:id',
      describeRoute({
        summary: 'Edit a program: name, topics, dates, windows, status, quotas',
        description:
          'Status moves `draft → open → closed`. `segments` merges: listed segments get the new quota ' +
          '(never below the seats in use) or are added.',
        tags: ['Programs'],
        security,
        responses: { 200: json(Info, 'The program after the change'), ...problems(400, 401, 403, 404, 409) },
      }),
      staffOnly,
      validate('param', IdParam),
      validate('json', ProgramPatch),
      async (c) =>
        c.json(await updateProgram(deps.store, clock, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post(
      '/v1/programs/:id/cohort-match',
      describeRoute({
        summary: 'Plan a cohort match: the optimal assignment of the program’s open requests',
        description:
          'Maximises first the number of requests matched, then the total score, under mentor capacities ' +
          '(min-cost flow). Nothing is offered yet: commit the plan with the second call within a day.',
        tags: ['Programs'],
        security,
        responses: {
          201: json(CohortPlanInfo, 'The plan, with each pair’s score breakdown'),
          ...problems(401, 403, 404),
        },
      }),
      staffOnly,
      validate('param', IdParam),
      async (c) => c.json(await planProgramCohort(deps.store, clock, c.req.valid('param').id), 201),
    )
    .post(
      '/v1/programs/:id/cohort-match/commit',
      describeRoute({
        summary: 'Commit a cohort plan: its offers are made within seconds',
        tags: ['Programs'],
        security,
        responses: {
          202: json(
            z.object({ planId: z.string(), status: z.literal('committed'), offers: z.number() }),
            'Committed; the offers follow from its event',
          ),
          ...problems(400, 401, 403, 404, 409),
        },
      }),
      staffOnly,
      validate('param', IdParam),
      validate(
        'json',
        z.strictObject({
          planId: idField(),
        }),
      ),
      async (c) =>
        c.json(
          await commitProgramCohort(deps.store, clock, c.req.valid('param').id, c.req.valid('json').planId),
          202,
        ),
    )
}
