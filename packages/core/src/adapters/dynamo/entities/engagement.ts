import { EngagementItem, type EngagementStatus } from '../../../engagement/item.ts'
import { type Condition, entity, equals, exists, updateItem, when } from '../entity.ts'
import { byOwner, keys } from '../keys.ts'
import type { List } from '../read.ts'

const engagement = entity('engagement', EngagementItem, {
  key: (of: { id: string }) => keys.engagement(of.id),
  /** `byOwner` under its mentor, by start: a mentor's engagements. */
  indexes: (of: EngagementItem) => byOwner(keys.mentor(of.mentorId).pk, 'ENGAGEMENT', of.startedAt, of.id),
})

const active = { ':active': 'active' }

/** Engagements (`ENGAGEMENT#<id>`): a mentor's list, their session counters, and the conditions on them. */
export const Engagement = {
  ...engagement,
  /** Still active: sessions may be scheduled in it. */
  active: when('#status = :active', active),
  /** Active with no session still scheduled: it may close. */
  closable: when('#status = :active AND #scheduledSessions = :zero', { ...active, ':zero': 0 }),
  /** Waiting for staff to end it or hand it to another mentor (its mentor was suspended). */
  awaitingDecision: when('#status = :decision', { ':decision': 'needs_decision' }),
  /** Holds fewer than `limit` progress notes. */
  notesBelow: (limit: number) => when('size(#progress) < :limit', { ':limit': limit }),
  /** A mentor's engagements, newest first; only those in `status` when given (filtered on the page). */
  ofMentor: (
    mentorId: string,
    options: { status?: EngagementStatus | undefined } = {},
  ): List<EngagementItem> => ({
    index: 'byOwner',
    partition: keys.mentor(mentorId).pk,
    prefix: 'ENGAGEMENT#',
    filter: options.status === undefined ? undefined : equals({ status: options.status }),
    newestFirst: true,
    parse: engagement.parse,
  }),
  /**
   * Adds to the session counters (`scheduledSessions`, `completedSessions`, `minutes`) of engagement
   * `id`, refused unless it meets `guard` (by default: it exists). By id, because a session holds its
   * engagement's id, not the engagement, and counters move no index key.
   */
  count: (id: string, add: Record<string, number>, now: Date, guard: Condition = exists) =>
    updateItem(keys.engagement(id), { add, set: { updatedAt: now.toISOString() } }, guard),
}
