import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** One cell of a load benchmark: how many requests a second, and their latency percentiles in ms. */
export interface Result {
  requests: number
  throughput: number
  p50: number
  p99: number
  /**
   * CPU milliseconds per request of each process named in {@link SideBySideOptions.processes} (and
   * `client`, this process), over the measured time only: where the time of a request goes when
   * every process shares the same cores.
   */
  cpu: Record<string, number>
}

export interface SideBySideOptions {
  /** Unrecorded calls per side before the first round, one client. */
  warmUp?: number
  /**
   * Then unrecorded seconds per side at the cell's concurrency, alternating like the rounds: until
   * the JITs of the API process and of DynamoDB Local's JVM settle. A JVM fresh from start spent
   * 0.5–0.6 ms of CPU per `GetItem` in its first 3 s of load and 0.13–0.17 ms after 15 s; with only
   * a count of calls before it, the slice measured first (the API's) paid for that warm-up. A bench's
   * first cell also runs {@link warmUp} longer, at its busiest concurrency.
   */
  warmUpSeconds?: number
  /**
   * The measured time is cut into this many slices per side, run alternately (API, floor, floor,
   * API, …), so a neighbour's burst on a shared machine lands on both sides rather than on one.
   */
  rounds?: number
  /** Other processes whose CPU time to count (Linux `/proc`), by name: the API, DynamoDB Local. */
  processes?: Record<string, number>
}

/**
 * One cell measured side by side: the API's task and the floor's, `seconds` each in total, in
 * alternating slices; the ratio of their throughputs is what a budget judges.
 *
 * @example
 * const { api, floor } = await sideBySide(50, 8, { api: callApi, floor: callDynamo }, { processes: { api: pid } })
 */
export async function sideBySide(
  clients: number,
  seconds: number,
  tasks: { api: () => Promise<unknown>; floor: () => Promise<unknown> },
  options: SideBySideOptions = {},
): Promise<{ api: Result; floor: Result }> {
  const calls = options.warmUp ?? 200
  const rounds = options.rounds ?? 4
  for (let i = 0; i < calls; i++) await tasks.api()
  for (let i = 0; i < calls; i++) await tasks.floor()
  await warmUp(clients, options.warmUpSeconds ?? 0, tasks)
  const runs = { api: newRun(), floor: newRun() }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['api', 'floor'] as const) : (['floor', 'api'] as const)
    for (const side of order)
      await measure(runs[side], clients, seconds / rounds, tasks[side], options.processes ?? {})
  }
  return { api: resultOf(runs.api), floor: resultOf(runs.floor) }
}

/** Both sides' tasks, unrecorded, `seconds` each at `clients` concurrency, in alternating halves. */
export async function warmUp(
  clients: number,
  seconds: number,
  tasks: { api: () => Promise<unknown>; floor: () => Promise<unknown> },
): Promise<void> {
  if (seconds <= 0) return
  for (const side of ['api', 'floor', 'floor', 'api'] as const)
    await measure(newRun(), clients, seconds / 2, tasks[side], {})
}

interface Run {
  latencies: number[]
  elapsed: number
  cpu: Record<string, number>
}

function newRun(): Run {
  return { latencies: [], elapsed: 0, cpu: {} }
}

async function measure(
  run: Run,
  clients: number,
  seconds: number,
  task: () => Promise<unknown>,
  processes: Record<string, number>,
): Promise<void> {
  const before = cpuTimes(processes)
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        await task()
        run.latencies.push(performance.now() - t0)
      }
    }),
  )
  run.elapsed += (performance.now() - started) / 1000
  const after = cpuTimes(processes)
  for (const [name, ms] of Object.entries(after))
    run.cpu[name] = (run.cpu[name] ?? 0) + ms - (before[name] ?? 0)
}

/** `client + API + DynamoDB = total`: a side's CPU ms per request (no API term on the floor's side). */
export function cpuOf(result: Result): string {
  const { client = 0, api = 0, dynamodb = 0 } = result.cpu
  const parts = api >= 0.05 ? [client, api, dynamodb] : [client, dynamodb]
  return `${parts.map((ms) => ms.toFixed(2)).join(' + ')} = ${(client + api + dynamodb).toFixed(2)}`
}

function resultOf(run: Run): Result {
  const latencies = run.latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  const requests = latencies.length
  return {
    requests,
    throughput: requests / run.elapsed,
    p50: at(0.5),
    p99: at(0.99),
    cpu: Object.fromEntries(Object.entries(run.cpu).map(([name, ms]) => [name, ms / Math.max(1, requests)])),
  }
}

/** CPU milliseconds (user + system) used so far by this process (`client`) and each named one. */
function cpuTimes(processes: Record<string, number>): Record<string, number> {
  const own = process.cpuUsage()
  const times: Record<string, number> = { client: (own.user + own.system) / 1000 }
  for (const [name, pid] of Object.entries(processes)) {
    const ms = procCpuMs(pid)
    if (ms !== undefined) times[name] = ms
  }
  return times
}

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`; 100 on Linux everywhere we run). */
const CLOCK_TICKS = 100

function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th
    // field of the line, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}

/**
 * A directory for a V8 CPU profile of the API process (`BENCH_PROFILE=/tmp/prof`), written when the
 * run ends: open it in Chrome DevTools.
 */
const PROFILE = process.env.BENCH_PROFILE

/**
 * Runs the bench's own `script` with `--serve <endpoint>` in a process of its own (the API side of a
 * cell, profiled under `BENCH_PROFILE`), and reads the `{ url, staffToken }` line it prints when ready.
 */
export async function startServer(
  script: string,
  endpoint: string,
): Promise<{ url: string; staffToken: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : []),
      '--import',
      'tsx',
      fileURLToPath(script),
      '--serve',
      endpoint,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    },
  )
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
  const exited = once(child, 'exit')
  // Never left running if this process ends first (a failed cell).
  process.once('exit', () => child.kill('SIGTERM'))
  return {
    ...(JSON.parse(line) as { url: string; staffToken: string }),
    pid: child.pid ?? 0,
    // Waits for the process to end, so a profile it writes on exit is complete.
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}
