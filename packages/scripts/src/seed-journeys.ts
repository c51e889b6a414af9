/**
 * Demo history for `npm start`: a few owners of the demo program who were matched, met their mentor
 * and rated the session in past months, so the report page has sessions, hours, outcomes, ratings
 * and times to match to show. Every step goes through the same core functions as the API, with a
 * clock set in the past; their events flow through the stream like any others.
 */
import { type Actor, withContext } from '@pendamping/core/actor'
import { giveFeedback } from '@pendamping/core/feedback'
import { makeBestOffer } from '@pendamping/core/matching'
import { acceptOffer } from '@pendamping/core/offer'
import { type NewRequest, submitRequest } from '@pendamping/core/request'
import { completeSession, scheduleSession } from '@pendamping/core/session'
import type { Clock, Store } from '@pendamping/core/store'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const at = (time: number): Clock => ({ now: () => new Date(time) })
const anonymous: Actor = { kind: 'anonymous' }
const inContext = <T>(actor: Actor, fn: () => Promise<T>) =>
  withContext({ actor, requestId: 'seed', locale: 'id' }, fn)

const histories: Array<{
  daysAgo: number
  hoursToMatch: number
  business: NewRequest['business']
  needs: string[]
  outcomes: string[]
  rating: number
}> = [
  {
    daysAgo: 75,
    hoursToMatch: 3,
    business: {
      name: 'Tempe Chips Sanan Jaya',
      ownerName: 'Slamet Riyadi',
      phone: '0813-3301-7788',
      region: '35.73.01',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp'],
    },
    needs: ['social_media', 'content'],
    outcomes: ['instagram_business_account'],
    rating: 5,
  },
  {
    daysAgo: 52,
    hoursToMatch: 9,
    business: {
      name: 'Batik Kembang Arum',
      ownerName: 'Endang Lestari',
      phone: '0812-3302-4455',
      region: '35.73.05',
      sector: 'fashion',
      sizeClass: 'kecil',
      currentChannels: ['instagram'],
    },
    needs: ['marketplace', 'copywriting'],
    outcomes: ['marketplace_listing', 'first_online_sale'],
    rating: 4,
  },
  {
    daysAgo: 31,
    hoursToMatch: 20,
    business: {
      name: 'Kripik Apel Bumiaji',
      ownerName: 'Sugeng Hartono',
      phone: '0857-3303-1122',
      region: '35.73.02',
      sector: 'kuliner',
      sizeClass: 'mikro',
      currentChannels: ['whatsapp', 'offline_store'],
    },
    needs: ['packaging', 'branding'],
    outcomes: ['new_packaging', 'new_logo'],
    rating: 5,
  },
]

/**
 * Seeds the demo program's past journeys: request → offer → accept → session → completion → rating.
 * Runs once, right after the demo program is created.
 * @returns how many journeys were completed
 */
export async function seedPastJourneys(store: Store, clock: Clock, programId: string): Promise<number> {
  let completed = 0
  for (const history of histories) {
    const submittedAt = clock.now().getTime() - history.daysAgo * DAY
    const request = await inContext(anonymous, () =>
      submitRequest(store, at(submittedAt), {
        business: history.business,
        needs: history.needs,
        description: 'Riwayat contoh untuk laporan program.',
        mode: 'online',
        languages: ['id'],
        availability: [{ day: 'sat', from: '09:00', to: '12:00' }],
        programId,
        segment: 'umum',
        consent: { accepted: true, purposeVersion: '2026-11' },
      }),
    )
    const offer = await makeBestOffer(store, at(submittedAt + HOUR), request.id)
    if (offer.outcome !== 'offered') continue
    const mentor: Actor = { kind: 'account', sub: offer.mentorId, role: 'mentor', region: '35.73' }
    const matchedAt = submittedAt + history.hoursToMatch * HOUR
    const engagement = await inContext(mentor, () => acceptOffer(store, at(matchedAt), offer.offerId))
    // The first session two days later, 09.00–10.30 WIB.
    const startsAt = new Date(Math.floor((matchedAt + 2 * DAY) / DAY) * DAY + 2 * HOUR)
    const session = await inContext(mentor, () =>
      scheduleSession(store, at(matchedAt + HOUR), engagement.id, {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 1.5 * HOUR).toISOString(),
        mode: 'online',
        meetingUrl: 'https://meet.google.com/pdm-demo-sesi',
        topics: history.needs.slice(0, 1),
      }),
    )
    await inContext(mentor, () =>
      completeSession(store, at(startsAt.getTime() + 2 * HOUR), session.id, {
        attendance: 'attended',
        notes: 'Sesi contoh: rencana kerja empat minggu disepakati.',
        outcomes: history.outcomes as never,
      }),
    )
    await inContext(anonymous, () =>
      giveFeedback(
        store,
        at(startsAt.getTime() + DAY),
        session.id,
        { rating: history.rating },
        { token: request.trackingToken },
      ),
    )
    completed++
  }
  return completed
}
