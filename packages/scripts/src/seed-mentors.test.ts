import { makeBestOffer } from '@pendamping/core/matching'
import { MentorApplication } from '@pendamping/core/mentor'
import { submitRequest } from '@pendamping/core/request'
import { systemClock } from '@pendamping/core/store'
import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { DEMO_MENTORS, seedMentors } from './seed-mentors.ts'
import { useTestTable } from './testing/table.ts'

const table = useTestTable()

describe('Demo mentors', () => {
  it('are valid applications', () => {
    for (const { id: _id, ...seed } of DEMO_MENTORS) {
      const parsed = z.safeParse(MentorApplication, {
        ...seed,
        consent: { accepted: true, purposeVersion: '2026-11' },
      })
      expect({ name: seed.name, issues: parsed.error?.issues ?? [] }).toEqual({ name: seed.name, issues: [] })
    }
  })

  it('are seeded once, active, and get a Malang request an offer', async () => {
    const store = { doc: table.doc, tableName: table.tableName }
    expect(await seedMentors(store, systemClock)).toBe(12)
    expect(await seedMentors(store, systemClock)).toBe(0)
    const request = await submitRequest(store, systemClock, {
      business: {
        name: 'Kopi Lereng Arjuno',
        ownerName: 'Slamet Riyadi',
        phone: '081233445566',
        region: '35.73',
        sector: 'kuliner',
        sizeClass: 'mikro',
        currentChannels: ['whatsapp'],
      },
      needs: ['social_media', 'content'],
      description: 'Ingin kedai kopi kami ramai lewat Instagram.',
      mode: 'offline',
      languages: ['id'],
      availability: [{ day: 'sat', from: '09:00', to: '12:00' }],
      consent: { accepted: true, purposeVersion: '2026-11' },
    })
    const outcome = await makeBestOffer(store, systemClock, request.id)
    expect(outcome).toMatchObject({ outcome: 'offered' })
  })
})
