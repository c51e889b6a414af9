/**
 * The consumers of classes (docs/contract/classes-and-certificates.md): seats (promotions, the lottery draw, noticing a full class),
 * notices to participants (cancellation, promotion, lottery result, follow-on invitations), and
 * completion; plus the class duties of the follow-up scheduler and runner. Each is idempotent
 * (invariant 6): claims by event id, every write conditioned on the state it read, notifications
 * keyed by event and person.
 */
import {
  allRegistrations,
  ClassEvents,
  type ClassItem,
  cancelForClass,
  drawClass,
  fillFreeSeats,
  finishClass,
  getClassItem,
  invitationAudience,
  lastMeetingMarked,
  markFilled,
  type ParticipantItem,
  participantsOf,
  registrationsOf,
  reminderAudience,
} from '@pendamping/core/class'
import type { EventEnvelope } from '@pendamping/core/event'
import { cancelFollowUp, type FollowUpKind, scheduleFollowUp } from '@pendamping/core/followup'
import type { Notification, Recipient } from '@pendamping/core/notification'
import type { Clock, Store } from '@pendamping/core/store'
import { formatLocal } from '@pendamping/core/time'
import { logger } from '../logger.ts'
import type { Runtime } from '../runtime.ts'
import { consumer, isEvent } from './consume.ts'
import { privatePageLink } from './links.ts'

/** Free seats of every segment to their waitlists, then whether the class just filled. */
async function seatAll(store: Store, clock: Clock, klass: ClassItem) {
  for (const segment of Object.keys(klass.seats)) await fillFreeSeats(store, clock, klass.id, segment)
  await markFilled(store, clock, klass.id)
}

/** Draws a lottery class whose registration closed (a repeat does nothing) and seats its waitlist. */
async function drawAndSeat(store: Store, clock: Clock, classId: string) {
  const result = await drawClass(store, clock, classId)
  logger.info('class draw', { classId, ...result })
  const klass = await getClassItem(store, classId)
  if (klass && result.outcome === 'drawn') await seatAll(store, clock, klass)
}

/**
 * Seats (invariant 3): a freed seat goes to the oldest waiting registration of its segment; a
 * registration waitlisted while a seat was freeing gets that seat; a lottery class whose registration
 * was closed early is drawn and seated; a class whose last seat went is marked full (time to fill).
 */
export const seats = consumer('ClassSeats', async (event, { store, clock }) => {
  if (isEvent(event, ClassEvents.RegistrationCancelled)) {
    const { classId, segment, freedSeat } = event.detail
    if (freedSeat) await fillFreeSeats(store, clock, classId, segment, 1)
  } else if (isEvent(event, ClassEvents.ParticipantRegistered)) {
    const { classId, segment, status } = event.detail
    // Between its two transactions a seat may have freed with nobody yet promoted: close that gap.
    if (status === 'waitlisted') await fillFreeSeats(store, clock, classId, segment, 1)
    if (status === 'confirmed') await markFilled(store, clock, classId)
  } else if (isEvent(event, ClassEvents.RegistrationPromoted)) {
    await markFilled(store, clock, event.detail.classId)
  } else if (isEvent(event, ClassEvents.RegistrationClosed)) {
    if (event.detail.admission === 'lottery') await drawAndSeat(store, clock, event.detail.classId)
  }
})

const firstName = (name: string) => name.split(/\s+/)[0] ?? name

function recipientOf(participant: ParticipantItem): Recipient {
  return {
    ref: `participant:${participant.id}`,
    email: participant.email ?? undefined,
    phone: participant.phone,
    locale: participant.locale,
    channel: participant.channel,
  }
}

/** Sends `kind` to each participant once per event (the notification id holds both). */
async function tell(
  runtime: Runtime,
  event: EventEnvelope,
  kind: Notification['kind'],
  people: ReadonlyArray<{ participant: ParticipantItem }>,
  params: (participant: ParticipantItem) => Notification['params'],
) {
  for (const { participant } of people)
    await runtime.notifier.send({
      id: `${event.id}:participant:${participant.id}:${kind}`,
      kind,
      to: recipientOf(participant),
      params: { name: firstName(participant.name), ...params(participant) },
    })
}

