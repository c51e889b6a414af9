import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { keys, newId } from '@pendamping/core/dynamo'
import { createEvent, outboxPut } from '@pendamping/core/event'
import { RequestEvents } from '@pendamping/core/request'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { dynamoEndpoint, useTestTable } from '../testing/table.ts'
import { type LocalStack, startLocalStack } from './stack.ts'

const table = useTestTable({ stream: true })
let stack: LocalStack

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: dynamoEndpoint(),
    tableName: table.tableName,
    port: 0,
  })
})

afterAll(async () => {
  await stack?.stop()
})

describe('The event path on the local stack', () => {
  it('carries an outbox event from the transaction through the stream and the publisher to the bus', async () => {
    const requestId = newId()
    const event = createEvent(
      RequestEvents.Submitted,
      {
        requestId,
        programId: null,
        segment: null,
        region: '35.73',
        sector: 'kuliner',
        sizeClass: 'mikro',
        needs: ['branding'],
        mode: 'online',
        languages: ['id'],
        status: 'matching',
        submittedAt: new Date().toISOString(),
      },
      new Date(),
    )

    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: { ...keys.request(requestId), entity: 'request', version: 1, status: 'matching' },
            },
          },
          outboxPut(table.tableName, event),
        ],
      }),
    )

    await vi.waitFor(() => expect(stack.bus.published).toContainEqual(event), { timeout: 10_000 })
    // The request's own item went through the same stream and was not mistaken for an event.
    expect(stack.bus.published.filter((published) => published.id === event.id)).toHaveLength(1)
    expect(stack.streamWorker.deadLetters).toEqual([])
  })
})
