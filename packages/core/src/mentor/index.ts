/**
 * Mentors: apply publicly, are approved by staff of their region (which creates their account), then
 * edit their own skills, availability, capacity and pause state.
 *
 * While a mentor is `active`, the matching directory holds one item per skill (`DirectoryEntry`,
 * in the sparse `byTopic` index) with the profile matching needs; it is written, rewritten and removed
 * in the same transaction as the change that calls for it, so matching never sees a stale profile.
 * The load counter (`MentorLoad`: `active` of `capacity`, and the rating sum and count) is the one
 * item every accept, close and rating touches.
 */
import * as z from 'zod/mini'
import { accountLinkPut, accountStatusUpdate, forgetAccount, mentorIdOfAccount } from '../account/index.ts'
import { type Actor, regionCovers, requireAccount } from '../actor/index.ts'
import { DirectoryEntry, Mentor, MentorLoad } from '../adapters/dynamo/entities/mentor.ts'
import { ProgramTopic } from '../adapters/dynamo/entities/topic.ts'
import {
  batchGet,
  get,
  PAGE_DEFAULT,
  type Page,
  query,
  type Step,
  transact,
} from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { normalizePhone } from '../business/index.ts'
import type { AccountDirectory } from '../directory/index.ts'
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import type { MentorProfile, WeeklySlot } from '../matching/profile.ts'
import { requireCurrentNotice } from '../privacy/consent.ts'
import type { AvailabilitySlot, WEEKDAYS } from '../request/index.ts'
import type { Clock, Store } from '../store.ts'
import { zoneOfRegion } from '../time/index.ts'
import { isTopic } from '../topic/index.ts'
import { MentorEvents } from './events.ts'
import type { MentorApplication, MentorListQuery, MentorPatch } from './input.ts'
import { type DirectoryProfile, type LoadItem, MentorItem, type MentorStatus } from './item.ts'

export * from './input.ts'
export * from './item.ts'
export { unwindSuspension } from './suspension.ts'
export { MentorEvents }

/** A mentor as the API shows them (to themselves and to staff); `load` when it was read. */
export const Info = z.extend(
  z.pick(MentorItem, {
    id: true,
    status: true,
    name: true,
    email: true,
    phone: true,
    region: true,
    regionsServed: true,
    skills: true,
    modes: true,
    languages: true,
    availability: true,
    timeZone: true,
    capacity: true,
    bio: true,
    appliedAt: true,
    approvedAt: true,
  }),
  {
    load: z.optional(
      z.object({
        active: z.number(),
        capacity: z.number(),
        rating: z.nullable(z.number()),
        ratings: z.number(),
      }),
    ),
  },
)
export type Info = z.infer<typeof Info>

export function mentorInfo(mentor: MentorItem, load?: LoadItem): Info {
  const {
    entity: _entity,
    version: _version,
    consent: _consent,
    updatedAt: _updated,
    approvedBy: _by,
    accountSub: _sub,
    rev: _rev,
    ...info
  } = mentor
  if (!load) return info
  return {
    ...info,
    load: {
      active: load.active,
      capacity: load.capacity,
      rating: load.ratingCount > 0 ? Math.round((load.ratingSum / load.ratingCount) * 100) / 100 : null,
      ratings: load.ratingCount,
    },
  }
}

