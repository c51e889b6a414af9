import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** Where core keeps things: the document client and the one table's name. Passed in, never imported. */
export interface Store {
  doc: DynamoDBDocumentClient
  tableName: string
}

/** The time, injectable so tests can move it (offer expiry, reminders) without sleeping. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
