import { SessionItem } from '../../../session/item.ts'
import { deleteItem, entity, putItem, when } from '../entity.ts'
import { byOwner, keys } from '../keys.ts'
import type { List } from '../read.ts'

const session = entity('session', SessionItem, {
  key: (of: { id: string }) => keys.session(of.id),
  /** `byOwner` under its request, by start: the owner's sessions in time order (moves when rescheduled). */
  indexes: (of: SessionItem) => byOwner(keys.request(of.requestId).pk, 'SESSION', of.startsAt, of.id),
})

const scheduled = { ':scheduled': 'scheduled' }

/** Coaching sessions (`SESSION#<id>`): a request's list and the conditions that guard their changes. */
export const Session = {
  ...session,
  /** Still scheduled: neither completed nor cancelled. */
  scheduled: when('#status = :scheduled', scheduled),
  /** Still scheduled at the times read: a concurrent reschedule cancels the write. */
  scheduledAsRead: (read: Pick<SessionItem, 'startsAt' | 'endsAt'>) =>
    when('#status = :scheduled AND #startsAt = :prevStartsAt AND #endsAt = :prevEndsAt', {
      ...scheduled,
      ':prevStartsAt': read.startsAt,
      ':prevEndsAt': read.endsAt,
    }),
  /** Scheduled and started by `now`: it may be completed. */
  startedBy: (now: Date) =>
    when('#status = :scheduled AND #startsAt <= :now', { ...scheduled, ':now': now.toISOString() }),
  /** Completed: it may be rated. */
  completed: when('#status = :completed', { ':completed': 'completed' }),
  /** A request's sessions in time order. */
  ofRequest: (requestId: string): List<SessionItem> => ({
    index: 'byOwner',
    partition: keys.request(requestId).pk,
    prefix: 'SESSION#',
    parse: session.parse,
  }),
}

type Holder = Pick<SessionItem, 'id' | 'mentorId'>

/**
 * A mentor's booked quarter hours (`MENTOR#<id>`, `SLOT#<start>`, invariant 4): one item per slot a
 * session covers, put in the session's transaction. Two sessions that overlap put the same slot, and
 * the second `Put` is refused.
 */
export const MentorSlot = {
  /** Books `slot` for `session`; refused while anything holds it. */
  book: (session: Holder, slot: string) =>
    putItem(keys.mentorSlot(session.mentorId, slot), {
      entity: 'mentorSlot',
      version: 1,
      mentorId: session.mentorId,
      sessionId: session.id,
      slot,
    }),
  /** Frees `slot`, only if `session` holds it (never another's booking). */
  free: (session: Holder, slot: string) =>
    deleteItem(
      keys.mentorSlot(session.mentorId, slot),
      when('#sessionId = :session', { ':session': session.id }),
    ),
}
