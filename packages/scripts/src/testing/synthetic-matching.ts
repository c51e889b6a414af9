/**
 * Seeded synthetic mentors and requests for benchmarks and property tests: the same seed always
 * gives the same people. Shapes follow what a provincial program looks like: mentors spread over a
 * province's cities, mostly Indonesian-speaking, a few seats each, some already busy.
 */

import type {
  MeetingMode,
  MentorProfile,
  RequestMode,
  RequestProfile,
  SkillLevel,
  WeeklySlot,
} from '@pendamping/core/matching'
import { seededRandom } from '@pendamping/core/random'
import { citiesOf } from '@pendamping/core/region'
import { TOPICS } from '@pendamping/core/topic'

export interface SyntheticOptions {
  seed?: number
  /** Provinces the people live in; default Jawa Timur. */
  provinces?: readonly string[]
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T
}

function sample<T>(random: () => number, list: readonly T[], count: number): T[] {
  const copy = [...list]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
  }
  return copy.slice(0, count)
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function slots(random: () => number, count: number): WeeklySlot[] {
  return Array.from({ length: count }, () => {
    const from = int(random, 14, 40) * 30 // 07:00 … 20:00
    const to = Math.min(1440, from + int(random, 2, 6) * 30)
    return { day: int(random, 0, 6), from: clock(from), to: clock(to) }
  })
}

function cityCodes(options: SyntheticOptions): string[] {
  return (options.provinces ?? ['35']).flatMap((p) => citiesOf(p).map((c) => c.code))
}

export function syntheticMentors(count: number, options: SyntheticOptions = {}): MentorProfile[] {
  const random = seededRandom(options.seed ?? 1)
  const cities = cityCodes(options)
  return Array.from({ length: count }, (_, i) => {
    const home = pick(random, cities)
    const roll = random()
    const modes: MeetingMode[] = roll < 0.4 ? ['online'] : roll < 0.9 ? ['online', 'offline'] : ['offline']
    const capacity = random() < 0.5 ? 3 : int(random, 1, 5)
    const languages = ['id']
    if (random() < 0.3) languages.push('en')
    if (random() < 0.2) languages.push('jv')
    const rated = random() < 0.7
    const ratingCount = int(random, 1, 30)
    const statusRoll = random()
    return {
      id: `m-${String(i).padStart(6, '0')}`,
      status: statusRoll < 0.9 ? 'active' : statusRoll < 0.95 ? 'paused' : 'applied',
      skills: sample(random, TOPICS, int(random, 2, 5)).map((topic) => ({
        topic,
        level: int(random, 1, 3) as SkillLevel,
      })),
      regions: [home, ...sample(random, cities, int(random, 0, 2)).filter((c) => c !== home)],
      modes,
      languages,
      availability: slots(random, int(random, 2, 6)),
      capacity,
      active: random() < 0.2 ? capacity : int(random, 0, capacity - 1),
      ...(rated ? { rating: { sum: Math.round(ratingCount * (3 + 2 * random())), count: ratingCount } } : {}),
    } satisfies MentorProfile
  })
}

export function syntheticRequests(count: number, options: SyntheticOptions = {}): RequestProfile[] {
  const random = seededRandom((options.seed ?? 1) ^ 0x5eed)
  const cities = cityCodes(options)
  return Array.from({ length: count }, (_, i) => {
    const roll = random()
    const mode: RequestMode = roll < 0.3 ? 'online' : roll < 0.5 ? 'offline' : 'either'
    return {
      id: `r-${String(i).padStart(6, '0')}`,
      region: `${pick(random, cities)}.${String(int(random, 1, 5)).padStart(2, '0')}`,
      needs: sample(random, TOPICS, int(random, 1, 3)),
      mode,
      languages: random() < 0.2 ? ['id', 'jv'] : ['id'],
      availability: random() < 0.1 ? [] : slots(random, int(random, 1, 4)),
      excludedMentorIds:
        random() < 0.05 ? [`m-${String(int(random, 0, 999)).padStart(6, '0')}`] : ([] as string[]),
    } satisfies RequestProfile
  })
}
