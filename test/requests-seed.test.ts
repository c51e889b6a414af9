import { systemClock } from '@pendamping/core/store'
import { seed } from '@pendamping/scripts/seed'
import { outboxEvents, scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'

const table = useTestTable()

describe('Demo data for npm start', () => {
  it('seeds the Kota Malang program and eight requests, once', async () => {
    const store = { doc: table.doc, tableName: table.tableName }
    const first = await seed(store, systemClock)
    expect(first.seeded).toBe(true)
    expect(first.requests).toHaveLength(8)
    expect(first.requests.every((request) => request.status === 'matching')).toBe(true)

    const [program] = await scanTable(table, 'program')
    expect(program).toMatchObject({
      name: 'Pendampingan Digital UMKM Kota Malang 2026',
      region: '35.73',
      timeZone: 'Asia/Jakarta',
      status: 'open',
      segments: { umum: 70, asn: 70 },
    })
    const segments = await scanTable(table, 'programSegment')
    expect(Object.fromEntries(segments.map((s) => [s.segment, s.admitted]))).toEqual({ umum: 6, asn: 2 })
    expect(await outboxEvents(table, 'RequestSubmitted')).toHaveLength(8)

    const again = await seed(store, systemClock)
    expect(again.seeded).toBe(false)
    expect(await scanTable(table, 'request')).toHaveLength(8)
    expect(await scanTable(table, 'program')).toHaveLength(1)
  })
})