const messages = {
  'problem.mentor-not-applied': {
    id: 'Pendaftaran sudah diproses',
    en: 'The application was already handled',
  },
  'problem.mentor-not-applied.detail': {
    id: 'Mentor ini sudah disetujui atau statusnya berubah.',
    en: 'This mentor was already approved or changed status.',
  },
  'problem.mentor-suspended': { id: 'Akun mentor ditangguhkan', en: 'The mentor account is suspended' },
  'problem.mentor-suspended.detail': {
    id: 'Hubungi petugas program di wilayah Anda.',
    en: 'Contact the program staff of your region.',
  },
  'problem.capacity-below-active': {
    id: 'Kapasitas di bawah jumlah dampingan aktif',
    en: 'Capacity below active engagements',
  },
  'problem.capacity-below-active.detail': {
    id: 'Kapasitas tidak boleh lebih kecil dari jumlah usaha yang sedang Anda dampingi.',
    en: 'Capacity cannot be lower than the number of businesses you are mentoring now.',
  },
  'problem.account-exists': { id: 'Akun sudah ada', en: 'The account already exists' },
  'problem.account-exists.detail': {
    id: 'Email ini sudah dipakai akun lain.',
    en: 'This email already belongs to another account.',
  },
  'problem.stale': { id: 'Data telah berubah', en: 'The data has changed' },
  'problem.stale.detail': {
    id: 'Data diubah orang lain pada saat yang sama. Muat ulang lalu coba lagi.',
    en: 'Someone changed the data at the same time. Reload and try again.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))

const DAY_NUMBER: Record<(typeof WEEKDAYS)[number], number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
}

/** Weekly slots as the API writes them (`mon`) → as matching reads them (`1`). */
export function weeklySlots(slots: readonly AvailabilitySlot[]): WeeklySlot[] {
  return slots.map((slot) => ({ day: DAY_NUMBER[slot.day], from: slot.from, to: slot.to }))
}

/** The profile matching reads from the directory. */
export function directoryProfile(mentor: MentorItem, sub: string): DirectoryProfile {
  return {
    mentorId: mentor.id,
    sub,
    skills: mentor.skills,
    regions: [mentor.region, ...mentor.regionsServed.filter((code) => code !== mentor.region)],
    modes: mentor.modes,
    languages: mentor.languages,
    availability: weeklySlots(mentor.availability),
    zone: mentor.timeZone,
  }
}

/** A directory entry as matching sees it, with the live load read separately. */
export function profileOf(
  entry: DirectoryProfile,
  load: Pick<LoadItem, 'active' | 'capacity' | 'ratingSum' | 'ratingCount'>,
): MentorProfile & { sub: string } {
  return {
    id: entry.mentorId,
    sub: entry.sub,
    status: 'active',
    skills: entry.skills,
    regions: entry.regions,
    modes: entry.modes,
    languages: entry.languages,
    availability: entry.availability,
    capacity: load.capacity,
    active: load.active,
    rating: { sum: load.ratingSum, count: load.ratingCount },
    zone: entry.zone,
  }
}

/**
 * The directory writes that take a mentor from `before` to `after`: a `Put` per skill while active
 * (overwriting the profile), a `Delete` per skill no longer listed. A mentor not active has no entries.
 */
function directoryChanges(before: MentorItem, after: MentorItem, sub: string): Step<'directory'>[] {
  const listed = (mentor: MentorItem) =>
    new Set(mentor.status === 'active' ? mentor.skills.map((skill) => skill.topic) : [])
  const has = listed(after)
  const profile = directoryProfile(after, sub)
  const entry = ({ topic, level }: MentorItem['skills'][number]) =>
    DirectoryEntry.put({ entity: 'mentorTopic', version: 1, topic, level, profile }, after.region)
  return [
    ...after.skills.filter((skill) => has.has(skill.topic)).map(entry),
    ...[...listed(before)]
      .filter((topic) => !has.has(topic))
      .map((topic) => DirectoryEntry.remove({ mentorId: after.id, topic })),
  ].map((item) => ['directory', item] as const)
}

/** The mentor's whole item, only at the `rev` read (a new mentor: only if there is none). */
const mentorPut = (mentor: MentorItem, read?: MentorItem) =>
  Mentor.put(mentor, read ? { when: Mentor.atRev(read.rev) } : {})

/**
 * A check per skill that is not a standard topic, inside the mentor's transaction: some program must
 * list it (`ProgramTopic`). Each step is named by the skill's place (`skills.2`), for {@link unknownSkills}.
 */
function programTopicChecks(skills: readonly { topic: string }[]): Step[] {
  return skills.flatMap((skill, index) =>
    isTopic(skill.topic) ? [] : [[`skills.${index}`, ProgramTopic.known(skill.topic)] as const],
  )
}

/** The skills a refused transaction names as unknown topics, as a `ValidationError`; none: `undefined`. */
function unknownSkills(conditions: ReadonlySet<string>): ValidationError | undefined {
  const issues = [...conditions]
    .filter((name) => name.startsWith('skills.'))
    .map((name) => ({ path: `${name}.topic`, key: 'field.topic' }))
  return issues.length > 0 ? new ValidationError(issues) : undefined
}

function mentorDetail(mentor: MentorItem) {
  return { mentorId: mentor.id, region: mentor.region, skills: mentor.skills.map((skill) => skill.topic) }
}

/**
 * A public application: the mentor is stored as `applied`, listed for staff of their region, and
 * `MentorApplied` is written, in one transaction, which also checks that a skill beyond the standard
 * topics is one a program added. Calls: 1 `TransactWriteItems`.
 *
 * @throws ValidationError `skills.<n>.topic` for a topic no program lists
 */
export async function applyAsMentor(
  store: Store,
  clock: Clock,
  input: MentorApplication,
  options: {
    idempotency?: IdempotencyClaim | undefined
    /** A fixed id, for demo seeds and imports; a new random id otherwise. */
    id?: string | undefined
  } = {},
): Promise<{ id: string; status: 'applied' }> {
  requireCurrentNotice(input.consent.purposeVersion)
  const now = clock.now()
  const at = now.toISOString()
  const mentor: MentorItem = {
    entity: 'mentor',
    version: 1,
    id: options.id ?? newId(),
    status: 'applied',
    name: input.name,
    email: input.email,
    phone: normalizePhone(input.phone) ?? input.phone,
    region: input.region,
    regionsServed: input.regionsServed,
    skills: input.skills.map((skill) => ({ topic: skill.topic, level: skill.level as 1 | 2 | 3 })),
    modes: input.modes,
    languages: input.languages,
    availability: input.availability,
    timeZone: input.timeZone ?? zoneOfRegion(input.region),
    capacity: input.capacity,
    bio: input.bio,
    consent: { accepted: true, purposeVersion: input.consent.purposeVersion, recordedAt: at },
    appliedAt: at,
    updatedAt: at,
    approvedAt: null,
    approvedBy: null,
    accountSub: null,
    rev: 1,
  }
  const answer = { id: mentor.id, status: 'applied' as const }
  await transact(
    store,
    [
      ['mentor', mentorPut(mentor)],
      ...programTopicChecks(mentor.skills),
      ['event', outbox(createEvent(MentorEvents.Applied, mentorDetail(mentor), now))],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: answer }, now),
      explain: ({ conditions }) => unknownSkills(conditions) ?? new ConflictError('Id collision', 'conflict'),
    },
  )
  return answer
}

