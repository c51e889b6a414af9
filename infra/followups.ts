import { EVENT_SOURCE } from '../packages/core/src/event/index.ts'
import { handlers, rules, type Schedule, schedules } from '../packages/functions/src/wiring.ts'
import { bus } from './bus.ts'
import { email } from './email.ts'
import { lambda, sendsTo } from './function.ts'
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
      link: [table, bus, email],
      permissions: [sendsTo(deadLetters)],
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
