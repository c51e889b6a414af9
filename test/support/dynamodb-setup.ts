import { startDynamoDBLocal } from '@pendamping/scripts/local/dynamodb-local'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string
  }
}

/** One in-memory DynamoDB Local for the tier; each test file makes its own table in it. */
export default async function setup(project: TestProject) {
  const db = await startDynamoDBLocal()
  project.provide('dynamoEndpoint', db.endpoint)
  return async () => {
    await db.stop()
  }
}
