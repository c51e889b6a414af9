import { FollowUpEvents } from '@pendamping/core/followup/index'
import { makeBestOffer } from '@pendamping/core/matching/candidates'
import { getMentor } from '@pendamping/core/mentor/index'
import type { Notification, Recipient } from '@pendamping/core/notification/index'
import { sendOnce } from '@pendamping/core/notification/once'
import { expireOffer } from '@pendamping/core/offer/index'
import { eligibleSince, getRequest } from '@pendamping/core/request/index'
import { getSession } from '@pendamping/core/session/index'
import { formatLocal } from '@pendamping/core/time/index'
import { logger } from '../logger.ts'
import { runClassDuty } from './classes.ts'
import { consumer, isEvent } from './consume.ts'
import { ownerOf } from './notify.ts'

/** Carries out a timed duty when the sweeper says it is due: each fires once (see `sweepDue`). */
export const handler = consumer('FollowUpRunner', async (event, runtime, invocation) => {
  const { store, clock, notifier, publicUrl } = runtime
  if (!isEvent(event, FollowUpEvents.Due)) return
  const { kind, subjectId } = event.detail
  if (await runClassDuty(runtime, event, kind, subjectId)) return
  // Once per recipient: a retry after the second recipient failed does not remind the first again.
  const send = (type: Notification['kind'], to: Recipient, params: Notification['params']) =>
    sendOnce(
      store,
      clock,
      notifier,
      { id: `${event.detail.followUpId}:${to.ref}`, kind: type, to, params },
      { leaseMs: invocation.remainingMs() },
    )

  switch (kind) {
    case 'offer-expiry': {
      const result = await expireOffer(store, clock, subjectId)
      logger.info('offer expiry', { offerId: subjectId, outcome: result.outcome })
      return
    }
    case 'session-reminder-24h':
    case 'session-reminder-1h': {
      const session = await getSession(store, subjectId)
      if (session?.status !== 'scheduled') return
      const [mentor, request] = await Promise.all([
        getMentor(store, session.mentorId),
        getRequest(store, session.requestId),
      ])
      const owner = request && ownerOf(request)
      const recipients: Recipient[] = []
      if (mentor)
        recipients.push({
          ref: `mentor:${mentor.id}`,
          email: mentor.email,
          phone: mentor.phone,
          locale: mentor.languages[0] === 'en' ? 'en' : 'id',
        })
      if (owner) recipients.push(owner)
      for (const to of recipients) {
        await send('session-reminder', to, {
          when:
            kind === 'session-reminder-24h'
              ? to.locale === 'en'
                ? 'tomorrow'
                : 'besok'
              : to.locale === 'en'
                ? 'in 1 hour'
                : '1 jam lagi',
          startsAt: formatLocal(session.startsAt, session.timeZone, to.locale),
          where: session.mode === 'online' ? (session.meetingUrl ?? '') : (session.place ?? ''),
        })
      }
      return
    }
    case 'post-session-check-in': {
      const session = await getSession(store, subjectId)
      const request = session && (await getRequest(store, session.requestId))
      const owner = request && ownerOf(request)
      if (session?.status !== 'completed' || !request || !owner) return
      await send('check-in', owner, {
        name: (request.business?.ownerName ?? '').split(/\s+/)[0] ?? '',
        link: `${publicUrl}/lacak/${request.id}`,
      })
      return
    }
    case 'stale-request': {
      const request = await getRequest(store, subjectId)
      if (request?.status !== 'matching') return
      // Its window closed: matching decides — an offer if someone fits now, else `unmatched` (its event
      // tells the owner and frees the seat). A window that grew meanwhile moves this duty instead.
      const result = await makeBestOffer(store, clock, request.id)
      if (result.outcome !== 'unmatched') return
      const days = Math.floor((clock.now().getTime() - Date.parse(eligibleSince(request))) / 86_400_000)
      await send(
        'stale-request',
        { ref: `staff:${request.region}`, locale: 'id' },
        {
          requestId: request.id,
          region: request.region,
          days,
        },
      )
      return
    }
  }
})
