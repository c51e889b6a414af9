export type { Store } from './adapters/dynamo/client.ts'

/** The time, injectable so tests can move it (offer expiry, reminders) without sleeping. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
