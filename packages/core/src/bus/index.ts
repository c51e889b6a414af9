/**
 * The event bus's side of the contract (docs/contract/events.md): every event Pendamping emits, by
 * `detail-type` (the registry), and the envelope as it travels: out of the table's stream, and in an
 * EventBridge event's `detail`.
 * Apart from `event/` because the registry gathers every domain's events, and every domain imports
 * `event/` to create its own.
 */

/** An outbox item as the table's stream delivers it (DynamoDB JSON), read back into plain values. */
export { fromStreamImage } from '../adapters/dynamo/stream.ts'
export {
  type BusDetail,
  busDetailSchema,
  type EventBus,
  envelopeFromBus,
  type PublishFailure,
  type PublishResult,
  toBusDetail,
} from './bus.ts'
export { registry } from './registry.ts'
