import { CohortEvents, makeCohortOffers } from '@pendamping/core/matching'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * Makes the offers of one chunk of a committed cohort plan (at most `PLAN_CHUNK_SIZE`), one
 * transaction each: every invocation stays well inside its timeout however large the cohort.
 */
export const handler = consumer('CohortOffers', async (event, { store, clock }) => {
  if (!isEvent(event, CohortEvents.ChunkCommitted)) return
  const { programId, planId, chunk } = event.detail
  const result = await makeCohortOffers(store, clock, programId, planId, chunk)
  logger.info('cohort offers', { planId, chunk, ...result })
})
