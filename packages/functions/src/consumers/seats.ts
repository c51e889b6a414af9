import { withdrawOpenOffer } from '@pendamping/core/offer'
import { ProgramEvents } from '@pendamping/core/program'
import { promoteNextWaitlisted, RequestEvents, releaseWaitlist } from '@pendamping/core/request'
import type { Clock, Store } from '@pendamping/core/store'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/** At most this many promotions per event: a raised quota fills over a few deliveries, never unbounded. */
export const MAX_PROMOTIONS_PER_EVENT = 50

async function fillFreeSeats(store: Store, clock: Clock, programId: string, segment: string, limit: number) {
  let promoted = 0
  while (promoted < limit && (await promoteNextWaitlisted(store, clock, programId, segment))) promoted++
  if (promoted > 0) logger.info('waitlist promoted', { programId, segment, promoted })
}

/**
 * Seats and the waitlist (invariant 3): a cancelled request's open offer is withdrawn and its seat
 * goes to the oldest waiting request, and so does the seat of a request that became `unmatched`; a
 * request waitlisted while a seat was freeing gets that seat; a raised quota promotes waiting requests
 * into the new seats; a closed program lets its waitlist go (each owner is told).
 */
export const handler = consumer('SeatRelease', async (event, { store, clock }) => {
  if (isEvent(event, RequestEvents.Cancelled)) {
    const { requestId, programId, segment, freedSeat, previousStatus } = event.detail
    if (previousStatus === 'offered') await withdrawOpenOffer(store, clock, requestId)
    if (freedSeat && programId && segment) await fillFreeSeats(store, clock, programId, segment, 1)
  } else if (isEvent(event, RequestEvents.Submitted)) {
    const { status, programId, segment } = event.detail
    // Between its two transactions a seat may have freed with nobody yet promoted: close that gap.
    if (status === 'waitlisted' && programId && segment)
      await fillFreeSeats(store, clock, programId, segment, 1)
  } else if (isEvent(event, RequestEvents.Unmatched)) {
    const { programId, segment, freedSeat } = event.detail
    if (freedSeat && programId && segment) await fillFreeSeats(store, clock, programId, segment, 1)
  } else if (isEvent(event, ProgramEvents.Updated)) {
    const { programId, status, previousStatus } = event.detail
    if (status === 'closed' && previousStatus !== 'closed') {
      const released = await releaseWaitlist(store, clock, programId)
      if (released > 0) logger.info('waitlist released', { programId, released })
      return
    }
    for (const segment of event.detail.raisedSegments) {
      await fillFreeSeats(store, clock, programId, segment, MAX_PROMOTIONS_PER_EVENT)
    }
  }
})
