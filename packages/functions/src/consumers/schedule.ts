import { applyFollowUps, followUpChanges } from '@pendamping/core/followup'
import { classFollowUps } from './classes.ts'
import { consumer } from './consume.ts'

/** Keeps the timed duties in step with what happened (the rules: `followUpChanges`, `classFollowUps`). */
export const handler = consumer('FollowUpScheduler', async (event, { store, clock }) => {
  const now = clock.now()
  await applyFollowUps(store, [
    ...followUpChanges(store.tableName, event, now),
    ...classFollowUps(store.tableName, event, now),
  ])
})
