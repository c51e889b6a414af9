import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterEach, describe, expect, it } from 'vitest'
import { ServiceUnavailableError } from '../../errors/index.ts'
import { createDocumentClient } from './client.ts'
import { transact } from './transact.ts'

/** A stand-in for DynamoDB's HTTP endpoint that answers each call with `answer`, counting calls. */
async function fakeDynamo(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  let calls = 0
  const server: Server = createServer((req, res) => {
    calls++
    req.resume()
    req.on('end', () => answer(req, res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { endpoint, calls: () => calls }
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const dynamoError = (res: ServerResponse, status: number, type: string) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type }))
}

const get = new GetCommand({ TableName: 'any', Key: { pk: 'a', sk: 'b' } })

describe('The DynamoDB client', () => {
  it('turns a table that never answers into a ServiceUnavailableError, in bounded time', async () => {
    const db = await fakeDynamo(() => {
      // Accepts the call and never answers: a paused or overloaded database.
    })
    const doc = createDocumentClient({ endpoint: db.endpoint, timeouts: { requestTimeout: 300 } })
    const started = Date.now()
    const error = await doc.send(get).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ServiceUnavailableError)
    expect((error as ServiceUnavailableError).retryAfterSeconds).toBeGreaterThan(0)
    // Three attempts of 300 ms and the backoff between them.
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(db.calls()).toBe(3)
    doc.destroy()
  })

  it('retries throttling, then gives up with a ServiceUnavailableError', async () => {
    const db = await fakeDynamo((_req, res) =>
      dynamoError(res, 400, 'ProvisionedThroughputExceededException'),
    )
    const doc = createDocumentClient({ endpoint: db.endpoint })
    await expect(doc.send(get)).rejects.toBeInstanceOf(ServiceUnavailableError)
    expect(db.calls()).toBe(3)
    doc.destroy()
  })

  it('answers a connection refused as a ServiceUnavailableError', async () => {
    const db = await fakeDynamo(() => {})
    const closed = db.endpoint
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
    const doc = createDocumentClient({ endpoint: closed })
    await expect(doc.send(get)).rejects.toBeInstanceOf(ServiceUnavailableError)
    doc.destroy()
  })

  it('answers a transaction DynamoDB cancelled for throttling as an outage, not a conflict', async () => {
    const db = await fakeDynamo((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]',
          CancellationReasons: [
            { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity' },
          ],
        }),
      )
    })
    const store = { doc: createDocumentClient({ endpoint: db.endpoint }), tableName: 'any' }
    await expect(transact(store, [['item', { Put: { Item: { pk: 'a', sk: 'b' } } }]])).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    )
    store.doc.destroy()
  })

  it('lets a refused condition through as it is, once: it is an answer, not an outage', async () => {
    const db = await fakeDynamo((_req, res) => dynamoError(res, 400, 'ConditionalCheckFailedException'))
    const doc = createDocumentClient({ endpoint: db.endpoint })
    const put = new PutCommand({
      TableName: 'any',
      Item: { pk: 'a', sk: 'b' },
      ConditionExpression: 'attribute_not_exists(pk)',
    })
    await expect(doc.send(put)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' })
    expect(db.calls()).toBe(1)
    doc.destroy()
  })
})
