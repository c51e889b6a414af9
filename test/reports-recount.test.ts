import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { withContext } from '@pendamping/core/actor'
import { toBusDetail } from '@pendamping/core/bus'
import { keys } from '@pendamping/core/dynamo'
import { EVENT_SOURCE, type EventEnvelope } from '@pendamping/core/event'
import { seededRandom } from '@pendamping/core/random'
import {
  COUNTED_EVENTS,
  mentorPseudonym,
  type Report,
  readReport,
  TIME_TO_MATCH_BOUNDS_HOURS,
} from '@pendamping/core/report'
import { systemClock } from '@pendamping/core/store'
import { handler } from '@pendamping/functions/consumers/report'
import { provideRuntime } from '@pendamping/functions/runtime'
import { rules } from '@pendamping/functions/wiring'
import { generateJourneys, type JourneyRequest } from '@pendamping/scripts/testing/journeys'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import type { EventBridgeEvent } from 'aws-lambda'
import { beforeAll, describe, expect, it } from 'vitest'

const table = useTestTable()
const store = () => ({ doc: table.doc, tableName: table.tableName })
const journeys = generateJourneys({ count: 200, seed: 42 })
const admin = { kind: 'account' as const, sub: 'admin', role: 'admin' as const, region: '*' }

/** The EventBridge event the bus would deliver for an envelope. */
function busEvent(envelope: EventEnvelope): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': envelope.type,
    source: EVENT_SOURCE,
    account: '000000000000',
    time: envelope.occurredAt,
    region: 'ap-southeast-3',
    resources: [],
    detail: toBusDetail(envelope),
  }
}

/** Delivers events to the consumer in a shuffled order, `parallel` at a time, as EventBridge may. */
async function deliver(events: readonly EventEnvelope[], seed: number, parallel = 6): Promise<void> {
  const random = seededRandom(seed)
  const queue = events.map((event) => ({ event, order: random() })).sort((a, b) => a.order - b.order)
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < queue.length) {
        const item = queue[next++]
        if (item) await handler(busEvent(item.event))
      }
    }),
  )
}

function report(query: Parameters<typeof readReport>[1]): Promise<Report> {
  return withContext({ actor: admin, requestId: 'test', locale: 'id' }, () =>
    readReport(store(), query, new Date('2026-07-01T00:00:00Z')),
  )
}

/** `yyyy-mm` in Asia/Jakarta, computed differently from the consumer (Intl, not an offset). */
const jakartaMonth = (iso: string) =>
  new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Jakarta' }).slice(0, 7)

type Detail = Record<string, unknown> & { requestId: string }

/**
 * Every number of a report recomputed from the raw event list by replaying each request's journey:
 * no counters, no histogram, no shared code with the consumer but the bucket bounds.
 */
