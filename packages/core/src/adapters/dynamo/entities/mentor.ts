import * as z from 'zod/mini'
import { AccountItem } from '../../../account/item.ts'
import {
  DirectoryItem,
  type DirectoryProfile,
  LoadItem,
  MentorItem,
  type MentorStatus,
} from '../../../mentor/item.ts'
import { deleteItem, entity, putItem, type Readable, when } from '../entity.ts'
import { byRegion, byTopic, keys } from '../keys.ts'
import type { List } from '../read.ts'

const mentor = entity('mentor', MentorItem, {
  key: (of: { id: string }) => keys.mentor(of.id),
  /** `byRegion` under `MENTOR#<status>`, by home region then application: staff list theirs by prefix. */
  indexes: (of: MentorItem) => byRegion(`MENTOR#${of.status}`, of.region, of.appliedAt, of.id),
})

/** Mentors (`MENTOR#<id>`): staff's lists per status, and the `rev` every change is conditioned on. */
export const Mentor = {
  ...mentor,
  /** Still at the `rev` read: two edits never merge. */
  atRev: (rev: number) => when('#rev = :rev', { ':rev': rev }),
  /** Mentors in `status` whose home region starts with `region` (`*` for all), oldest application first. */
  inRegion: (status: MentorStatus, region: string): List<MentorItem> => ({
    index: 'byRegion',
    partition: `MENTOR#${status}`,
    prefix: region === '*' ? '' : region,
    parse: mentor.parse,
  }),
}

/**
 * A mentor's name and home region and nothing else (a report names its busiest mentors to staff of
 * their region); `undefined` without one (an erased mentor).
 */
export const MentorName: Readable<{ id: string; name: string; region: string } | undefined, { id: string }> =
  {
    key: mentor.key,
    attributes: ['id', 'name', 'region'],
    parse: (raw) => {
      const { id, name, region } = raw as Record<string, unknown>
      return typeof id === 'string' && typeof name === 'string' && typeof region === 'string'
        ? { id, name, region }
        : undefined
    },
  }

/** What an owner may learn of the mentor who took their request. */
export interface MentorPublicProfile {
  name: string
  skills: Array<{ topic: string; level: number }>
  /** Home region first, then the regions served. */
  regions: string[]
}

/** A mentor's public profile only (name, skills, regions: never phone or email); `undefined` without one. */
export const MentorPublic: Readable<MentorPublicProfile | undefined, { id: string }> = {
  key: mentor.key,
  attributes: ['name', 'skills', 'region', 'regionsServed'],
  parse: (raw) => {
    const parsed = z.safeParse(
      z.pick(MentorItem, { name: true, skills: true, region: true, regionsServed: true }),
      raw,
    )
    if (!parsed.success) return undefined
    const { name, skills, region, regionsServed } = parsed.data
    return {
      name,
      skills: skills.map(({ topic, level }) => ({ topic, level })),
      regions: [region, ...regionsServed.filter((code) => code !== region)],
    }
  },
}

const load = entity('mentorLoad', LoadItem, {
  key: (of: { mentorId: string }) => keys.mentorLoad(of.mentorId),
})

/** A mentor's load counter (`LOAD`): `active` engagements of `capacity` (invariant 1), rating sums. */
export const MentorLoad = {
  ...load,
  /** A new capacity, never below the engagements under way (a concurrent accept refuses it). */
  setCapacity: (mentorId: string, capacity: number, at: string) =>
    load.update(
      { mentorId },
      { set: { capacity, updatedAt: at } },
      { when: when('#active <= :capacity', { ':capacity': capacity }) },
    ),
}

const entryKey = (of: { mentorId: string; topic: string }) => keys.mentorTopic(of.mentorId, of.topic)

/**
 * A mentor's entries in the matching directory (`TOPIC#<topic>` beside the mentor), one per skill
 * while active, in the sparse `byTopic` index by home region. The mentor's id sits in the profile, not
 * beside the topic, so an entry is named by mentor and topic.
 */
export const DirectoryEntry = {
  name: 'mentorTopic',
  key: entryKey,
  parse: (raw: unknown) => DirectoryItem.parse(raw),
  /** Lists `entry` under its topic, by the mentor's `home` region, overwriting the profile it had. */
  put: (entry: DirectoryItem, home: string) =>
    putItem(
      entryKey({ mentorId: entry.profile.mentorId, topic: entry.topic }),
      { ...byTopic(entry.topic, home, entry.profile.mentorId), ...entry },
      null,
    ),
  remove: (of: { mentorId: string; topic: string }) => deleteItem(entryKey(of)),
  /**
   * The profiles of a topic's active mentors by home region, only those of `region` (a prefix: a
   * province) when given: where matching finds its candidates without reading every mentor.
   */
  forTopic: (topic: string, region = ''): List<DirectoryProfile> => ({
    index: 'byTopic',
    partition: byTopic(topic, '', '').byTopicPk,
    prefix: region,
    parse: (raw) => DirectoryItem.parse(raw).profile,
  }),
}

/** An account link (`ACCOUNT#<sub>`): which mentor a token's `sub` belongs to. */
export const Account = entity('account', AccountItem, { key: (of: { sub: string }) => keys.account(of.sub) })
