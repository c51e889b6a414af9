/** Who may see and run a class, and how a class is read: shared by the class modules. */
import { type Actor, regionCovers, requireAccount, useActor } from '../actor/index.ts'
import { Class } from '../adapters/dynamo/entities/class.ts'
import { get, query } from '../adapters/dynamo/index.ts'
import { ForbiddenError, NotFoundError } from '../errors/index.ts'
import type { Store } from '../store.ts'
import type { ClassItem, ClassSegmentItem, MeetingItem } from './item.ts'

type Account = Extract<Actor, { kind: 'account' }>

/** The facts every class event carries. */
export const classFacts = (klass: ClassItem) => ({
  classId: klass.id,
  programId: klass.programId,
  classRegion: klass.region,
})

export function staffOf(klass: ClassItem): Account {
  const actor = requireAccount('staff', 'admin')
  if (!regionCovers(actor.region, klass.region))
    throw new ForbiddenError('Class outside the account’s region')
  return actor
}

/**
 * The caller if they may run `klass`'s meetings: one of its trainers (their account), or staff of its
 * region and admins. Other mentors are refused (403), as is staff of another region.
 */
export function trainerOrStaffOf(klass: ClassItem): Account {
  const actor = requireAccount('mentor', 'staff', 'admin')
  if (actor.role === 'mentor') {
    if (!klass.trainers.some((trainer) => trainer.sub === actor.sub))
      throw new ForbiddenError('Not a trainer of this class')
    return actor
  }
  if (!regionCovers(actor.region, klass.region))
    throw new ForbiddenError('Class outside the account’s region')
  return actor
}

/** One class, strongly consistent, or `undefined`. One `GetItem`. */
export function getClassItem(store: Store, id: string): Promise<ClassItem | undefined> {
  return get(store, Class, { id })
}

/** The class with its seat counters and meetings: one `Query` of its partition. */
export async function loadClass(
  store: Store,
  id: string,
): Promise<{ klass: ClassItem; segments: ClassSegmentItem[]; meetings: MeetingItem[] } | undefined> {
  let klass: ClassItem | undefined
  const segments: ClassSegmentItem[] = []
  const meetings: MeetingItem[] = []
  for (const item of (await query(store, Class.withParts(id))).items)
    if (item.entity === 'class') klass = item
    else if (item.entity === 'classSegment') segments.push(item)
    else meetings.push(item)
  return klass ? { klass, segments, meetings } : undefined
}

/**
 * The class if the caller may see it: anyone once published; a draft only its region's staff and
 * admins (to anyone else a draft does not exist: 404).
 */
export function visible(klass: ClassItem | undefined): ClassItem {
  if (!klass) throw new NotFoundError('No such class')
  if (klass.status !== 'draft') return klass
  const actor = useActor()
  const staff = actor.kind === 'account' && actor.role !== 'mentor'
  if (!staff || !regionCovers(actor.region, klass.region)) throw new NotFoundError('No such class')
  return klass
}

/**
 * Published classes, cached a short while per process: what registering needs of them (program,
 * region, segments, admission) cannot change once published, and whether the class still takes
 * registrations is decided by the transaction's condition, never by this copy. A burst into one class
 * then costs no read at all. Drafts are never cached.
 */
const published = new Map<string, { klass: ClassItem; until: number }>()
const CACHE_MS = 30_000
const CACHE_MAX = 1000

export async function publishedClass(store: Store, id: string): Promise<ClassItem | undefined> {
  const key = `${store.tableName}|${id}`
  const hit = published.get(key)
  if (hit && hit.until > Date.now()) return hit.klass
  const klass = await getClassItem(store, id)
  if (klass && klass.status !== 'draft') {
    if (published.size >= CACHE_MAX) published.clear()
    published.set(key, { klass, until: Date.now() + CACHE_MS })
  }
  return klass
}
