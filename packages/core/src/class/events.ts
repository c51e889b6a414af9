import * as v from 'valibot'
import { defineEvent } from '../event/index.ts'
import { Id, Iso, RegionCode, Topic } from '../event/shared.ts'

/** A class's region: a region code, or `*` for a national class. */
const ClassRegion = v.union([RegionCode, v.literal('*')])
const Segment = Topic

const ClassFacts = { classId: Id, programId: Id, classRegion: ClassRegion }
const MeetingTimes = v.array(v.object({ meetingId: v.string(), startsAt: Iso, endsAt: Iso }))
/** One person's place: ids, region and segment, never a name or a phone. */
const Place = { ...ClassFacts, registrationId: Id, participantId: Id, region: RegionCode, segment: Segment }
const RegistrationStatus = v.picklist(['registered', 'waitlisted', 'confirmed', 'attended', 'absent'])

/** Events of classes (kelas), their registrations, attendance and completion. */
export const ClassEvents = {
  Created: defineEvent(
    'ClassCreated',
    1,
    v.object({
      ...ClassFacts,
      admission: v.picklist(['first_come', 'lottery']),
      seats: v.record(v.string(), v.number()),
      trainerIds: v.array(Id),
      meetings: MeetingTimes,
      createdAt: Iso,
    }),
  ),
  /** Open for registration; a lottery's seed hash is public from now on. */
  Published: defineEvent(
    'ClassPublished',
    1,
    v.object({
      ...ClassFacts,
      admission: v.picklist(['first_come', 'lottery']),
      seedHash: v.nullable(v.string()),
      seats: v.record(v.string(), v.number()),
      registrationOpensAt: Iso,
      registrationClosesAt: Iso,
      meetings: MeetingTimes,
      publishedAt: Iso,
    }),
  ),
  /** Staff closed registration early; a lottery class is drawn on it. */
  RegistrationClosed: defineEvent(
    'ClassRegistrationClosed',
    1,
    v.object({ ...ClassFacts, admission: v.picklist(['first_come', 'lottery']), closedAt: Iso }),
  ),
  /** The lottery order is fixed and the seed revealed; the seats are then given in that order. */
  Drawn: defineEvent(
    'ClassDrawn',
    1,
    v.object({ ...ClassFacts, seedHash: v.string(), registrations: v.number(), drawnAt: Iso }),
  ),
  /** One batch of a draw's outcome, in draw order. */
  RegistrationsDrawn: defineEvent(
    'RegistrationsDrawn',
    1,
    v.object({ ...ClassFacts, confirmed: v.array(Id), waitlisted: v.array(Id) }),
  ),
  /** Every segment's last seat is taken: `filledAt − publishedAt` is the time to fill. */
  Filled: defineEvent('ClassFilled', 1, v.object({ ...ClassFacts, publishedAt: Iso, filledAt: Iso })),
  Cancelled: defineEvent(
    'ClassCancelled',
    1,
    v.object({ ...ClassFacts, meetings: MeetingTimes, trainerIds: v.array(Id), cancelledAt: Iso }),
  ),
  /** A trainer or staff asked to close the class: completion is decided by the `ClassCompletion` consumer. */
  FinishRequested: defineEvent('ClassFinishRequested', 1, v.object({ ...ClassFacts, requestedAt: Iso })),
  /**
   * Completion was decided for every confirmed participant: `completed` of `participants`; and the
   * attendance over all meetings: `presentMarks` of `possibleMarks` (participants × meetings).
   */
  Finished: defineEvent(
    'ClassFinished',
    1,
    v.object({
      ...ClassFacts,
      participants: v.number(),
      completed: v.number(),
      presentMarks: v.number(),
      possibleMarks: v.number(),
      finishedAt: Iso,
    }),
  ),
  ParticipantRegistered: defineEvent(
    'ParticipantRegistered',
    1,
    v.object({
      ...Place,
      status: v.picklist(['registered', 'waitlisted', 'confirmed']),
      registeredAt: Iso,
    }),
  ),
  /** A freed seat went to the oldest waiting registration of its segment. */
  RegistrationPromoted: defineEvent('RegistrationPromoted', 1, v.object({ ...Place, promotedAt: Iso })),
  RegistrationCancelled: defineEvent(
    'RegistrationCancelled',
    1,
    v.object({
      ...Place,
      previousStatus: RegistrationStatus,
      freedSeat: v.boolean(),
      by: v.picklist(['participant', 'staff', 'class']),
    }),
  ),
  /** Marks of one meeting, by its trainer from the roster or by a participant's check-in (a mark may be corrected). */
  AttendanceRecorded: defineEvent(
    'AttendanceRecorded',
    1,
    v.object({
      ...ClassFacts,
      meetingId: v.string(),
      by: v.picklist(['trainer', 'check_in']),
      marks: v.array(v.object({ registrationId: Id, mark: v.picklist(['present', 'absent']) })),
      recordedAt: Iso,
    }),
  ),
  CheckInOpened: defineEvent(
    'CheckInOpened',
    1,
    v.object({ ...ClassFacts, meetingId: v.string(), validFrom: Iso, validUntil: Iso }),
  ),
  GroupsFormed: defineEvent(
    'GroupsFormed',
    1,
    v.object({
      ...ClassFacts,
      meetingId: v.string(),
      groups: v.array(v.object({ number: v.number(), topic: v.string(), size: v.number() })),
    }),
  ),
  /** The participant met the class's completion rule (once per registration). */
  ParticipantCompleted: defineEvent(
    'ParticipantCompleted',
    1,
    v.object({
      ...Place,
      attendedMeetings: v.number(),
      meetings: v.number(),
      /** Minutes of the meetings attended (for certificates' hours). */
      minutes: v.number(),
      completedAt: Iso,
    }),
  ),
  /** Staff asked to invite a past class's waitlist or participants (of a segment) to this class. */
  InvitationsRequested: defineEvent(
    'ClassInvitationsRequested',
    1,
    v.object({
      ...ClassFacts,
      fromClassId: Id,
      audience: v.picklist(['waitlist', 'participants']),
      segment: v.nullable(Segment),
      requestedAt: Iso,
    }),
  ),
}
