import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { linked } from '@pendamping/core/config'
import {
  ChannelNotifier,
  type ChannelSender,
  type DeliveryAttempt,
  isSet,
  MESSAGING_REGION,
  type Notifier,
  storedContacts,
} from '@pendamping/core/notification'
import { SesSender } from '@pendamping/core/ses'
import { SmsSender } from '@pendamping/core/sms'
import type { Clock, Store } from '@pendamping/core/store'
import { WhatsAppSender } from '@pendamping/core/whatsapp'
import { Resource } from 'sst/resource'
import { logger } from './logger.ts'

/** The delivery metrics: one count per attempt, by channel and outcome (docs/contract/channels.md#delivery). */
export const DELIVERY_METRICS = { namespace: 'Pendamping', serviceName: 'notifications' } as const
export const DeliveryMetric = {
  attempt: 'NotificationAttempt',
  unreachable: 'NotificationUnreachable',
} as const

let metrics: Metrics | undefined

/**
 * Records one attempt: a log line (channel, outcome, kind, the recipient's ref; never an address) and
 * the `NotificationAttempt` count with `channel` and `outcome` as dimensions, published at once.
 */
export function observeAttempt(attempt: DeliveryAttempt): void {
  logger[attempt.outcome === 'failed' ? 'warn' : 'info']('notification attempt', { ...attempt })
  metrics ??= new Metrics(DELIVERY_METRICS)
  const single = metrics.singleMetric()
  single.addDimensions({ channel: attempt.channel, outcome: attempt.outcome })
  single.addMetric(DeliveryMetric.attempt, MetricUnit.Count, 1)
}

/**
 * The AWS notifier: by each person's channel — WhatsApp (End User Messaging Social), SMS (End User
 * Messaging SMS), e-mail (SES) — with fallback, refused addresses kept in the table, and every attempt
 * counted. A channel whose identity is not set (its secret still the placeholder) is off.
 */
export function awsNotifier(store: Store, clock: Clock): Notifier {
  const senders: ChannelSender[] = [
    new SesSender({
      // The linked Email component is a domain identity: any address at it may send.
      from: `Pendamping <noreply@${Resource.Email.sender}>`,
      configurationSet: Resource.Email.configSet,
    }),
  ]
  const whatsapp = linked('WhatsAppPhoneNumberId')?.value
  if (isSet(whatsapp))
    senders.push(new WhatsAppSender({ originationPhoneNumberId: whatsapp, region: MESSAGING_REGION }))
  const sms = linked('SmsOriginationIdentity')?.value
  if (isSet(sms)) senders.push(new SmsSender({ originationIdentity: sms, region: MESSAGING_REGION }))
  return new ChannelNotifier({
    senders,
    contacts: storedContacts(store, clock),
    observe: observeAttempt,
    unreachable: (notification, attempts) => {
      logger.warn('no channel reached the recipient', {
        kind: notification.kind,
        ref: notification.to.ref,
        tried: attempts.map((attempt) => `${attempt.channel}:${attempt.outcome}`),
      })
      metrics ??= new Metrics(DELIVERY_METRICS)
      metrics.singleMetric().addMetric(DeliveryMetric.unreachable, MetricUnit.Count, 1)
    },
  })
}
