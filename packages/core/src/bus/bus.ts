import * as v from 'valibot'
import type { EventDefinition, EventEnvelope } from '../event/index.ts'
import { Id, Iso } from '../event/shared.ts'
import { registry } from './registry.ts'

/** Why the bus did not take one event, after every retry it was worth. */
export interface PublishFailure {
  event: EventEnvelope
  /** The bus's error code (`ThrottlingException`, `InternalFailure`, `MalformedDetail` …). */
  code: string
  message: string
}

export interface PublishResult {
  /** Events the bus did not accept; every other event was accepted. */
  failed: PublishFailure[]
  /** How many entries were sent again after a failure (an entry sent three times counts two). */
  retried: number
}

/**
 * The port events leave through. On AWS it is EventBridge (`adapters/eventbridge.ts`); on `npm start`
 * it is the local bus, which runs the same rules in process. A publish never throws for a refused
 * event: it reports it, so the stream publisher can hand exactly those records back for a retry.
 */
export interface EventBus {
  publish(events: readonly EventEnvelope[]): Promise<PublishResult>
}

/**
 * An event's EventBridge `detail`: its metadata beside its data, never mixed, so a detail field can
 * never shadow `id` or `version`, and rules can match `data.*` without seeing metadata. The type is
 * not repeated here: it is the EventBridge `detail-type`.
 *
 * @example
 * { "metadata": { "id": "q2Xq…", "version": 1, "occurredAt": "2026-03-02T01:02:03.004Z" },
 *   "data": { "requestId": "…", "region": "35.73", … } }
 */
export interface BusDetail<Data = unknown> {
  metadata: { id: string; version: number; occurredAt: string }
  data: Data
}

/** The EventBridge `detail` of an envelope. */
export function toBusDetail<Detail>(event: EventEnvelope<Detail>): BusDetail<Detail> {
  return {
    metadata: { id: event.id, version: event.version, occurredAt: event.occurredAt },
    data: event.detail,
  }
}

/** The schema of one event's EventBridge `detail`; the JSON Schemas in `core/generated/event-schemas` come from it. */
export function busDetailSchema<E extends EventDefinition>(definition: E) {
  return v.object({
    metadata: v.object({
      id: Id,
      version: v.literal(definition.version),
      occurredAt: Iso,
    }),
    data: definition.detail as E['detail'],
  })
}

export class UnknownEventError extends Error {
  constructor(
    readonly type: string,
    readonly version: number,
  ) {
    super(`No contract for event ${type} v${version}`)
    this.name = 'UnknownEventError'
  }
}

/**
 * The envelope of an event a consumer received from the bus (an EventBridge event, on AWS or local),
 * checked against its contract. Throws when the type is unknown or the detail breaks its contract.
 *
 * @example
 * export const handler = async (event: EventBridgeEvent<string, unknown>) => {
 *   const envelope = envelopeFromBus(event)
 *   // envelope.id is the idempotency key: an event delivered twice acts once
 * }
 */
export function envelopeFromBus(
  event: { 'detail-type': string; detail: unknown },
  contracts: ReadonlyMap<string, EventDefinition> = registry,
): EventEnvelope {
  const { metadata } = v.parse(v.object({ metadata: v.object({ version: v.number() }) }), event.detail)
  const definition = contracts.get(event['detail-type'])
  if (!definition || definition.version !== metadata.version) {
    throw new UnknownEventError(event['detail-type'], metadata.version)
  }
  const { metadata: checked, data } = v.parse(busDetailSchema(definition), event.detail)
  return {
    id: checked.id,
    type: definition.type,
    version: checked.version,
    occurredAt: checked.occurredAt,
    detail: data,
  }
}
