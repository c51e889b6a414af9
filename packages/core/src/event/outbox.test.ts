import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'
import { keys, newId } from '../adapters/dynamo/keys.ts'
import { OfferEvents } from '../offer/events.ts'
import { createEvent, envelopeOf, OUTBOX_RETENTION_SECONDS, outboxPut } from './index.ts'

const table = useTestTable()
const now = new Date('2026-03-02T01:02:03.004Z')

async function get(key: { pk: string; sk: string }) {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key }))
  return Item
}

/** A mentor's load counter, as the accept transaction guards it (invariant 1). */
async function mentorWithLoad(active: number, capacity: number) {
  const mentorId = newId()
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.mentorLoad(mentorId), entity: 'mentorLoad', version: 1, active, capacity },
    }),
  )
  return mentorId
}

/** Accepting an offer: the load goes up if a seat is free, the engagement appears, and its event is emitted. */
function acceptOffer(mentorId: string, event = acceptedEvent(mentorId)) {
  const engagementId = event.detail.engagementId
  return {
    engagementId,
    event,
    command: new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table.tableName,
            Key: keys.mentorLoad(mentorId),
            UpdateExpression: 'SET #active = #active + :one',
            ConditionExpression: '#active < #capacity',
            ExpressionAttributeNames: { '#active': 'active', '#capacity': 'capacity' },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        {
          Put: {
            TableName: table.tableName,
            Item: { ...keys.engagement(engagementId), entity: 'engagement', version: 1, mentorId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        outboxPut(table.tableName, event),
      ],
    }),
  }
}

function acceptedEvent(mentorId: string) {
  return createEvent(
    OfferEvents.Accepted,
    {
      offerId: newId(),
      requestId: newId(),
      mentorId,
      programId: null,
      region: '35.73',
      engagementId: newId(),
      submittedAt: '2026-03-01T01:00:00.000Z',
      acceptedAt: now.toISOString(),
    },
    now,
  )
}

describe('Transactional outbox (invariant 5)', () => {
  it('writes the state change and its event together', async () => {
    const mentorId = await mentorWithLoad(2, 3)
    const { command, engagementId, event } = acceptOffer(mentorId)

    await table.doc.send(command)

    expect(await get(keys.mentorLoad(mentorId))).toMatchObject({ active: 3 })
    expect(await get(keys.engagement(engagementId))).toMatchObject({ mentorId })
    const outbox = await get(keys.outbox(event.id))
    expect(outbox).toMatchObject({ entity: 'event', version: 1 })
    expect(envelopeOf(outbox ?? {})).toEqual(event)
    // The published item is swept by TTL a week after the change.
    expect(outbox?.expiresAt).toBe(Math.floor(now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS)
  })

  it('leaves neither the change nor the event when a condition fails half-way', async () => {
    const mentorId = await mentorWithLoad(3, 3)
    const { command, engagementId, event } = acceptOffer(mentorId)

    const refused = await table.doc.send(command).catch((error: unknown) => error)

    expect(refused).toBeInstanceOf(TransactionCanceledException)
    expect(
      (refused as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code),
    ).toEqual(['ConditionalCheckFailed', 'None', 'None'])
    expect(await get(keys.mentorLoad(mentorId))).toMatchObject({ active: 3 })
    expect(await get(keys.engagement(engagementId))).toBeUndefined()
    expect(await get(keys.outbox(event.id))).toBeUndefined()
  })

  it('leaves no change when its event cannot be written (the same event id twice)', async () => {
    const mentorId = await mentorWithLoad(0, 3)
    const first = acceptOffer(mentorId)
    await table.doc.send(first.command)
    // A retry that reuses the event id but would create a second engagement.
    const event = { ...first.event, detail: { ...first.event.detail, engagementId: newId() } }
    const again = acceptOffer(mentorId, event)

    const refused = await table.doc.send(again.command).catch((error: unknown) => error)

    expect(refused).toBeInstanceOf(TransactionCanceledException)
    expect(await get(keys.mentorLoad(mentorId))).toMatchObject({ active: 1 })
    expect(await get(keys.engagement(again.engagementId))).toBeUndefined()
    expect(envelopeOf((await get(keys.outbox(first.event.id))) ?? {})).toEqual(first.event)
  })
})