/** One mentor as stored, strongly consistent, or `undefined`. One `GetItem`. */
export function getMentor(store: Store, id: string): Promise<MentorItem | undefined> {
  return get(store, Mentor, { id })
}

/** A mentor and their load counter in one `BatchGetItem` (strongly consistent). */
async function getMentorWithLoad(
  store: Store,
  id: string,
): Promise<{ mentor: MentorItem; load: LoadItem | undefined } | undefined> {
  const [mentor, load] = await batchGet(
    store,
    [
      [Mentor, { id }],
      [MentorLoad, { mentorId: id }],
    ],
    {
      consistent: true,
    },
  )
  return mentor ? { mentor, load } : undefined
}

type StaffActor = Extract<Actor, { kind: 'account' }>

function staffOf(mentor: MentorItem | undefined): { mentor: MentorItem; actor: StaffActor } {
  const actor = requireAccount('staff', 'admin')
  if (!mentor || !regionCovers(actor.region, mentor.region)) throw new NotFoundError('No such mentor')
  return { mentor, actor }
}

/** A mentor with their load, for staff of their region and admins. Calls: 1 `BatchGetItem`. */
export async function readMentor(store: Store, id: string): Promise<Info> {
  requireAccount('staff', 'admin')
  const found = await getMentorWithLoad(store, id)
  const { mentor } = staffOf(found?.mentor)
  return mentorInfo(mentor, found?.load)
}

/**
 * Mentors of one status inside the caller's region (or a narrower `region`), oldest application
 * first: staff see their region, admins all. One `Query` on `byRegion` (`MENTOR#<status>`).
 */
