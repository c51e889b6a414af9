/** One cell of a load benchmark: how many requests a second, and their latency percentiles in ms. */
export interface Result {
  requests: number
  throughput: number
  p50: number
  p99: number
}

/**
 * Runs `task` from `clients` concurrent loops for `seconds`, after `warmUp` unrecorded calls one at a
 * time (connections, JIT, route groups and caches, DynamoDB Local's own caches).
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  task: () => Promise<unknown>,
  warmUp = 200,
): Promise<Result> {
  for (let i = 0; i < warmUp; i++) await task()
  const latencies: number[] = []
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        await task()
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { requests: latencies.length, throughput: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) }
}
