/**
 * Where certificates come from: a participant who completed a class (`ParticipantCompleted`), the
 * trainers of a finished class (`ClassFinished`), and a completed 1:1 engagement (`EngagementEnded`
 * with outcome `completed`: the owner's certificate of mentoring and the mentor's of hours). Each reads
 * what the certificate prints, checks the person did complete, and issues once per source.
 */
import { Class, Participant, Registration } from '../adapters/dynamo/entities/class.ts'
import { Engagement } from '../adapters/dynamo/entities/engagement.ts'
import { Mentor } from '../adapters/dynamo/entities/mentor.ts'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { get } from '../adapters/dynamo/index.ts'
import type { ClassEvents } from '../class/events.ts'
import type { ClassItem } from '../class/item.ts'
import type { DetailOf } from '../event/index.ts'
import type { OfferEvents } from '../offer/events.ts'
import type { Clock, Store } from '../store.ts'
import { issueCertificate } from './index.ts'
import type { CertificateAuthority } from './signing.ts'

/** Why nothing was issued, for the consumer's log; or the ids issued (or found issued before). */
export type IssueOutcome = { issued: string[]; existing: string[]; skipped?: string }

const minutesOf = (startsAt: string, endsAt: string) =>
  Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000)

function classSpan(klass: ClassItem) {
  const first = klass.meetings[0]
  const last = klass.meetings.at(-1)
  return { startedAt: first?.startsAt ?? klass.createdAt, endedAt: last?.endsAt ?? klass.createdAt }
}

async function programName(store: Store, programId: string | null): Promise<string | null> {
  if (!programId) return null
  return (await get(store, Program, { id: programId }))?.name ?? null
}

function tally(outcome: IssueOutcome, result: { id: string; issued: boolean }) {
  ;(result.issued ? outcome.issued : outcome.existing).push(result.id)
}

/**
 * The certificate of a participant who met the class's completion rule. Checked again here: the
 * registration must be `attended` with a completion time, so nobody who did not complete gets one.
 * Calls: 4 `GetItem` (registration, class, participant, program) + the issue's.
 */
export async function issueForParticipant(
  store: Store,
  clock: Clock,
  authority: CertificateAuthority,
  detail: DetailOf<typeof ClassEvents.ParticipantCompleted>,
): Promise<IssueOutcome> {
  const outcome: IssueOutcome = { issued: [], existing: [] }
  const registration = await get(store, Registration, { id: detail.registrationId })
  if (registration?.status !== 'attended' || !registration.completedAt)
    return { ...outcome, skipped: 'registration not completed' }
  const [klass, participant] = await Promise.all([
    get(store, Class, { id: detail.classId }),
    get(store, Participant, { id: detail.participantId }),
  ])
  if (!klass) return { ...outcome, skipped: 'class not found' }
  if (!participant) return { ...outcome, skipped: 'participant erased' }
  tally(
    outcome,
    await issueCertificate(store, clock, authority, {
      kind: 'class_participant',
      source: `class:${klass.id}:registration:${registration.id}`,
      holder: { kind: 'participant', id: participant.id },
      name: participant.name,
      business: null,
      title: klass.title,
      topics: klass.topics,
      minutes: detail.minutes,
      ...classSpan(klass),
      timeZone: klass.timeZone,
      programId: klass.programId,
      programName: await programName(store, klass.programId),
      region: klass.region,
      classId: klass.id,
      engagementId: null,
      requestId: null,
    }),
  )
  return outcome
}

/**
 * One certificate per trainer of a finished class, for the hours of all its meetings. Calls: 2
 * `GetItem` (class, program) + 1 per trainer (their profile's full name) + the issues'.
 */
export async function issueForTrainers(
  store: Store,
  clock: Clock,
  authority: CertificateAuthority,
  detail: DetailOf<typeof ClassEvents.Finished>,
): Promise<IssueOutcome> {
  const outcome: IssueOutcome = { issued: [], existing: [] }
  const klass = await get(store, Class, { id: detail.classId })
  if (klass?.status !== 'finished') return { ...outcome, skipped: 'class not finished' }
  const minutes = klass.meetings.reduce(
    (sum, meeting) => sum + minutesOf(meeting.startsAt, meeting.endsAt),
    0,
  )
  const program = await programName(store, klass.programId)
  for (const trainer of klass.trainers) {
    const mentor = await get(store, Mentor, { id: trainer.mentorId })
    tally(
      outcome,
      await issueCertificate(store, clock, authority, {
        kind: 'class_trainer',
        source: `class:${klass.id}:trainer:${trainer.mentorId}`,
        holder: { kind: 'mentor', id: trainer.mentorId },
        name: mentor?.name ?? trainer.name,
        business: null,
        title: klass.title,
        topics: klass.topics,
        minutes,
        ...classSpan(klass),
        timeZone: klass.timeZone,
        programId: klass.programId,
        programName: program,
        region: klass.region,
        classId: klass.id,
        engagementId: null,
        requestId: null,
      }),
    )
  }
  return outcome
}

/**
 * A completed 1:1 engagement: the owner's certificate of mentoring (unless they erased their data)
 * and the mentor's certificate of hours. Only an engagement closed as `completed` with at least one
 * completed session earns them; one ended early earns none. Issued by the program's region, or
 * nationally for a request outside any program. Calls: 4 `GetItem` + the issues'.
 */
export async function issueForEngagement(
  store: Store,
  clock: Clock,
  authority: CertificateAuthority,
  detail: DetailOf<typeof OfferEvents.EngagementEnded>,
): Promise<IssueOutcome> {
  const outcome: IssueOutcome = { issued: [], existing: [] }
  if (detail.outcome !== 'completed') return { ...outcome, skipped: 'engagement ended early' }
  const engagement = await get(store, Engagement, { id: detail.engagementId })
  if (engagement?.status !== 'completed' || engagement.completedSessions < 1 || engagement.minutes <= 0)
    return { ...outcome, skipped: 'no completed session' }
  const [request, mentor, program] = await Promise.all([
    get(store, Request, { id: engagement.requestId }),
    get(store, Mentor, { id: engagement.mentorId }),
    engagement.programId ? get(store, Program, { id: engagement.programId }) : Promise.resolve(undefined),
  ])
  const common = {
    title: null,
    topics: engagement.needs,
    minutes: engagement.minutes,
    startedAt: engagement.startedAt,
    endedAt: engagement.endedAt ?? engagement.updatedAt,
    timeZone: engagement.timeZone,
    programId: engagement.programId,
    programName: program?.name ?? null,
    region: program?.region ?? '*',
    classId: null,
    engagementId: engagement.id,
    requestId: engagement.requestId,
  }
  if (request?.business)
    tally(
      outcome,
      await issueCertificate(store, clock, authority, {
        ...common,
        kind: 'mentoring_owner',
        source: `engagement:${engagement.id}:owner`,
        holder: { kind: 'owner', id: engagement.requestId },
        name: request.business.ownerName,
        business: request.business.name,
      }),
    )
  if (mentor)
    tally(
      outcome,
      await issueCertificate(store, clock, authority, {
        ...common,
        kind: 'mentoring_mentor',
        source: `engagement:${engagement.id}:mentor`,
        holder: { kind: 'mentor', id: engagement.mentorId },
        name: mentor.name,
        business: null,
      }),
    )
  return outcome
}
