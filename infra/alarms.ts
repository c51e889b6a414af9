import { isProduction } from './stage.ts'

/**
 * Where operational alarms go: one SNS topic every CloudWatch alarm of the app notifies, when it goes
 * off and when it clears (`alarmActions` and `okActions`), with an e-mail subscription to the address
 * in `ALARM_EMAIL` — set in the environment of `sst deploy` (e.g. `ALARM_EMAIL=ops@pendamping.id npx
 * sst deploy --stage production`). AWS mails a confirmation link first; nothing arrives until someone
 * follows it.
 *
 * Without an address: production refuses to deploy (an alarm nobody hears is what this is for); any
 * other stage deploys the topic with no subscriber, so its alarms still change state in the CloudWatch
 * console and anyone may subscribe to the topic by hand.
 */
export const alarmEmail = process.env.ALARM_EMAIL?.trim() || undefined

if (isProduction && alarmEmail === undefined)
  throw new Error(
    'ALARM_EMAIL is not set: production alarms would reach no one. Deploy with ALARM_EMAIL=<address>.',
  )

export const opsAlarms = new sst.aws.SnsTopic('OpsAlarms')

export const opsAlarmEmail =
  alarmEmail === undefined
    ? undefined
    : new aws.sns.TopicSubscription('OpsAlarmsEmail', {
        topic: opsAlarms.arn,
        protocol: 'email',
        endpoint: alarmEmail,
      })

/** The actions of every alarm: tell the topic when it goes off and when it clears. */
export const notifyOps = { alarmActions: [opsAlarms.arn], okActions: [opsAlarms.arn] }
