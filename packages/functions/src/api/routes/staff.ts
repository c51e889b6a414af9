import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { inviteStaff, StaffAccount, StaffInvitation } from '@pendamping/core/account'
import { type AccountDirectory, localAccountDirectory } from '@pendamping/core/directory'
import { systemClock } from '@pendamping/core/store'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import type { AppEnv } from '../env.ts'
import { idempotency, idempotencyClaimOf } from '../middleware/idempotency.ts'
import { staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { json, problems, type RouteDependencies } from './shared.ts'

export interface StaffRouteDependencies extends RouteDependencies {
  /** Where staff accounts are made: Cognito on AWS; the local provider's accounts on `npm start`. */
  accounts?: AccountDirectory | undefined
}

/** `/v1/staff`: staff accounts are made in the product, by an admin or staff of a parent region. */
export function staffRoutes(deps: StaffRouteDependencies) {
  const clock = deps.clock ?? systemClock
  const accounts = deps.accounts ?? localAccountDirectory()
  return new Hono<AppEnv>().post(
    '/v1/staff',
    describeRoute({
      summary: 'Invite a staff member for a region',
      description:
        'An admin invites staff for any region; staff invite staff for a region inside their own (staff of ' +
        '`35` for `35.73`), never for their own or a wider one. The account is made in the user pool ' +
        '(its tokens carry `role: staff` and the region) and the invitation goes by email. Inviting the ' +
        'same email again answers the same account. Accepts `Idempotency-Key`.',
      tags: ['Accounts'],
      security: [{ bearer: [] }],
      responses: { 201: json(StaffAccount, 'The staff account'), ...problems(400, 401, 403, 409, 422) },
    }),
    staffOnly,
    validate('json', StaffInvitation),
    idempotency(deps),
    async (c) =>
      c.json(
        await inviteStaff(deps.store, clock, accounts, c.req.valid('json'), {
          idempotency: idempotencyClaimOf(c),
        }),
        201,
      ),
  )
}
