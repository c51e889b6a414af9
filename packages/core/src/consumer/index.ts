/**
 * Consuming bus events exactly once in effect (docs/contract/events.md#consumers): a consumer claims
 * an event before acting and records it done after, so a redelivery or a parallel delivery acts
 * once; and the redrive that puts a dead-lettered event back on the outbox.
 */
export {
  CLAIM_SECONDS,
  ClaimHeldError,
  type ConsumeOptions,
  type Consumption,
  consumeOnce,
  PROCESSED_RETENTION_SECONDS,
} from './consumer.ts'
export { republish } from './redrive.ts'
