import { CohortEvents, makeCohortOffers } from '@pendamping/core/matching/cohort-store'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/** Makes the offers of a cohort plan staff committed, one transaction each. */
export const handler = consumer('CohortOffers', async (event, { store, clock }) => {
  if (!isEvent(event, CohortEvents.Committed)) return
  const result = await makeCohortOffers(store, clock, event.detail.programId, event.detail.planId)
  logger.info('cohort offers', { planId: event.detail.planId, ...result })
})
