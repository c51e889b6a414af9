import { startDynamoDBLocal } from '@pendamping/scripts/local/dynamodb-local'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local per worker: `dynamoEndpoint()` in `testing/table.ts` picks the worker's. */
    dynamoEndpoints: string[]
  }
}

/**
 * One in-memory DynamoDB Local per worker of the tier; each test file makes its own table in its
 * worker's. Not one shared by all: DynamoDB Local keeps every table in one SQLite database behind one
 * lock, so two files bursting hundreds of writes at once would slow each other tenfold.
 */
export default async function setup(project: TestProject) {
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1)
  const dbs = await Promise.all(Array.from({ length: workers }, () => startDynamoDBLocal()))
  project.provide(
    'dynamoEndpoints',
    dbs.map((db) => db.endpoint),
  )
  return async () => {
    await Promise.all(dbs.map((db) => db.stop()))
  }
}