/**
 * Tells participants what happened to their place: a cancelled class (whose registrations it then
 * cancels, freeing the phones), a promotion from the waitlist, a lottery result; and sends follow-on
 * invitations to those who consented to them.
 */
export const notices = consumer('ClassNotices', async (event, runtime) => {
  const { store, clock, publicUrl } = runtime
  const classLink = (classId: string) => `${publicUrl}/kelas/${classId}`
  if (isEvent(event, ClassEvents.Cancelled)) {
    const klass = await getClassItem(store, event.detail.classId)
    if (!klass) return
    const holding = (
      await Promise.all(
        (['registered', 'waitlisted', 'confirmed'] as const).map((status) =>
          allRegistrations(store, klass.id, status),
        ),
      )
    ).flat()
    for (const registration of holding) await cancelForClass(store, clock, registration)
    await tell(runtime, event, 'class-cancelled', await participantsOf(store, holding), () => ({
      title: klass.title,
      link: `${publicUrl}/kelas`,
    }))
  } else if (isEvent(event, ClassEvents.RegistrationPromoted)) {
    const [klass, registrations] = await Promise.all([
      getClassItem(store, event.detail.classId),
      registrationsOf(store, [event.detail.registrationId]),
    ])
    if (!klass) return
    // Their private page, by a link that opens it (docs/contract/channels.md#links-in-messages).
    await tell(
      runtime,
      event,
      'class-promoted',
      await participantsOf(store, registrations),
      (participant) => ({
        title: klass.title,
        link: privatePageLink(runtime, 'participant', participant, participant.locale),
      }),
    )
  } else if (isEvent(event, ClassEvents.RegistrationsDrawn)) {
    const klass = await getClassItem(store, event.detail.classId)
    if (!klass) return
    const confirmed = new Set(event.detail.confirmed)
    const registrations = await registrationsOf(store, [
      ...event.detail.confirmed,
      ...event.detail.waitlisted,
    ])
    const people = await participantsOf(store, registrations)
    for (const person of people) {
      const seated = confirmed.has(person.registration.id)
      const en = person.participant.locale === 'en'
      await tell(runtime, event, 'class-drawn', [person], () => ({
        title: klass.title,
        outcome: seated
          ? en
            ? 'you have a seat'
            : 'Anda mendapat kursi'
          : en
            ? `you are number ${person.registration.drawRank ?? ''} on the waiting list`
            : `Anda di daftar tunggu nomor ${person.registration.drawRank ?? ''}`,
        link: `${classLink(klass.id)}/undian`,
      }))
    }
  } else if (isEvent(event, ClassEvents.InvitationsRequested)) {
    const klass = await getClassItem(store, event.detail.classId)
    if (!klass || (klass.status !== 'open' && klass.status !== 'full')) return
    const { fromClassId, audience, segment } = event.detail
    const people = await invitationAudience(store, fromClassId, audience, segment)
    await tell(runtime, event, 'class-invitation', people, (participant) => ({
      title: klass.title,
      startsAt: formatLocal(klass.firstMeetingAt, klass.timeZone, participant.locale),
      link: classLink(klass.id),
    }))
    logger.info('class invitations', { classId: klass.id, fromClassId, invited: people.length })
  }
})

/**
 * Completion: a class finishes when a trainer or staff asks, or once every seated participant has a
 * mark for the last meeting; each participant who meets the rule gets `ParticipantCompleted`, once.
 */
export const completion = consumer('ClassCompletion', async (event, { store, clock }) => {
  if (isEvent(event, ClassEvents.FinishRequested)) {
    const result = await finishClass(store, clock, event.detail.classId)
    logger.info('class finished', { classId: event.detail.classId, ...result })
  } else if (isEvent(event, ClassEvents.AttendanceRecorded)) {
    // Check-ins never mark the absent, so only a trainer's marks can complete the last meeting's roster.
    if (event.detail.by !== 'trainer') return
    const klass = await getClassItem(store, event.detail.classId)
    if (event.detail.meetingId !== klass?.meetings.at(-1)?.id) return
    if (await lastMeetingMarked(store, klass.id)) {
      const result = await finishClass(store, clock, klass.id)
      logger.info('class finished', { classId: klass.id, ...result })
    }
  }
})