function recount(inScope: (request: JourneyRequest) => boolean, from: string, to: string) {
  const facts = new Map(journeys.requests.map((request) => [request.id, request]))
  const state = new Map<string, { status: string; detail: Detail; matchedHours?: number }>()
  const counts = (into: Record<string, number>, key: string, by = 1) => {
    into[key] = (into[key] ?? 0) + by
  }
  const activity = {
    offers: { made: 0, accepted: 0, declined: 0, expired: 0 },
    sessions: { scheduled: 0, completed: 0, cancelled: 0, noShow: 0 },
    engagements: { completed: 0, ended: 0 },
    minutes: 0,
    outcomes: {} as Record<string, number>,
    ratingSum: 0,
    ratingCount: 0,
    erased: 0,
    promoted: 0,
    mentors: new Map<string, { engagements: number; sessions: number; minutes: number }>(),
    monthly: new Map<string, { scheduled: number; completed: number; minutes: number }>(),
  }
  const mentor = (id: string) => {
    const load = activity.mentors.get(id) ?? { engagements: 0, sessions: 0, minutes: 0 }
    activity.mentors.set(id, load)
    return load
  }
  const month = (m: string) => {
    const point = activity.monthly.get(m) ?? { scheduled: 0, completed: 0, minutes: 0 }
    activity.monthly.set(m, point)
    return point
  }
  for (const event of journeys.events) {
    const detail = event.detail as Detail
    const request = facts.get(detail.requestId)
    if (!request) throw new Error('journey without request')
    const current = state.get(request.id)
    switch (event.type) {
      case 'RequestSubmitted':
        state.set(request.id, { status: String(detail.status), detail })
        break
      case 'RequestPromoted':
      case 'OfferDeclined':
      case 'OfferExpired':
        if (current) current.status = 'matching'
        break
      case 'OfferMade':
        if (current) current.status = 'offered'
        break
      case 'RequestCancelled':
        if (current) current.status = 'cancelled'
        break
      case 'RequestUnmatched':
        if (current) current.status = 'unmatched'
        break
      case 'OfferAccepted':
        if (current) {
          current.status = 'active'
          current.matchedHours =
            (Date.parse(String(detail.acceptedAt)) - Date.parse(String(detail.submittedAt))) / 3_600_000
        }
        break
      case 'EngagementEnded':
        if (current) current.status = 'completed'
        break
    }
    const m = jakartaMonth(event.occurredAt)
    if (!inScope(request) || m < from || m > to) continue
    switch (event.type) {
      case 'RequestDeleted':
        activity.erased++
        break
      case 'OfferMade':
        activity.offers.made++
        break
      case 'OfferAccepted':
        activity.offers.accepted++
        mentor(String(detail.mentorId)).engagements++
        break
      case 'OfferDeclined':
        activity.offers.declined++
        break
      case 'OfferExpired':
        activity.offers.expired++
        break
      case 'SessionScheduled':
        activity.sessions.scheduled++
        month(m).scheduled++
        break
      case 'SessionCompleted': {
        const minutes = (Date.parse(String(detail.endsAt)) - Date.parse(String(detail.startsAt))) / 60_000
        activity.sessions.completed++
        activity.minutes += minutes
        month(m).completed++
        month(m).minutes += minutes
        mentor(String(detail.mentorId)).sessions++
        mentor(String(detail.mentorId)).minutes += minutes
        for (const outcome of detail.outcomes as string[]) counts(activity.outcomes, outcome)
        break
      }
      case 'EngagementProgressRecorded':
        for (const outcome of detail.outcomes as string[]) counts(activity.outcomes, outcome)
        break
      case 'SessionCancelled':
        activity.sessions.cancelled++
        break
      case 'SessionNoShow':
        activity.sessions.noShow++
        break
      case 'FeedbackReceived':
        activity.ratingSum += Number(detail.rating)
        activity.ratingCount++
        break
      case 'EngagementEnded':
        if (detail.outcome === 'completed') activity.engagements.completed++
        else activity.engagements.ended++
        break
    }
  }

  const byStatus: Record<string, number> = Object.fromEntries(
    ['waitlisted', 'matching', 'offered', 'active', 'completed', 'cancelled', 'unmatched'].map((s) => [s, 0]),
  )
  const byTopic: Record<string, number> = {}
  const bySector: Record<string, number> = {}
  const bySizeClass: Record<string, number> = {}
  const bySegment: Record<string, number> = {}
  const byRegion: Record<string, number> = {}
  const times: number[] = []
  const monthlyRequests = new Map<string, { submitted: number; matched: number }>()
  for (const request of journeys.requests) {
    const m = jakartaMonth(request.submittedAt)
    if (!inScope(request) || m < from || m > to) continue
    const { status, detail, matchedHours } = state.get(request.id) ?? {
      status: '?',
      detail: { requestId: '' },
    }
    counts(byStatus, status)
    for (const topic of detail.needs as string[]) counts(byTopic, topic)
    counts(bySector, String(detail.sector))
    counts(bySizeClass, String(detail.sizeClass))
    if (request.segment) counts(bySegment, request.segment)
    const parts = request.region.split('.')
    for (let level = 1; level <= Math.min(parts.length, 3); level++)
      counts(byRegion, parts.slice(0, level).join('.'))
    if (
      journeys.events.some(
        (e) => e.type === 'RequestPromoted' && (e.detail as Detail).requestId === request.id,
      )
    )
      activity.promoted++
    const point = monthlyRequests.get(m) ?? { submitted: 0, matched: 0 }
    point.submitted++
    if (matchedHours !== undefined) {
      times.push(matchedHours)
      point.matched++
    }
    monthlyRequests.set(m, point)
  }
  const submitted = journeys.requests.filter(
    (r) => inScope(r) && jakartaMonth(r.submittedAt) >= from && jakartaMonth(r.submittedAt) <= to,
  ).length
  times.sort((a, b) => a - b)
  const bucketBound = (hours: number | undefined) =>
    hours === undefined
      ? null
      : Math.round(
          (TIME_TO_MATCH_BOUNDS_HOURS.find((bound) => hours <= bound + 1e-9) ??
            TIME_TO_MATCH_BOUNDS_HOURS.at(-1) ??
            0) * 100,
        ) / 100
  const nearestRank = (q: number) => times[Math.max(1, Math.ceil(q * times.length)) - 1]
  const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100
  const months: string[] = []
  for (
    let d = new Date(`${from}-01T00:00:00Z`);
    d.toISOString().slice(0, 7) <= to;
    d.setUTCMonth(d.getUTCMonth() + 1)
  )
    months.push(d.toISOString().slice(0, 7))

  return {
    requests: {
      submitted,
      matched: times.length,
      promoted: activity.promoted,
      erased: activity.erased,
      byStatus,
      byTopic,
      bySector,
      bySizeClass,
      bySegment,
      byRegion: Object.entries(byRegion)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, count]) => ({ code, count })),
    },
    matchRate: submitted ? Math.round((times.length / submitted) * 10_000) / 10_000 : null,
    timeToMatch: {
      count: times.length,
      medianHours: bucketBound(nearestRank(0.5)),
      p90Hours: bucketBound(nearestRank(0.9)),
    },
    offers: activity.offers,
    sessions: activity.sessions,
    engagements: activity.engagements,
    mentoringHours: hours(activity.minutes),
    outcomes: activity.outcomes,
    rating: {
      count: activity.ratingCount,
      average: activity.ratingCount
        ? Math.round((activity.ratingSum / activity.ratingCount) * 100) / 100
        : null,
    },
    // The journeys' mentors have no mentor item (no name, no home region): reports give pseudonyms.
    mentors: Object.fromEntries(
      [...activity.mentors].map(([id, load]) => [
        mentorPseudonym(id).id,
        { engagements: load.engagements, sessions: load.sessions, hours: hours(load.minutes) },
      ]),
    ),
    monthly: months.map((m) => ({
      month: m,
      requestsSubmitted: monthlyRequests.get(m)?.submitted ?? 0,
      requestsMatched: monthlyRequests.get(m)?.matched ?? 0,
      sessionsScheduled: activity.monthly.get(m)?.scheduled ?? 0,
      sessionsCompleted: activity.monthly.get(m)?.completed ?? 0,
      mentoringHours: hours(activity.monthly.get(m)?.minutes ?? 0),
    })),
  }
}

