import { startDynamoDBLocal } from '@pendamping/scripts/local/dynamodb-local'
import { ensureChromium } from '@pendamping/scripts/testing/chromium'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string
  }
}

/** One in-memory DynamoDB Local for the whole run; each test file makes its own table in it. */
export default async function setup(project: TestProject) {
  // The page tests drive Debian's Chromium: install it once, up front, when a fresh machine lacks it.
  ensureChromium()
  const db = await startDynamoDBLocal()
  project.provide('dynamoEndpoint', db.endpoint)
  return async () => {
    await db.stop()
  }
}
