import * as v from 'valibot'
import { FollowUpItem } from '../../../followup/item.ts'
import { entity, when } from '../entity.ts'
import { byDue, keys } from '../keys.ts'
import type { List } from '../read.ts'

const followUp = entity(
  'followUp',
  { parse: (raw) => v.parse(FollowUpItem, raw) },
  {
    key: (of: { id: string }) => keys.followUp(of.id),
    /** `byDue` while pending, by the hour it comes due: a fired duty leaves the sweep's index. */
    indexes: (of: FollowUpItem) => (of.status === 'pending' ? byDue(of.dueAt, of.id) : {}),
  },
)

const pending = { ':pending': 'pending' }

/** Timed duties (`FOLLOWUP#<id>`): the sweep's list, and the conditions that make each fire once. */
export const FollowUp = {
  ...followUp,
  /** Not fired (or not there yet): a duty that fired is neither re-armed nor removed. */
  notFired: when('attribute_not_exists(pk) OR #status = :pending', pending),
  /**
   * Not fired, or fired for an earlier moment than `dueAt`: a duty pushed later (a matching window
   * that grew) is armed again, and still fires once per due time.
   */
  rearmable: (dueAt: string) =>
    when('attribute_not_exists(pk) OR #status = :pending OR #dueAt < :rearmAt', {
      ...pending,
      ':rearmAt': dueAt,
    }),
  /** Still pending at the due time read: of overlapping sweeps, one claim wins. */
  dueAt: (dueAt: string) => when('#status = :pending AND #dueAt = :dueAt', { ...pending, ':dueAt': dueAt }),
  /**
   * Pending duties of one hour (`yyyy-mm-ddThh`) due by `now`, soonest first. An item that does not
   * parse is left out: one bad item must not stop every duty of its hour.
   */
  dueBy: (hour: string, now: string): List<FollowUpItem> => ({
    index: 'byDue',
    partition: byDue(hour, '').byDuePk,
    // Sort keys are `<dueAt>#<id>`: every one due at `now` sorts below `now` and U+FFFF.
    range: { to: `${now}\uffff` },
    filter: when('#status = :pending', pending),
    parse: (raw) => {
      const parsed = v.safeParse(FollowUpItem, raw)
      return parsed.success ? parsed.output : undefined
    },
  }),
}
