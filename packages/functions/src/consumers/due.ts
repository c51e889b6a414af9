import { noteStaleRequest, staffCovering } from '@pendamping/core/account'
import { FollowUpEvents } from '@pendamping/core/followup'
import { makeBestOffer } from '@pendamping/core/matching'
import { getMentor } from '@pendamping/core/mentor'
import { type Notification, type Recipient, sendOnce } from '@pendamping/core/notification'
import { expireOffer } from '@pendamping/core/offer'
import { applyRetention } from '@pendamping/core/privacy'
import { consents, eligibleSince, getRequest } from '@pendamping/core/request'
import { getSession } from '@pendamping/core/session'
import { formatLocal } from '@pendamping/core/time'
import { logger } from '../logger.ts'
import { runClassDuty } from './classes.ts'
import { consumer, isEvent } from './consume.ts'
import { privatePageLink } from './links.ts'
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
    case 'retention': {
      const outcome = await applyRetention(store, clock, subjectId)
      logger.info('retention', { subjectId, outcome })
      return
    }
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
          channel: 'email',
        })
      // Read when sent: an owner who withdrew consent to reminders hears nothing from then on (UU PDP).
      if (owner && request && consents(request.consent, 'reminders')) recipients.push(owner)
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
          // The owner's page (by a link that opens it), the mentor's engagements.
          link:
            to.ref.startsWith('owner:') && request
              ? privatePageLink(runtime, 'request', request, to.locale)
              : `${publicUrl}/tawaran`,
        })
      }
      return
    }
    case 'post-session-check-in': {
      const session = await getSession(store, subjectId)
      const request = session && (await getRequest(store, session.requestId))
      const owner = request && ownerOf(request)
      if (session?.status !== 'completed' || !request || !owner) return
      if (!consents(request.consent, 'reminders')) return
      await send('check-in', owner, {
        name: (request.business?.ownerName ?? '').split(/\s+/)[0] ?? '',
        link: privatePageLink(runtime, 'request', request, owner.locale),
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
      // Issue 17: every staff member covering the region, by their channel; past a few a day, one digest.
      const alert = await noteStaleRequest(store, clock, request.region, request.id)
      if (alert.send === 'none') return
      const staff = await staffCovering(store, request.region)
      if (staff.length === 0) logger.warn('no staff covers the region', { region: request.region })
      for (const to of staff) {
        if (alert.send === 'digest')
          await send('stale-digest', to, {
            count: alert.count,
            region: request.region,
            link: `${publicUrl}/reports`,
          })
        else
          await send('stale-request', to, {
            requestId: request.id,
            region: request.region,
            days,
            link: `${publicUrl}/reports`,
          })
      }
      return
    }
  }
})