const HOUR = 3_600_000
/** Participants are reminded this long before each meeting (docs/contract/classes-and-certificates.md, like sessions' 24 h reminder). */
export const CLASS_REMINDER_BEFORE = 24 * HOUR
/** A class nobody finished is finished this long after its last meeting ends (time to mark attendance). */
export const FINISH_GRACE = 24 * HOUR

/** The subject of a meeting's reminder: `<classId>~<meetingId>`. */
const meetingSubject = (classId: string, meetingId: string) => `${classId}~${meetingId}`

type FollowUpChange = ReturnType<typeof scheduleFollowUp>

/** The timed duties a class event starts or ends (for the `FollowUpScheduler` consumer). */
export function classFollowUps(tableName: string, event: EventEnvelope, now: Date): FollowUpChange[] {
  const duties: Array<{ kind: FollowUpKind; subject: string; due: number }> = []
  let meetings: Array<{ meetingId: string; startsAt: string; endsAt: string }> = []
  let classId: string | undefined
  if (isEvent(event, ClassEvents.Published)) {
    ;({ classId, meetings } = event.detail)
    for (const meeting of meetings)
      duties.push({
        kind: 'class-reminder-24h',
        subject: meetingSubject(classId, meeting.meetingId),
        due: Date.parse(meeting.startsAt) - CLASS_REMINDER_BEFORE,
      })
    const last = meetings.at(-1)
    if (last)
      duties.push({ kind: 'class-finish', subject: classId, due: Date.parse(last.endsAt) + FINISH_GRACE })
    if (event.detail.admission === 'lottery')
      duties.push({
        kind: 'class-draw',
        subject: classId,
        due: Date.parse(event.detail.registrationClosesAt),
      })
    // A duty whose moment has passed would fire at once and late: only future ones are scheduled.
    return duties
      .filter((duty) => duty.due > now.getTime())
      .map((duty) => scheduleFollowUp(tableName, duty.kind, duty.subject, new Date(duty.due)))
  }
  if (isEvent(event, ClassEvents.Cancelled)) {
    ;({ classId, meetings } = event.detail)
    const id = classId
    return [
      ...meetings.map((meeting) =>
        cancelFollowUp(tableName, 'class-reminder-24h', meetingSubject(id, meeting.meetingId)),
      ),
      cancelFollowUp(tableName, 'class-finish', id),
      cancelFollowUp(tableName, 'class-draw', id),
    ]
  }
  return []
}

/** Carries out a class duty the sweeper found due (for the `FollowUpRunner` consumer). */
export async function runClassDuty(
  runtime: Runtime,
  event: EventEnvelope,
  kind: FollowUpKind,
  subjectId: string,
): Promise<boolean> {
  const { store, clock } = runtime
  switch (kind) {
    case 'class-draw':
      await drawAndSeat(store, clock, subjectId)
      return true
    case 'class-finish': {
      const result = await finishClass(store, clock, subjectId)
      logger.info('class finished', { classId: subjectId, ...result })
      return true
    }
    case 'class-reminder-24h': {
      const [classId = '', meetingId = ''] = subjectId.split('~')
      const klass = await getClassItem(store, classId)
      const meeting = klass?.meetings.find((candidate) => candidate.id === meetingId)
      if (!klass || !meeting || !['open', 'full', 'running'].includes(klass.status)) return true
      // A sweep that comes late never reminds of a meeting that has begun.
      if (meeting.startsAt <= clock.now().toISOString()) return true
      // Only people who consented to reminders are reminded (UU PDP: purpose-bound consent).
      const people = await reminderAudience(store, klass.id)
      await tell(runtime, event, 'class-reminder', people, (participant) => ({
        title: klass.title,
        startsAt: formatLocal(meeting.startsAt, klass.timeZone, participant.locale),
        where: [klass.place, klass.mode === 'offline' ? null : klass.meetingUrl].filter(Boolean).join(' · '),
        // Their private page, where they check in during the meeting.
        link: privatePageLink(runtime, 'participant', participant, participant.locale),
      }))
      return true
    }
    default:
      return false
  }
}
