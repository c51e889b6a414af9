import { AccountEvents } from '../account/events.ts'
import { CertificateEvents } from '../certificate/events.ts'
import { ClassEvents } from '../class/events.ts'
import type { EventDefinition } from '../event/index.ts'
import { FeedbackEvents } from '../feedback/events.ts'
import { FollowUpEvents } from '../followup/events.ts'
import { CohortEvents } from '../matching/events.ts'
import { MentorEvents } from '../mentor/events.ts'
import { OfferEvents } from '../offer/events.ts'
import { PrivacyEvents } from '../privacy/events.ts'
import { ProgramEvents } from '../program/events.ts'
import { RecoveryEvents } from '../recovery/events.ts'
import { RequestEvents } from '../request/events.ts'
import { SessionEvents } from '../session/events.ts'

/** Every event Pendamping emits, by `detail-type`. */
export const registry: ReadonlyMap<string, EventDefinition> = new Map(
  [
    ProgramEvents,
    RequestEvents,
    MentorEvents,
    OfferEvents,
    SessionEvents,
    FeedbackEvents,
    FollowUpEvents,
    CohortEvents,
    ClassEvents,
    CertificateEvents,
    AccountEvents,
    PrivacyEvents,
    RecoveryEvents,
  ]
    .flatMap((group) => Object.values(group) as EventDefinition[])
    .map((definition) => [definition.type, definition]),
)
