/**
 * `npm run bench:match` — the matching budgets of docs/contract/budgets.md on seeded synthetic data:
 *   - instant match of one request against 10 000 mentors ≤ 20 ms of CPU (median of many runs);
 *   - cohort plan of 2 000 requests × 500 mentors ≤ 2 s.
 * Prints a markdown table; exits non-zero when a budget is missed.
 *
 * The cohort is measured in three seat regimes (the solver searches from whichever side is scarcer,
 * so each regime exercises a different path); the budget applies to each.
 */
import { type MentorProfile, planCohort, rankMentors } from '@pendamping/core/matching'
import { syntheticMentors, syntheticRequests } from '@pendamping/scripts/testing/synthetic-matching'

const INSTANT_BUDGET_MS = 20
const COHORT_BUDGET_MS = 2000
const SEED = 20_250_505

function cpuMs(fn: () => void): { cpu: number; wall: number } {
  const startCpu = process.cpuUsage()
  const startWall = performance.now()
  fn()
  const wall = performance.now() - startWall
  const used = process.cpuUsage(startCpu)
  return { cpu: (used.user + used.system) / 1000, wall }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}

const rows: string[] = []
let failed = false
function report(
  measure: string,
  data: string,
  runs: number,
  cpu: number[],
  wall: number[],
  budget: number,
  judged: 'cpu' | 'wall',
) {
  cpu.sort((a, b) => a - b)
  wall.sort((a, b) => a - b)
  const median = quantile(judged === 'cpu' ? cpu : wall, 0.5)
  const pass = median <= budget
  failed ||= !pass
  rows.push(
    `| ${measure} | ${data} | ${runs} | ${quantile(cpu, 0.5).toFixed(2)} | ${quantile(cpu, 0.95).toFixed(2)} | ${quantile(wall, 0.5).toFixed(2)} | ≤ ${budget} (${judged}) | ${pass ? 'PASS' : 'FAIL'} |`,
  )
}

// Instant: one request against 10 000 mentors across Java, top 5 (the offer and its fallbacks).
{
  const java = ['31', '32', '33', '34', '35', '36']
  const mentors = syntheticMentors(10_000, { seed: SEED, provinces: java })
  const requests = syntheticRequests(500, { seed: SEED, provinces: java })
  for (const request of requests.slice(0, 100)) rankMentors(request, mentors, 5)
  const cpu: number[] = []
  const wall: number[] = []
  let offered = 0
  for (const request of requests) {
    let found = 0
    const t = cpuMs(() => {
      found = rankMentors(request, mentors, 5).length
    })
    if (found > 0) offered++
    cpu.push(t.cpu)
    wall.push(t.wall)
  }
  report(
    'instant match, top 5',
    `10 000 mentors; ${offered}/${requests.length} requests found a mentor`,
    requests.length,
    cpu,
    wall,
    INSTANT_BUDGET_MS,
    'cpu',
  )
}

// Cohort: a provincial program (Jawa Timur), 2 000 open requests × 500 mentors.
{
  const requests = syntheticRequests(2000, { seed: SEED })
  const base = syntheticMentors(500, { seed: SEED })
  const regimes: [string, (m: MentorProfile) => MentorProfile][] = [
    ['seats scarce', (m) => m],
    ['seats ≈ requests', (m) => ({ ...m, capacity: m.capacity + 3, active: Math.max(0, m.active - 1) })],
    ['seats plenty', (m) => ({ ...m, capacity: 12, active: 0 })],
  ]
  for (const [name, shape] of regimes) {
    const mentors = base.map(shape)
    const seats = mentors
      .filter((m) => m.status === 'active')
      .reduce((sum, m) => sum + Math.max(0, m.capacity - m.active), 0)
    planCohort(requests.slice(0, 200), mentors) // warm the JIT on a smaller plan
    const cpu: number[] = []
    const wall: number[] = []
    let matched = 0
    for (let run = 0; run < 5; run++) {
      const t = cpuMs(() => {
        matched = planCohort(requests, mentors).assignments.length
      })
      cpu.push(t.cpu)
      wall.push(t.wall)
    }
    report(
      `cohort plan, ${name}`,
      `2 000 requests × 500 mentors, ${seats} free seats; ${matched} matched`,
      5,
      cpu,
      wall,
      COHORT_BUDGET_MS,
      'wall',
    )
  }
}

console.log(`Matching benchmark — Node ${process.version}, seed ${SEED}\n`)
console.log('| measure | data | runs | CPU median ms | CPU p95 ms | wall median ms | budget ms | result |')
console.log('|---|---|---:|---:|---:|---:|---|---|')
for (const row of rows) console.log(row)
if (failed) process.exitCode = 1
