import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { ensureTable } from '@pendamping/core/adapters/dynamo/create-table'
import { afterAll, beforeAll, inject } from 'vitest'

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
  const endpoint = inject('dynamoEndpoint')
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
