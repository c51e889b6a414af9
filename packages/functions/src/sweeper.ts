import { sweepDue } from '@pendamping/core/followup/index'
import { logger } from './logger.ts'
import { useRuntime } from './runtime.ts'

/**
 * The scheduled sweeper: fires every timed duty that has come due. Overlapping runs are safe: each
 * duty is claimed with a condition and fires once.
 */
export async function handler(): Promise<{ fired: number; skipped: number }> {
  const { store, clock } = useRuntime()
  const result = await sweepDue(store, clock)
  if (result.fired.length > 0 || result.skipped.length > 0) {
    logger.info('swept', { fired: result.fired.length, skipped: result.skipped.length })
  }
  return { fired: result.fired.length, skipped: result.skipped.length }
}
