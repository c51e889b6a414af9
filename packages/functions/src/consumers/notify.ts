import { AccountEvents, readAccount } from '@pendamping/core/account'
import type { Locale } from '@pendamping/core/i18n'
import { getMentor, MentorEvents } from '@pendamping/core/mentor'
import type { ForgettingNotifier, Notification, Recipient } from '@pendamping/core/notification'
import { OfferEvents } from '@pendamping/core/offer'
import { PrivacyEvents } from '@pendamping/core/privacy'
import { getProgramItem } from '@pendamping/core/program'
import { cityOf, regionName } from '@pendamping/core/region'
import { getRequest, RequestEvents, type RequestItem } from '@pendamping/core/request'
import { formatLocal, isTimeZone } from '@pendamping/core/time'
import { topicLabel } from '@pendamping/core/topic'
import { consumer, isEvent } from './consume.ts'
import { privatePageLink } from './links.ts'

const localeOf = (languages: readonly string[]): Locale => (languages[0] === 'en' ? 'en' : 'id')

/** The owner of a request as a recipient; undefined once their data is erased. */
export function ownerOf(request: RequestItem): Recipient | undefined {
  if (!request.business) return undefined
  return {
    ref: `owner:${request.id}`,
    email: request.business.email ?? undefined,
    phone: request.business.phone,
    locale: localeOf(request.languages),
    // Issue 17: the channel they chose (older requests: WhatsApp, the default for a phone).
    channel: request.business.channel,
  }
}

const firstName = (name: string) => name.split(/\s+/)[0] ?? name

/**
 * Tells people what happened to them: a mentor of a new offer, an owner of their mentor, of no match,
 * or of their program closing while they waited.
 */
export const handler = consumer('Notifications', async (event, runtime) => {
  const { store, notifier, publicUrl } = runtime
  // The owner's page, by a link that opens it (docs/contract/channels.md#links-in-messages).
  const ownerPage = (request: RequestItem, owner: Recipient) =>
    privatePageLink(runtime, 'request', request, owner.locale)
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
      { ref: `mentor:${mentor.id}`, email: mentor.email, phone: mentor.phone, locale, channel: 'email' },
      {
        name: firstName(mentor.name),
        // Where, not who: the business stays unnamed until the mentor accepts (and never in a subject).
        city: regionName(cityOf(request.region) ?? request.region) ?? request.region,
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
      link: ownerPage(request, owner),
    })
  } else if (isEvent(event, MentorEvents.Approved)) {
    // The account approval made: its invitation, by the mentor's channel.
    const mentor = await getMentor(store, event.detail.mentorId)
    if (!mentor) return
    const locale = localeOf(mentor.languages)
    await send(
      'account-invitation',
      { ref: `mentor:${mentor.id}`, email: mentor.email, phone: mentor.phone, locale, channel: 'email' },
      { name: firstName(mentor.name), role: 'mentor', link: `${publicUrl}/masuk` },
    )
  } else if (isEvent(event, AccountEvents.StaffInvited)) {
    const account = await readAccount(store, event.detail.sub)
    if (!account?.email) return
    await send(
      'account-invitation',
      { ref: `staff:${account.sub}`, email: account.email, locale: 'id' },
      { name: firstName(account.name ?? ''), role: 'staf', link: `${publicUrl}/reports` },
    )
  } else if (isEvent(event, PrivacyEvents.PersonErased)) {
    // The messages' part of an erasure: their records, and the provider's copy where one is kept.
    const { person, personId } = event.detail
    if ('forget' in notifier) await (notifier as ForgettingNotifier).forget(`${person}:${personId}`)
  } else if (isEvent(event, OfferEvents.EngagementEnded) && event.detail.cause) {
    // The business left (erased its data or withdrew consent): the mentor hears the engagement ended.
    const mentor = await getMentor(store, event.detail.mentorId)
    if (!mentor) return
    await send(
      'engagement-ended',
      {
        ref: `mentor:${mentor.id}`,
        email: mentor.email,
        phone: mentor.phone,
        locale: localeOf(mentor.languages),
      },
      { name: firstName(mentor.name), link: `${publicUrl}/tawaran` },
    )
  } else if (
    isEvent(event, OfferEvents.EngagementNeedsDecision) ||
    (isEvent(event, OfferEvents.EngagementReassigned) && event.detail.cause === 'mentor-erased')
  ) {
    // The mentor was suspended, or erased their data (the request is matched again at once): the
    // owner hears it, and how many sessions were cancelled.
    const request = await getRequest(store, event.detail.requestId)
    const owner = request && ownerOf(request)
    if (!request || !owner) return
    await send('mentor-withdrawn', owner, {
      name: firstName(request.business?.ownerName ?? ''),
      sessions: event.detail.sessionsCancelled ?? 0,
      link: ownerPage(request, owner),
    })
  } else if (isEvent(event, RequestEvents.Unmatched)) {
    const request = await getRequest(store, event.detail.requestId)
    const owner = request && ownerOf(request)
    if (!request || !owner) return
    await send('request-unmatched', owner, {
      name: firstName(request.business?.ownerName ?? ''),
      link: ownerPage(request, owner),
    })
  } else if (isEvent(event, RequestEvents.Cancelled) && event.detail.reason === 'program-closed') {
    // Its program closed while it waited for a seat: the owner hears it, with where to look next.
    const [request, program] = await Promise.all([
      getRequest(store, event.detail.requestId),
      event.detail.programId ? getProgramItem(store, event.detail.programId) : undefined,
    ])
    const owner = request && ownerOf(request)
    if (!request || !owner) return
    await send('program-closed', owner, {
      name: firstName(request.business?.ownerName ?? ''),
      program: program?.name ?? '',
      link: `${publicUrl}${owner.locale === 'en' ? '/en/programs' : '/program'}`,
    })
  }
})
