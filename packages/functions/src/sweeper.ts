import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { sweepDue } from '@pendamping/core/followup'
import type { Context } from 'aws-lambda'
import { logger } from './logger.ts'
import { useRuntime } from './runtime.ts'
import { SWEEPER_METRICS, SweeperMetric } from './sweeper-metrics.ts'

export { SWEEPER_METRICS, SweeperMetric } from './sweeper-metrics.ts'

/** Leaves this much of the invocation for the watermark write and the metrics. */
const RESERVE_MS = 10_000

let metrics: Metrics | undefined

/**
 * The scheduled sweeper: fires every timed duty that has come due, catching up from its watermark
 * after any outage, a bounded amount per run (the next run, a minute later, carries on). Overlapping
 * runs are safe: each duty is claimed with a condition and fires once. Every run publishes its lag,
 * so a sweeper that stops running or falls behind raises the `SweepLag` alarm.
 */
export async function handler(
  _event?: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<{ fired: number; skipped: number; lagSeconds: number }> {
  const { store, clock } = useRuntime()
  metrics ??= new Metrics(SWEEPER_METRICS)
  const timeLeft = context ? () => context.getRemainingTimeInMillis() > RESERVE_MS : undefined
  const result = await sweepDue(store, clock, timeLeft ? { timeLeft } : {})
  const lagSeconds = Math.round(result.lagMs / 1000)
  metrics.addMetric(SweeperMetric.lag, MetricUnit.Seconds, lagSeconds)
  metrics.addMetric(SweeperMetric.fired, MetricUnit.Count, result.fired.length)
  metrics.publishStoredMetrics()
  if (result.fired.length > 0 || result.skipped.length > 0 || lagSeconds > 0) {
    logger.info('swept', {
      fired: result.fired.length,
      skipped: result.skipped.length,
      watermark: result.watermark,
      lagSeconds,
    })
  }
  return { fired: result.fired.length, skipped: result.skipped.length, lagSeconds }
}