/** The report's numbers in the recount's shape. */
function numbersOf(report: Report) {
  return {
    requests: {
      ...report.requests,
      byRegion: report.requests.byRegion.map(({ code, count }) => ({ code, count })),
    },
    matchRate: report.matchRate,
    timeToMatch: {
      count: report.timeToMatch.count,
      medianHours: report.timeToMatch.medianHours,
      p90Hours: report.timeToMatch.p90Hours,
    },
    offers: report.offers,
    sessions: report.sessions,
    engagements: report.engagements,
    mentoringHours: report.mentoringHours,
    outcomes: report.outcomes,
    rating: report.rating,
    mentors: Object.fromEntries(
      report.mentors.map(({ mentorId, engagements, sessions, hours }) => [
        mentorId,
        { engagements, sessions, hours },
      ]),
    ),
    monthly: report.monthly,
  }
}

const scopes: Array<{
  name: string
  query: { program?: string; region?: string }
  inScope: (r: JourneyRequest) => boolean
}> = [
  { name: 'everything', query: {}, inScope: () => true },
  { name: 'a program', query: { program: 'prog-malang' }, inScope: (r) => r.programId === 'prog-malang' },
  {
    name: 'a province',
    query: { region: '35' },
    inScope: (r) => r.region === '35' || r.region.startsWith('35.'),
  },
  {
    name: 'a city',
    query: { region: '35.73' },
    inScope: (r) => r.region === '35.73' || r.region.startsWith('35.73.'),
  },
  { name: 'a district', query: { region: '35.73.01' }, inScope: (r) => r.region === '35.73.01' },
]