export async function listMentors(store: Store, list: MentorListQuery): Promise<Page<Info>> {
  const actor = requireAccount('staff', 'admin')
  const scope = list.region && regionCovers(actor.region, list.region) ? list.region : actor.region
  if (list.region && scope !== list.region) return { items: [], nextCursor: null }
  const page = await query(store, Mentor.inRegion(list.status, scope), {
    limit: list.limit ?? PAGE_DEFAULT,
    cursor: list.cursor,
  })
  return {
    items: page.items
      // `35.7` would prefix `35.73`; codes are fixed-width, but keep the region rule exact.
      .filter((mentor) => scope === '*' || regionCovers(scope, mentor.region))
      .map((mentor) => mentorInfo(mentor)),
    nextCursor: page.nextCursor,
  }
}

/**
 * Staff of the mentor's region (or an admin) approve an application. The account is created first
 * (idempotent: a retried approval finds the same account), then one transaction makes the mentor
 * `active`, links the account's `sub` to the mentor, creates the load counter, lists the mentor in the
 * matching directory, and writes `MentorApproved`.
 * Calls: 1 `GetItem` + 1 `TransactWriteItems` (and one account-directory call).
 */
export async function approveMentor(
  store: Store,
  clock: Clock,
  accounts: AccountDirectory,
  id: string,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Info> {
  const { mentor, actor } = staffOf(await getMentor(store, id))
  if (mentor.status !== 'applied') throw new ConflictError('Not an application', 'mentor-not-applied')
  const { sub } = await accounts.invite({
    email: mentor.email,
    name: mentor.name,
    role: 'mentor',
    region: mentor.region,
    mentorId: mentor.id,
  })
  const now = clock.now()
  const at = now.toISOString()
  const approved: MentorItem = {
    ...mentor,
    status: 'active',
    approvedAt: at,
    approvedBy: actor.sub,
    accountSub: sub,
    updatedAt: at,
    rev: mentor.rev + 1,
  }
  const load: LoadItem = {
    entity: 'mentorLoad',
    version: 1,
    mentorId: mentor.id,
    active: 0,
    capacity: mentor.capacity,
    ratingSum: 0,
    ratingCount: 0,
  }
  const answer = mentorInfo(approved, load)
  await transact(
    store,
    [
      ['mentor', mentorPut(approved, mentor)],
      ['account', accountLinkPut(sub, mentor.id, now)],
      ['load', MentorLoad.put({ ...load, updatedAt: at })],
      ...directoryChanges(mentor, approved, sub),
      [
        'event',
        outbox(createEvent(MentorEvents.Approved, { ...mentorDetail(approved), approvedBy: actor.sub }, now)),
      ],
    ],
    {
      idempotency: storeAnswer(options.idempotency, { status: 200, body: answer }, now),
      explain: ({ conditions }) =>
        conditions.has('account')
          ? new ConflictError('The account is linked to another mentor', 'account-exists')
          : new ConflictError('The application changed meanwhile', 'mentor-not-applied'),
    },
  )
  return answer
}

/** The signed-in mentor's id, or 404 when the account is not a mentor's. One `GetItem`. */
export async function currentMentorId(store: Store): Promise<string> {
  const account = requireAccount('mentor')
  const mentorId = await mentorIdOfAccount(store, account.sub)
  if (!mentorId) throw new NotFoundError('No mentor profile for this account')
  return mentorId
}

/** The signed-in mentor's profile and load. Calls: 1 `GetItem` (account) + 1 `BatchGetItem`. */
export async function readOwnProfile(store: Store): Promise<Info> {
  const found = await getMentorWithLoad(store, await currentMentorId(store))
  if (!found) throw new NotFoundError('No mentor profile for this account')
  return mentorInfo(found.mentor, found.load)
}

function changeDetail(mentor: MentorItem) {
  return { ...mentorDetail(mentor), status: mentor.status, capacity: mentor.capacity }
}

/**
 * The signed-in mentor edits their profile or pauses/resumes. One transaction: the mentor (only at the
 * `rev` read), the load's capacity when it changes (only if not below the active engagements), the
 * directory entries (rewritten, added or removed), and `MentorUpdated`.
 * Calls: 1 `GetItem` (account) + 1 `BatchGetItem` + 1 `TransactWriteItems`.
 *
 * @throws ConflictError `mentor-suspended`, `capacity-below-active`, `stale`
 */
export async function updateOwnProfile(store: Store, clock: Clock, patch: MentorPatch): Promise<Info> {
  const found = await getMentorWithLoad(store, await currentMentorId(store))
  if (!found?.load || !found.mentor.accountSub) throw new NotFoundError('No mentor profile')
  const { mentor: before, load } = found
  const sub = found.mentor.accountSub
  if (before.status === 'suspended') throw new ConflictError('Suspended', 'mentor-suspended')
  if (patch.capacity !== undefined && patch.capacity < load.active)
    throw new ConflictError('Capacity below active', 'capacity-below-active')
  const now = clock.now()
  const at = now.toISOString()
  const after: MentorItem = {
    ...before,
    ...(patch.skills && {
      skills: patch.skills.map((s) => ({ topic: s.topic, level: s.level as 1 | 2 | 3 })),
    }),
    ...(patch.modes && { modes: patch.modes }),
    ...(patch.languages && { languages: patch.languages }),
    ...(patch.availability && { availability: patch.availability }),
    ...(patch.timeZone && { timeZone: patch.timeZone }),
    ...(patch.regionsServed && { regionsServed: patch.regionsServed }),
    ...(patch.capacity !== undefined && { capacity: patch.capacity }),
    ...(patch.bio !== undefined && { bio: patch.bio }),
    ...(patch.status && { status: patch.status }),
    updatedAt: at,
    rev: before.rev + 1,
  }
  const capacity: Step<'load'>[] =
    after.capacity === load.capacity ? [] : [['load', MentorLoad.setCapacity(before.id, after.capacity, at)]]
  await transact(
    store,
    [
      ['mentor', mentorPut(after, before)],
      ...directoryChanges(before, after, sub),
      ['event', outbox(createEvent(MentorEvents.Updated, changeDetail(after), now))],
      ...capacity,
      ...(patch.skills ? programTopicChecks(after.skills) : []),
    ],
    {
      explain: ({ conditions }) =>
        unknownSkills(conditions) ??
        (conditions.has('load')
          ? new ConflictError('Capacity below active', 'capacity-below-active')
          : new ConflictError('Changed meanwhile', 'stale')),
    },
  )
  return mentorInfo(after, { ...load, capacity: after.capacity })
}

/**
 * Staff of the mentor's region (or an admin) suspend a mentor, or lift a suspension (back to
 * `active`). One transaction: the mentor, the directory (emptied or refilled), the account link's
 * status (from then on the API refuses every token and page session the account still holds), and
 * `MentorUpdated` with `MentorSuspended` or `MentorReinstated`, whose consumers disable or enable the
 * account at the provider and, on suspension, withdraw the open offers for matching again, hand active
 * engagements to staff for a decision and cancel future sessions (`suspension.ts`). Reinstating
 * restores the account, not the withdrawn work. Calls: 1 `GetItem` + 1 `TransactWriteItems`.
 */
export async function changeMentorStatus(
  store: Store,
  clock: Clock,
  id: string,
  status: Extract<MentorStatus, 'suspended' | 'active'>,
): Promise<Info> {
  const { mentor: before, actor } = staffOf(await getMentor(store, id))
  const allowed =
    status === 'suspended'
      ? before.status !== 'applied' && before.status !== 'suspended'
      : before.status === 'suspended'
  if (!allowed || !before.accountSub)
    throw new ConflictError(`Cannot change from ${before.status} to ${status}`, 'mentor-status')
  const sub = before.accountSub
  const now = clock.now()
  const after: MentorItem = { ...before, status, updatedAt: now.toISOString(), rev: before.rev + 1 }
  const change =
    status === 'suspended'
      ? createEvent(MentorEvents.Suspended, { ...mentorDetail(after), sub, suspendedBy: actor.sub }, now)
      : createEvent(MentorEvents.Reinstated, { ...mentorDetail(after), sub, reinstatedBy: actor.sub }, now)
  await transact(
    store,
    [
      ['mentor', mentorPut(after, before)],
      ...directoryChanges(before, after, sub),
      ['account', accountStatusUpdate(sub, status, now)],
      ['event', outbox(createEvent(MentorEvents.Updated, changeDetail(after), now))],
      ['event', outbox(change)],
    ],
    { explain: () => new ConflictError('Changed meanwhile', 'stale') },
  )
  // This process refuses the account at once; others within the account cache's few seconds.
  forgetAccount(sub)
  return mentorInfo(after)
}
