import type { Locale } from '@pendamping/core/i18n/index'
import { getMentor } from '@pendamping/core/mentor/index'
import type { Notification, Recipient } from '@pendamping/core/notification/index'
import { OfferEvents } from '@pendamping/core/offer/events'
import { RequestEvents } from '@pendamping/core/request/events'
import { getRequest, type RequestItem } from '@pendamping/core/request/index'
import { formatLocal, isTimeZone } from '@pendamping/core/time/index'
import { topicLabel } from '@pendamping/core/topic/index'
import { consumer, isEvent } from './consume.ts'

const localeOf = (languages: readonly string[]): Locale => (languages[0] === 'en' ? 'en' : 'id')

/** The owner of a request as a recipient; undefined once their data is erased. */
export function ownerOf(request: RequestItem): Recipient | undefined {
  if (!request.business) return undefined
  return {
    ref: `owner:${request.id}`,
    email: request.business.email ?? undefined,
    phone: request.business.phone,
    locale: localeOf(request.languages),
  }
}

const firstName = (name: string) => name.split(/\s+/)[0] ?? name

/** Tells people what happened to them: a mentor of a new offer, an owner of their mentor or of no match. */
export const handler = consumer('Notifications', async (event, { store, notifier, publicUrl }) => {
  const send = (kind: Notification['kind'], to: Recipient, params: Notification['params']) =>
    notifier.send({ id: `${event.id}:${to.ref}:${kind}`, kind, to, params })

  if (isEvent(event, OfferEvents.Made)) {
    const [mentor, request] = await Promise.all([
      getMentor(store, event.detail.mentorId),
      getRequest(store, event.detail.requestId),
    ])
    if (!mentor || !request) return
    const locale = localeOf(mentor.languages)
    const zone = isTimeZone(mentor.timeZone) ? mentor.timeZone : 'Asia/Jakarta'
    await send(
      'offer-made',
      { ref: `mentor:${mentor.id}`, email: mentor.email, phone: mentor.phone, locale },
      {
        name: firstName(mentor.name),
        business: request.business?.name ?? '—',
        needs: request.needs.map((need) => topicLabel(need, locale)).join(', '),
        expiresAt: formatLocal(event.detail.expiresAt, zone, locale),
        link: `${publicUrl}/tawaran/${event.detail.offerId}`,
      },
    )
  } else if (isEvent(event, OfferEvents.Accepted)) {
    const [mentor, request] = await Promise.all([
      getMentor(store, event.detail.mentorId),
      getRequest(store, event.detail.requestId),
    ])
    const owner = request && ownerOf(request)
    if (!mentor || !request || !owner) return
    await send('offer-accepted', owner, {
      name: firstName(request.business?.ownerName ?? ''),
      mentor: firstName(mentor.name),
      link: `${publicUrl}/lacak/${request.id}`,
    })
  } else if (isEvent(event, RequestEvents.Unmatched)) {
    const request = await getRequest(store, event.detail.requestId)
    const owner = request && ownerOf(request)
    if (!request || !owner) return
    await send('request-unmatched', owner, {
      name: firstName(request.business?.ownerName ?? ''),
      link: `${publicUrl}/lacak/${request.id}`,
    })
  }
})
