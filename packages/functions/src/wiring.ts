/**
 * What the infrastructure runs, declared by the code that implements it. `infra/` wires exactly
 * these (and a test proves each handler exists and exports its function); the local stack runs the
 * same handlers from the same rules.
 *
 * Handler strings use SST's `path/to/file.exportName` form, relative to the repository root.
 */
export const handlers = {
  /** API Gateway HTTP API → the Hono app. */
  api: 'packages/functions/src/api/index.handler',
  /** The table's DynamoDB stream → outbox events to EventBridge. */
  publisher: 'packages/functions/src/stream/publisher.handler',
} as const

/** An EventBridge rule on the bus: events of these `detail-type`s go to one consumer function. */
export interface Rule {
  /** PascalCase, unique; names the rule and the function. */
  name: string
  detailTypes: readonly string[]
  handler: string
}

/** Every consumer of the bus. Each is idempotent: an event delivered twice acts once. */
export const rules: readonly Rule[] = [
  {
    name: 'InstantMatch',
    detailTypes: [
      'RequestSubmitted',
      'RequestPromoted',
      'OfferDeclined',
      'OfferExpired',
      'OfferWithdrawn',
      'EngagementReassigned',
    ],
    handler: 'packages/functions/src/consumers/matching.handler',
  },
  {
    name: 'SeatRelease',
    detailTypes: ['RequestCancelled', 'RequestSubmitted', 'RequestUnmatched', 'ProgramUpdated'],
    handler: 'packages/functions/src/consumers/seats.handler',
  },
  {
    // A mentor who can take on more: the requests already waiting are matched again, oldest first.
    name: 'SupplyMatch',
    detailTypes: [
      'MentorApproved',
      'MentorUpdated',
      'EngagementEnded',
      'OfferDeclined',
      'OfferExpired',
      'OfferWithdrawn',
    ],
    handler: 'packages/functions/src/consumers/rematch.handler',
  },
  {
    name: 'FollowUpScheduler',
    // Not `OfferMade`: an offer's expiry is scheduled in the offer's own transaction. Not
    // `RequestSubmitted` or `RequestPromoted`: matching schedules `stale-request` at the end of the
    // request's matching window, which only it reads from the program.
    detailTypes: [
      'OfferAccepted',
      'OfferDeclined',
      'OfferWithdrawn',
      'RequestCancelled',
      'RequestUnmatched',
      'SessionScheduled',
      'SessionRescheduled',
      'SessionCancelled',
      'SessionCompleted',
      'ClassPublished',
      'ClassCancelled',
    ],
    handler: 'packages/functions/src/consumers/schedule.handler',
  },
  {
    name: 'FollowUpRunner',
    detailTypes: ['FollowUpDue'],
    handler: 'packages/functions/src/consumers/due.handler',
  },
  {
    name: 'CohortOffers',
    detailTypes: ['CohortChunkCommitted'],
    handler: 'packages/functions/src/consumers/cohort.handler',
  },
  {
    name: 'Erasure',
    detailTypes: ['PersonErased', 'RequestDeleted', 'ConsentWithdrawn'],
    handler: 'packages/functions/src/consumers/erasure.handler',
  },
  {
    // Issue 17: a person asked for a new private link; the one-time code goes by their channel.
    name: 'LinkRecovery',
    detailTypes: ['LinkRecoveryRequested'],
    handler: 'packages/functions/src/consumers/recovery.handler',
  },
  {
    name: 'Notifications',
    detailTypes: [
      'OfferMade',
      'OfferAccepted',
      'RequestUnmatched',
      'RequestCancelled',
      'MentorApproved',
      'StaffInvited',
      'EngagementNeedsDecision',
      // Issue 18: a person's messages forgotten on erasure; a mentor told when a business left; an
      // owner told when their mentor erased their data.
      'PersonErased',
      'EngagementEnded',
      'EngagementReassigned',
    ],
    handler: 'packages/functions/src/consumers/notify.handler',
  },
  {
    name: 'AccountSuspension',
    detailTypes: ['MentorSuspended', 'MentorReinstated', 'PersonErased'],
    handler: 'packages/functions/src/consumers/suspension.accounts',
  },
  {
    name: 'SuspensionWork',
    detailTypes: ['MentorSuspended'],
    handler: 'packages/functions/src/consumers/suspension.work',
  },
  {
    name: 'ReportCounters',
    detailTypes: [
      'RequestSubmitted',
      'RequestPromoted',
      'RequestCancelled',
      'RequestUnmatched',
      'RequestDeleted',
      'OfferMade',
      'OfferAccepted',
      'OfferDeclined',
      'OfferExpired',
      'EngagementEnded',
      'EngagementProgressRecorded',
      'SessionScheduled',
      'SessionCompleted',
      'SessionCancelled',
      'SessionNoShow',
      'FeedbackReceived',
      'ParticipantRegistered',
      'RegistrationPromoted',
      'RegistrationCancelled',
      'ClassFilled',
      'ClassFinished',
      'ParticipantCompleted',
      'CertificateIssued',
      'CertificateRevoked',
    ],
    handler: 'packages/functions/src/consumers/report.handler',
  },
  {
    name: 'ClassSeats',
    detailTypes: [
      'RegistrationCancelled',
      'ParticipantRegistered',
      'RegistrationPromoted',
      'ClassRegistrationClosed',
    ],
    handler: 'packages/functions/src/consumers/classes.seats',
  },
  {
    name: 'ClassNotices',
    detailTypes: [
      'ClassCancelled',
      'RegistrationPromoted',
      'RegistrationsDrawn',
      'ClassInvitationsRequested',
    ],
    handler: 'packages/functions/src/consumers/classes.notices',
  },
  {
    name: 'ClassCompletion',
    detailTypes: ['ClassFinishRequested', 'AttendanceRecorded'],
    handler: 'packages/functions/src/consumers/classes.completion',
  },
  {
    name: 'CertificateIssuer',
    detailTypes: ['ParticipantCompleted', 'ClassFinished', 'EngagementEnded', 'PersonErased'],
    handler: 'packages/functions/src/consumers/certificates.handler',
  },
]

/** Functions that run on a schedule. */
export interface Schedule {
  name: string
  /** An EventBridge schedule expression, e.g. `rate(1 minute)`. */
  expression: string
  handler: string
}

export const schedules: readonly Schedule[] = [
  { name: 'Sweeper', expression: 'rate(1 minute)', handler: 'packages/functions/src/sweeper.handler' },
]
