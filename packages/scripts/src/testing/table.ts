import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createDocumentClient, ensureTable } from '@pendamping/core/dynamo'
import { afterAll, beforeAll, inject } from 'vitest'

/**
 * The DynamoDB Local of the worker running this file (`VITEST_POOL_ID` is 1…maxWorkers), from the
 * tier's global setup (`test/support/dynamodb-setup.ts`).
 */
export function dynamoEndpoint(): string {
  const endpoints = inject('dynamoEndpoints')
  if (!endpoints?.length)
    throw new Error('No DynamoDB Local: this file needs the integration tier (vitest.config.ts)')
  const pool = Number(process.env.VITEST_POOL_ID ?? 1)
  return endpoints[(pool - 1) % endpoints.length] as string
}

export interface TestTable {
  endpoint: string
  tableName: string
  doc: DynamoDBDocumentClient
}

/**
 * Gives the calling test file a table of its own in the run's DynamoDB Local, made from the same
 * definition as production, so files run in parallel without seeing each other's items.
 */
export function useTestTable(): TestTable {
  const endpoint = dynamoEndpoint()
  const tableName = `test-${crypto.randomUUID()}`
  const doc = createDocumentClient({ endpoint })
  const handle: TestTable = { endpoint, tableName, doc }
  beforeAll(async () => {
    await ensureTable(doc, tableName)
  })
  afterAll(async () => {
    await doc.send(new DeleteTableCommand({ TableName: tableName }))
    doc.destroy()
  })
  return handle
}
