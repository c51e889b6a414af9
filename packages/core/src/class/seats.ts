/** Keeping a class's seats full: promotions into freed seats, and noticing when the last seat goes. */
import { Class } from '../adapters/dynamo/entities/class.ts'
import { transact } from '../adapters/dynamo/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import type { Clock, Store } from '../store.ts'
import { classFacts, loadClass } from './access.ts'
import { ClassEvents } from './events.ts'
import { promoteNextRegistration } from './register.ts'

/** At most this many promotions per call: a burst of freed seats fills over a few events, never unbounded. */
export const MAX_PROMOTIONS = 50

/** Gives up to `limit` free seats of `segment` to its oldest waiting registrations; how many moved. */
export async function fillFreeSeats(
  store: Store,
  clock: Clock,
  classId: string,
  segment: string,
  limit = MAX_PROMOTIONS,
): Promise<number> {
  let promoted = 0
  while (promoted < limit && (await promoteNextRegistration(store, clock, classId, segment))) promoted++
  return promoted
}

/**
 * Marks an open class `full` the first time every segment's last seat is taken, with `ClassFilled`
 * (`filledAt − publishedAt` is the time to fill). `full` means "filled once": people still register
 * (onto the waitlist) and freed seats still go to it, so the status never flaps with each
 * cancellation. Safe to repeat: refused unless the class is still `open`. One `Query` (+ one
 * `TransactWriteItems` when it just filled).
 * @returns whether this call marked it full
 */
export async function markFilled(store: Store, clock: Clock, classId: string): Promise<boolean> {
  const found = await loadClass(store, classId)
  if (found?.klass.status !== 'open') return false
  const { klass, segments } = found
  const publishedAt = klass.publishedAt
  if (publishedAt === null) return false
  const full =
    segments.length > 0 &&
    Object.entries(klass.seats).every(([segment, quota]) =>
      segments.some((counter) => counter.segment === segment && counter.admitted >= quota),
    )
  if (!full) return false
  const now = clock.now()
  const at = now.toISOString()
  const moved = new Error('Moved on meanwhile')
  try {
    await transact(
      store,
      [
        [
          'class',
          Class.update(
            klass,
            { set: { status: 'full', filledAt: at, updatedAt: at } },
            { when: Class.inStatus('open') },
          ),
        ],
        [
          'event',
          outbox(createEvent(ClassEvents.Filled, { ...classFacts(klass), publishedAt, filledAt: at }, now)),
        ],
      ],
      { explain: () => moved },
    )
    return true
  } catch (error) {
    if (error === moved) return false
    throw error
  }
}
