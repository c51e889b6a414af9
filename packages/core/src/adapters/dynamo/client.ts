import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/**
 * The handle every data-layer call takes: the document client and the one table's name. Passed in,
 * never imported, so tests and `npm start` point the same code at DynamoDB Local.
 */
export interface Store {
  doc: DynamoDBDocumentClient
  tableName: string
}

export interface DocumentClientOptions {
  /** DynamoDB Local's URL; absent on AWS, where the SDK finds the regional endpoint itself. */
  endpoint?: string | undefined
  region?: string | undefined
}

/**
 * The document client every repository uses. Locally it talks to DynamoDB Local with dummy
 * credentials (DynamoDB Local checks none; `-sharedDb` makes every key see the same tables).
 */
export function createDocumentClient(options: DocumentClientOptions = {}): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = { region: options.region ?? 'ap-southeast-3' }
  if (options.endpoint) {
    config.endpoint = options.endpoint
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  })
}