function programItem(id: string) {
  return {
    ...keys.program(id),
    entity: 'program',
    version: 1,
    id,
    region: id === 'prog-malang' ? '35.73' : '35',
    name: `Program ${id}`,
    topics: ['social_media'],
    timeZone: 'Asia/Jakarta',
    startsAt: '2026-01-01T00:00:00+07:00',
    endsAt: '2026-12-31T00:00:00+07:00',
    segments: { umum: 70, asn: 70 },
    offerWindowHours: 48,
    matchingWindowDays: 5,
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'staff',
  }
}

describe('Report counters', () => {
  beforeAll(async () => {
    provideRuntime({
      store: store(),
      clock: systemClock,
      notifier: { send: async () => {} },
      publicUrl: 'http://localhost',
    })
    for (const id of ['prog-malang', 'prog-jatim']) {
      await table.doc.send(new PutCommand({ TableName: table.tableName, Item: programItem(id) }))
    }
    // The consumer reads each request's anonymous facts from its item, as it would in production.
    for (const request of journeys.requests) {
      await table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { ...keys.request(request.id), entity: 'request', ...request },
        }),
      )
    }
    await deliver(journeys.events, 7)
  }, 120_000)

  it('names regions for the reader', async () => {
    const { requests } = await report({ region: '35.73', from: '2025-12', to: '2026-12' })
    expect(requests.byRegion.find((entry) => entry.code === '35.73')?.name).toBe('Kota Malang')
  })

  it('is wired to exactly the events it counts', () => {
    const rule = rules.find((r) => r.name === 'ReportCounters')
    expect(rule?.handler).toBe('packages/functions/src/consumers/report.handler')
    expect([...(rule?.detailTypes ?? [])].sort()).toEqual([...COUNTED_EVENTS].sort())
  })

  it('drives a few hundred journeys through every kind of event', () => {
    const types = new Set(journeys.events.map((event) => event.type))
    expect(journeys.requests.length).toBe(200)
    expect(types.size).toBeGreaterThanOrEqual(16)
  })

  for (const { name, query, inScope } of scopes) {
    for (const [from, to] of [
      ['2025-12', '2026-12'],
      ['2026-02', '2026-04'],
    ] as const) {
      it(`agrees with a recount from the raw events for ${name}, ${from} to ${to}`, async () => {
        const expected = recount(inScope, from, to)
        expect(expected.requests.submitted).toBeGreaterThan(0)
        expect(numbersOf(await report({ ...query, from, to }))).toEqual(expected)
      })
    }
  }

  it('changes nothing when every event is delivered again, in another order', async () => {
    const before = await scanTable(table, 'reportMonth')
    const snapshot = await report({ from: '2025-12', to: '2026-12' })
    await deliver(journeys.events, 99)
    const after = await scanTable(table, 'reportMonth')
    const byKey = (items: Record<string, unknown>[]) =>
      Object.fromEntries(items.map((item) => [`${item.pk}|${item.sk}`, item]))
    expect(byKey(after)).toEqual(byKey(before))
    expect(await report({ from: '2025-12', to: '2026-12' })).toEqual(snapshot)
  }, 120_000)

  it('keeps no personal data in counters: only codes, ids of mentors and numbers', async () => {
    const items = await scanTable(table, 'reportMonth')
    const names = new Set(items.flatMap((item) => Object.keys(item)))
    for (const name of names) {
      expect(name).toMatch(
        /^(pk|sk|entity|version|scope|month|requests\.[a-zA-Z]+(\.[\w.]+)?|offers\.\w+|sessions\.\w+|engagements\.\w+|outcomes\.\w+|rating\.\w+|timeToMatch\.\d+|mentor\.[\w-]+\.\w+)$/,
      )
    }
  })
})
