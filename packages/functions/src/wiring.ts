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
    detailTypes: ['RequestSubmitted', 'RequestPromoted', 'OfferDeclined', 'OfferExpired'],
    handler: 'packages/functions/src/consumers/matching.handler',
  },
  {
    name: 'SeatRelease',
    detailTypes: ['RequestCancelled', 'RequestSubmitted', 'ProgramUpdated'],
    handler: 'packages/functions/src/consumers/seats.handler',
  },
  {
    name: 'FollowUpScheduler',
    detailTypes: [
      'OfferMade',
      'OfferAccepted',
      'OfferDeclined',
      'OfferWithdrawn',
      'RequestSubmitted',
      'RequestPromoted',
      'RequestCancelled',
      'RequestUnmatched',
      'SessionScheduled',
      'SessionRescheduled',
      'SessionCancelled',
      'SessionCompleted',
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
    detailTypes: ['CohortPlanCommitted'],
    handler: 'packages/functions/src/consumers/cohort.handler',
  },
  {
    name: 'Erasure',
    detailTypes: ['RequestDeleted'],
    handler: 'packages/functions/src/consumers/erasure.handler',
  },
  {
    name: 'Notifications',
    detailTypes: ['OfferMade', 'OfferAccepted', 'RequestUnmatched'],
    handler: 'packages/functions/src/consumers/notify.handler',
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
    ],
    handler: 'packages/functions/src/consumers/report.handler',
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
