import * as v from 'valibot'
import { newId } from '../adapters/dynamo/keys.ts'

export {
  OUTBOX_RETENTION_SECONDS,
  outbox,
  outboxPut,
  outboxRemove,
} from '../adapters/dynamo/entities/outbox.ts'

/** EventBridge `source` of every event Pendamping emits. */
export const EVENT_SOURCE = 'pendamping'

/**
 * One event contract: its EventBridge `detail-type`, its version and its detail schema. Details
 * carry ids, codes and numbers that consumers need; never names, phones, emails or free text.
 */
export interface EventDefinition<
  Type extends string = string,
  Schema extends v.GenericSchema = v.GenericSchema,
> {
  type: Type
  version: number
  detail: Schema
}

/** Declares an event beside the entity it belongs to. */
export function defineEvent<Type extends string, Schema extends v.GenericSchema>(
  type: Type,
  version: number,
  detail: Schema,
): EventDefinition<Type, Schema> {
  return { type, version, detail }
}

export type DetailOf<E extends EventDefinition> = v.InferOutput<E['detail']>

/** An event as it travels: outbox item, EventBridge `detail`, consumer input. */
export interface EventEnvelope<Detail = unknown> {
  id: string
  type: string
  version: number
  occurredAt: string
  detail: Detail
}

/** Narrows an envelope to one contract's typed detail (the bus already checked it against the contract). */
export function isEvent<E extends EventDefinition>(
  event: EventEnvelope,
  definition: E,
): event is EventEnvelope<DetailOf<E>> {
  return event.type === definition.type
}

/** Builds a validated envelope; throws if the detail breaks its contract (a bug, not bad input). */
export function createEvent<E extends EventDefinition>(
  definition: E,
  detail: DetailOf<E>,
  occurredAt: Date,
): EventEnvelope<DetailOf<E>> {
  return {
    id: newId(),
    type: definition.type,
    version: definition.version,
    occurredAt: occurredAt.toISOString(),
    detail: v.parse(definition.detail, detail),
  }
}

/** Reads an outbox item back into its envelope, or undefined when the item is not an outbox item. */
export function envelopeOf(item: Record<string, unknown>): EventEnvelope | undefined {
  if (item.entity !== 'event') return undefined
  return v.parse(Envelope, item.event)
}

const Envelope = v.object({
  id: v.string(),
  type: v.string(),
  version: v.number(),
  occurredAt: v.string(),
  detail: v.unknown(),
})
