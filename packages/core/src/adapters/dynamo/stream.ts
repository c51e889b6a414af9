/**
 * Reading the table's stream: its records carry items in DynamoDB's wire format, which consumers of
 * the stream (the outbox publisher) turn into plain objects here, so they need no DynamoDB SDK.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb'

/**
 * The plain item a stream record's image (`NewImage`, `OldImage`) holds. Takes Lambda's and the SDK's
 * attribute value types alike: they differ only in how binaries are typed, and no item we read from
 * the stream holds one.
 */
export function fromStreamImage(image: Record<string, object>): Record<string, unknown> {
  return unmarshall(image as Parameters<typeof unmarshall>[0])
}
