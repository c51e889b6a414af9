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

export interface TestTableOptions {
  /**
   * Whether the table has its stream (off unless a file reads it). DynamoDB Local keeps every stream
   * record of every table, deleted ones too, and a worker's emulator that has held a big burst's
   * stream answers every later file far slower: the 500-submission burst took 12 s on a fresh
   * emulator and 80 s after the 1 000-registration scenarios.
   */
  stream?: boolean
}

/**
 * Gives the calling test file a table of its own in the run's DynamoDB Local, made from the same
 * definition as production, so files run in parallel without seeing each other's items.
 */
export function useTestTable(options: TestTableOptions = {}): TestTable {
  const endpoint = dynamoEndpoint()
  const tableName = `test-${crypto.randomUUID()}`
  const doc = createDocumentClient({ endpoint })
  const handle: TestTable = { endpoint, tableName, doc }
  beforeAll(async () => {
    await ensureTable(doc, tableName, { stream: options.stream ?? false })
  })
  afterAll(async () => {
    await doc.send(new DeleteTableCommand({ TableName: tableName }))
    doc.destroy()
  })
  return handle
}
