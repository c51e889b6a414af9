import type { Clock } from '@pendamping/core/store'
import { seed } from '@pendamping/scripts/seed'
import { seedPastJourneys } from '@pendamping/scripts/seed-journeys'
import { seedMentors } from '@pendamping/scripts/seed-mentors'
import { outboxEvents } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'

const table = useTestTable()
const clock: Clock = { now: () => new Date('2026-11-23T10:00:00Z') }

describe('Demo history for npm start', () => {
  it('walks three past owners from request to rating through the core functions', async () => {
    const store = { doc: table.doc, tableName: table.tableName }
    await seedMentors(store, clock)
    const demo = await seed(store, clock)
    expect(demo.programId).toBeDefined()
    expect(await seedPastJourneys(store, clock, demo.programId ?? '')).toBe(3)
    const completed = await outboxEvents(table, 'SessionCompleted')
    expect(completed).toHaveLength(3)
    expect((await outboxEvents(table, 'FeedbackReceived')).map((e) => e.detail.rating).sort()).toEqual([
      4, 5, 5,
    ])
    // In past months, so the report's monthly series and time to match have data.
    const accepted = await outboxEvents(table, 'OfferAccepted')
    const hours = accepted.map(
      (e) => (Date.parse(String(e.detail.acceptedAt)) - Date.parse(String(e.detail.submittedAt))) / 3_600_000,
    )
    expect(hours.sort((a, b) => a - b)).toEqual([3, 9, 20])
  })
})
