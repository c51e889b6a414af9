/**
 * `npm run bench:report` — docs/contract/budgets.md "a report's cost is flat from 1 000 to 1 000 000 sessions".
 *
 * Writes the counter items of two programs straight into DynamoDB Local: the same 12 month items and
 * the same attributes (10 topics, 12 outcomes, 24 time-to-match buckets, 60 mentors…), one program's
 * numbers worth 1 000 sessions, the other's 1 000 000. Then reads each program's report many times
 * through the real `readReport`, counting DynamoDB calls and timing it. Prints a markdown table with
 * the ratio; exits non-zero when a report takes more than 3 calls or the large one is more than 1.5×
 * slower (median).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { withContext } from '@pendamping/core/actor'
import { createDocumentClient, ensureTable, keys } from '@pendamping/core/dynamo'
import { counter, readReport, TIME_TO_MATCH_BOUNDS_HOURS } from '@pendamping/core/report'
import { OUTCOMES, TOPICS } from '@pendamping/core/topic'
import { startDynamoDBLocal } from '../local/dynamodb-local.ts'

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
const MENTORS = Array.from({ length: 60 }, (_, i) => `bench-mentor-${i}`)
const RUNS = 300
const WARMUP = 30
const MAX_CALLS = 3
const MAX_RATIO = 1.5

/** One month's counters for a program with `sessions` sessions a year, spread evenly. */
function monthNumbers(sessions: number): Record<string, number> {
  const perMonth = Math.max(1, Math.round(sessions / MONTHS.length))
  const requests = Math.max(1, Math.round(perMonth / 3))
  const numbers: Record<string, number> = {
    [counter.submitted]: requests,
    [counter.matched]: Math.round(requests * 0.8),
    [counter.promoted]: Math.round(requests * 0.1),
    [counter.offersMade]: Math.round(requests * 1.4),
    [counter.offersAccepted]: Math.round(requests * 0.8),
    [counter.offersDeclined]: Math.round(requests * 0.4),
    [counter.offersExpired]: Math.round(requests * 0.2),
    [counter.sessionsScheduled]: Math.round(perMonth * 1.1),
    [counter.sessionsCompleted]: perMonth,
    [counter.sessionsCancelled]: Math.round(perMonth * 0.07),
    [counter.sessionsNoShow]: Math.round(perMonth * 0.03),
    [counter.sessionMinutes]: perMonth * 75,
    [counter.ratingSum]: Math.round(perMonth * 0.6 * 4.4),
    [counter.ratingCount]: Math.round(perMonth * 0.6),
  }
  for (const status of ['waitlisted', 'matching', 'offered', 'active', 'completed', 'cancelled', 'unmatched'])
    numbers[counter.status(status)] = Math.round(requests / 7)
  for (const topic of TOPICS) numbers[counter.topic(topic)] = Math.round(requests / 4)
  for (const outcome of OUTCOMES) numbers[counter.outcome(outcome)] = Math.round(perMonth / 12)
  for (const sector of ['kuliner', 'fesyen', 'kerajinan', 'jasa'])
    numbers[counter.sector(sector)] = Math.round(requests / 4)
  for (const size of ['mikro', 'kecil', 'menengah'])
    numbers[counter.sizeClass(size)] = Math.round(requests / 3)
  for (const segment of ['umum', 'asn']) numbers[counter.segment(segment)] = Math.round(requests / 2)
  for (const code of ['35', '35.73', '35.73.01', '35.73.02', '35.73.03'])
    numbers[counter.region(code)] = requests
  for (let bucket = 0; bucket <= TIME_TO_MATCH_BOUNDS_HOURS.length; bucket++)
    numbers[counter.timeToMatch(bucket)] = Math.round(requests / 30)
  for (const mentor of MENTORS) {
    numbers[counter.mentorEngagements(mentor)] = Math.round(requests / MENTORS.length)
    numbers[counter.mentorSessions(mentor)] = Math.round(perMonth / MENTORS.length)
    numbers[counter.mentorMinutes(mentor)] = Math.round((perMonth * 75) / MENTORS.length)
  }
  return numbers
}

