import { when } from '../entity.ts'
import { MentorLoad as Load, Mentor } from './mentor.ts'

/**
 * A mentor's load counter as accepts, closes and ratings change it: the `MentorLoad` of `mentor.ts`
 * with the conditions of invariant 1 (they can move onto it once the mentor module's migration lands).
 */
export const MentorLoad = {
  ...Load,
  /** A seat is free, `active < capacity` (invariant 1); no counter (an unapproved mentor) refuses too. */
  belowCapacity: when('attribute_exists(pk) AND #active < #capacity'),
  /** Holds at least one engagement to give back. */
  holdsOne: when('#active > :zero', { ':zero': 0 }),
  /** Gives back the seat of an engagement that ended (`active − 1`), never below zero. */
  release: (mentorId: string, at: string) =>
    Load.update({ mentorId }, { add: { active: -1 }, set: { updatedAt: at } }, { when: MentorLoad.holdsOne }),
  /** Checks that the mentor is `active`: not paused or suspended, so they may take on a business. */
  mentorActive: (mentorId: string) =>
    Mentor.check({ id: mentorId }, when('#status = :active', { ':active': 'active' })),
}
