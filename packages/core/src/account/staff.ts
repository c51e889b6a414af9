import * as z from 'zod/mini'
import { regionCovers, requireAccount } from '../actor/index.ts'
import { StaffRegion } from '../adapters/dynamo/entities/contact.ts'
import { Account } from '../adapters/dynamo/entities/mentor.ts'
import { get, isNew, transact } from '../adapters/dynamo/index.ts'
import { normalizePhone } from '../business/index.ts'
import type { AccountDirectory } from '../directory/index.ts'
import { ConflictError, ForbiddenError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { CONTACT_CHANNELS } from '../notification/channels.ts'
import { isRegionCode } from '../region/index.ts'
import type { Clock, Store } from '../store.ts'
import { AccountEvents } from './events.ts'
import type { AccountItem } from './item.ts'

/** `POST /v1/staff`: who to invite, for which region. */
export const StaffInvitation = z
  .object({
    email: z.pipe(z.string().check(z.maxLength(254), z.trim(), z.toLowerCase()), z.email()),
    name: z.string().check(z.trim(), z.minLength(2), z.maxLength(120)),
    region: z.string().check(z.maxLength(13), z.refine(isRegionCode, 'Not a Kemendagri region code')),
    /** Issue 17: where region alerts reach them besides e-mail (any Indonesian way of writing it). */
    phone: z.optional(
      z.string().check(
        z.maxLength(40),
        z.refine((raw) => normalizePhone(raw) !== undefined, 'field.phone'),
      ),
    ),
    /** How they want region alerts: `email` (the default), `whatsapp` or `sms` (which need `phone`). */
    channel: z.optional(z.enum(CONTACT_CHANNELS, 'field.channel')),
  })
  .check(
    z.refine(
      (input) => input.channel === undefined || input.channel === 'email' || input.phone !== undefined,
      {
        message: 'field.required',
        path: ['phone'],
      },
    ),
  )
export type StaffInvitation = z.infer<typeof StaffInvitation>

/** A staff account as the API shows it. */
export const StaffAccount = z.object({
  sub: z.string(),
  role: z.literal('staff'),
  region: z.string(),
  email: z.string(),
  name: z.string(),
  invitedBy: z.string(),
  createdAt: z.string(),
})
export type StaffAccount = z.infer<typeof StaffAccount>

const staffAccount = (item: AccountItem): StaffAccount => ({
  sub: item.sub,
  role: 'staff',
  region: item.region ?? '',
  email: item.email ?? '',
  name: item.name ?? '',
  invitedBy: item.invitedBy ?? '',
  createdAt: item.createdAt,
})

/**
 * An admin, or staff of a parent region (`35` for `35.73`, never their own region), invites a staff
 * member for `region`: the account is made in the directory (Cognito on AWS; safe to repeat), then
 * one transaction records it and writes `StaffInvited`, whose consumer sends the invitation by the
 * person's channel. Inviting the same email again answers the same account and sends nothing new.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems` (and one directory call).
 *
 * @throws ForbiddenError when the caller's region does not strictly contain `region`
 * @throws ConflictError `account-exists` when the email belongs to another kind of account
 */
export async function inviteStaff(
  store: Store,
  clock: Clock,
  accounts: AccountDirectory,
  input: StaffInvitation,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<StaffAccount> {
  const actor = requireAccount('staff', 'admin')
  const parent =
    actor.role === 'admin' || (regionCovers(actor.region, input.region) && actor.region !== input.region)
  if (!parent) throw new ForbiddenError('Only an admin or staff of a parent region invites staff')
  const { sub } = await accounts.invite({
    email: input.email,
    name: input.name,
    role: 'staff',
    region: input.region,
  })
  const existing = await get(store, Account, { sub })
  if (existing) {
    if (existing.role !== 'staff') throw new ConflictError('Not a staff account', 'account-exists')
    return staffAccount(existing)
  }
  const now = clock.now()
  const item: AccountItem = {
    entity: 'account',
    version: 1,
    sub,
    role: 'staff',
    region: input.region,
    email: input.email,
    ...(input.phone === undefined ? {} : { phone: normalizePhone(input.phone) }),
    ...(input.channel === undefined ? {} : { channel: input.channel }),
    name: input.name,
    invitedBy: actor.sub,
    status: 'active',
    createdAt: now.toISOString(),
  }
  const answer = staffAccount(item)
  await transact(
    store,
    [
      ['account', Account.put(item, { when: isNew })],
      // Issue 17: listed under their region, so its alerts reach them.
      ['region', StaffRegion.put(input.region, sub)],
      [
        'event',
        outbox(
          createEvent(AccountEvents.StaffInvited, { sub, region: input.region, invitedBy: actor.sub }, now),
        ),
      ],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: answer }, now),
      explain: () => new ConflictError('The account was invited meanwhile', 'account-exists'),
    },
  )
  return answer
}