async function main() {
  const db = await startDynamoDBLocal()
  const doc = createDocumentClient({ endpoint: db.endpoint })
  let calls = 0
  doc.middlewareStack.add(
    (next) => async (args) => {
      calls++
      return next(args)
    },
    { step: 'initialize', name: 'countCalls' },
  )
  const tableName = 'bench-report'
  await ensureTable(doc, tableName)
  const store = { doc, tableName }
  const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: tableName, Item }))
  for (const mentor of MENTORS)
    await put({ ...keys.mentor(mentor), entity: 'mentor', id: mentor, name: `Mentor ${mentor}` })

  const scales = [1_000, 1_000_000]
  for (const sessions of scales) {
    const id = `bench-${sessions}`
    await put({
      ...keys.program(id),
      entity: 'program',
      version: 1,
      id,
      region: '35.73',
      name: `Bench ${sessions}`,
      topics: ['social_media'],
      timeZone: 'Asia/Jakarta',
      startsAt: '2026-01-01T00:00:00+07:00',
      endsAt: '2099-12-31T00:00:00+07:00',
      segments: { umum: sessions, asn: sessions },
      offerWindowHours: 48,
      matchingWindowDays: 5,
      status: 'open',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'bench',
    })
    for (const segment of ['umum', 'asn']) {
      await put({
        ...keys.programSegment(id, segment),
        entity: 'programSegment',
        version: 1,
        programId: id,
        segment,
        quota: sessions,
        admitted: Math.round(sessions / 2),
        waitlisted: 7,
      })
    }
    const numbers = monthNumbers(sessions)
    for (const month of MONTHS) {
      await put({
        ...keys.reportMonth(`PROGRAM#${id}`, month),
        entity: 'reportMonth',
        version: 1,
        scope: `PROGRAM#${id}`,
        month,
        ...numbers,
      })
    }
  }

  const admin = { kind: 'account' as const, sub: 'bench', role: 'admin' as const, region: '*' }
  const now = new Date('2026-12-31T00:00:00Z')
  const run = (sessions: number) =>
    withContext({ actor: admin, requestId: 'bench', locale: 'id' }, () =>
      readReport(store, { program: `bench-${sessions}`, from: '2026-01', to: '2026-12' }, now),
    )
  const samples = new Map(
    scales.map((sessions) => [sessions, { times: [] as number[], calls: 0, completed: 0 }]),
  )
  for (let i = 0; i < WARMUP; i++) for (const sessions of scales) await run(sessions)
  // Interleaved, so both scales see the same warm JVM, cache and machine load.
  for (let i = 0; i < RUNS; i++) {
    for (const sessions of scales) {
      const sample = samples.get(sessions)
      if (!sample) continue
      calls = 0
      const started = performance.now()
      const report = await run(sessions)
      sample.times.push(performance.now() - started)
      sample.calls = Math.max(sample.calls, calls)
      sample.completed = report.sessions.completed
    }
  }
  const results = scales.map((sessions) => {
    const sample = samples.get(sessions) ?? { times: [], calls: 0, completed: 0 }
    const times = [...sample.times].sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0
    return { sessions, calls: sample.calls, p50: at(0.5), p95: at(0.95), completed: sample.completed }
  })
  doc.destroy()
  await db.stop()

  const [small, large] = results as [(typeof results)[0], (typeof results)[0]]
  const ratio = large.p50 / small.p50
  console.log(`\nReport of one program, 12 months, ${RUNS} runs each against DynamoDB Local\n`)
  console.log('| sessions | sessions in report | DynamoDB calls | p50 ms | p95 ms |')
  console.log('|---:|---:|---:|---:|---:|')
  for (const r of results)
    console.log(
      `| ${r.sessions.toLocaleString('en')} | ${r.completed.toLocaleString('en')} | ${r.calls} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} |`,
    )
  console.log(
    `| **ratio 1M / 1k** | | ${large.calls / small.calls} | **${ratio.toFixed(2)}×** | ${(large.p95 / small.p95).toFixed(2)}× |`,
  )
  const ok = results.every((r) => r.calls <= MAX_CALLS) && ratio <= MAX_RATIO
  console.log(ok ? '\nFlat: within budget.' : `\nOVER BUDGET (≤ ${MAX_CALLS} calls, ratio ≤ ${MAX_RATIO}).`)
  process.exitCode = ok ? 0 : 1
}

await main()
