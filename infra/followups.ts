import { EVENT_SOURCE } from '../packages/core/src/event/index.ts'
import { SWEEPER_METRICS, SweeperMetric } from '../packages/functions/src/sweeper-metrics.ts'
import { handlers, rules, type Schedule, schedules } from '../packages/functions/src/wiring.ts'
import { notifyOps } from './alarms.ts'
import { userPool } from './auth.ts'
import { bus } from './bus.ts'
import { certificateKeys } from './certificates.ts'
import { email } from './email.ts'
import { lambda, sendsTo } from './function.ts'
import { messagingLinks, messagingPermissions } from './messaging.ts'
import { table } from './table.ts'

/**
 * Where failures land after their retries, to be looked at and replayed: stream batches the
 * publisher could not publish (Lambda sends the batch's shard and sequence numbers; the outbox items
 * stay in the table for a week) and bus events a consumer failed on (the whole event).
 */
export const deadLetters = new sst.aws.Queue('DeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
})

/**
 * Only new outbox items reach the publisher (`outboxPut` writes `entity: 'event'`); every other
 * write to the table is filtered out by Lambda before an invocation is paid for.
 */
export const outboxFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: ['event'] } } },
}

/**
 * The outbox publisher on the table's stream. It reports the records it could not publish
 * (`ReportBatchItemFailures`) instead of failing the batch; a batch that still fails is split in two
 * to corner the bad record, retried a bounded number of times, then sent to the dead letters so one
 * poison record never blocks its shard.
 */
export const publisher = table.subscribe(
  'Publisher',
  lambda(handlers.publisher, {
    description: 'Outbox (table stream) → EventBridge',
    timeout: '60 seconds',
    link: [bus],
    permissions: [sendsTo(deadLetters)],
  }),
  {
    filters: [outboxFilter],
    transform: {
      eventSourceMapping: {
        // Outbox items written before the mapping existed are events too.
        startingPosition: 'TRIM_HORIZON',
        // One PutEvents call takes at most 10 entries.
        batchSize: 10,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ['ReportBatchItemFailures'],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 8,
        maximumRecordAgeInSeconds: 6 * 3600,
        destinationConfig: { onFailure: { destinationArn: deadLetters.arn } },
      },
    },
  },
)

/** The secrets a consumer reads, by rule name: only the certificate issuer signs anything. */
const secretsOf: Record<string, unknown[]> = { CertificateIssuer: [certificateKeys] }

/** The consumers that act on accounts (Cognito `Admin*` calls on the pool), by rule name. */
const accountsOf: Record<string, unknown[]> = { AccountSuspension: [userPool] }

/**
 * One rule and one function per consumer that `wiring.ts` declares, on exactly its `detail-type`s.
 * Lambda retries a failed event twice (consumers are idempotent), then the event goes to the dead
 * letters.
 */
export const consumers = rules.map((rule) =>
  bus.subscribe(
    rule.name,
    lambda(rule.handler, {
      description: `${rule.detailTypes.join(', ')} → ${rule.name}`,
      retries: 2,
      link: [
        table,
        bus,
        email,
        ...messagingLinks,
        ...(secretsOf[rule.name] ?? []),
        ...(accountsOf[rule.name] ?? []),
      ],
      permissions: [sendsTo(deadLetters), ...messagingPermissions],
      transform: { function: { deadLetterConfig: { targetArn: deadLetters.arn } } },
    }),
    { pattern: { source: [EVENT_SOURCE], detailType: [...rule.detailTypes] } },
  ),
)

function isScheduleExpression(expression: string): expression is sst.aws.ScheduleExpression {
  return /^(rate|cron|at)\(.+\)$/.test(expression)
}

function scheduleOf({ name, expression }: Schedule): sst.aws.ScheduleExpression {
  if (!isScheduleExpression(expression)) {
    throw new Error(`Schedule ${name}: "${expression}" is not rate(…), cron(…) or at(…)`)
  }
  return expression
}

/** One EventBridge Scheduler schedule per entry of `wiring.ts` (the due-follow-up sweeper). */
export const sweepers = schedules.map(
  (schedule) =>
    new sst.aws.Cron(schedule.name, {
      schedule: scheduleOf(schedule),
      function: lambda(schedule.handler, {
        description: `${schedule.expression} → ${schedule.name}`,
        timeout: '60 seconds',
        link: [table, bus, email],
      }),
    }),
)

/** Minutes a due duty may wait before {@link sweepLagAlarm} goes off. */
export const SWEEP_LAG_ALARM_MINUTES = 15

/**
 * Goes off when the sweeper falls behind — the oldest due duty not fired is older than
 * {@link SWEEP_LAG_ALARM_MINUTES} for 3 minutes running — or stops running: every run publishes
 * `SweepLag`, so no data at all is treated as breaching.
 */
export const sweepLagAlarm = new aws.cloudwatch.MetricAlarm('SweepLagAlarm', {
  alarmDescription: `Timed follow-ups are more than ${SWEEP_LAG_ALARM_MINUTES} minutes late, or the sweeper is not running`,
  namespace: SWEEPER_METRICS.namespace,
  metricName: SweeperMetric.lag,
  dimensions: { service: SWEEPER_METRICS.serviceName },
  statistic: 'Maximum',
  period: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: SWEEP_LAG_ALARM_MINUTES * 60,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'breaching',
  ...notifyOps,
})

/**
 * Goes off as soon as anything waits in the dead letters (a stream batch the publisher gave up on, or
 * an event a consumer failed three times): someone looks, fixes the cause and runs `npm run
 * dlq:redrive`. SQS publishes the queue's depth every minute while the queue has messages or is used;
 * an idle empty queue may publish nothing, which is not a breach.
 */
export const deadLettersAlarm = new aws.cloudwatch.MetricAlarm('DeadLettersAlarm', {
  alarmDescription:
    'Events or stream batches are waiting in the dead letters: fix the cause, then npm run dlq:redrive',
  namespace: 'AWS/SQS',
  metricName: 'ApproximateNumberOfMessagesVisible',
  dimensions: { QueueName: deadLetters.arn.apply((arn) => arn.split(':').at(-1) ?? '') },
  statistic: 'Maximum',
  period: 60,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'notBreaching',
  ...notifyOps,
})
