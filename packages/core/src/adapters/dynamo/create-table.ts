import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { keyAttributes, type TableDefinition, table } from './table.ts'

/** The `CreateTable` input for the shared definition: the local twin of `infra/table.ts`. */
export function createTableInput(name: string, definition: TableDefinition = table): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes(definition).map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' },
      { AttributeName: definition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.entries(definition.indexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.hashKey, KeyType: 'HASH' },
        { AttributeName: index.rangeKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }
}

/**
 * Creates the table if it does not exist yet and turns TTL on. Safe to call on every start.
 * `stream: false` leaves the stream out, for a table whose stream nobody reads.
 * @returns whether the table was created by this call
 */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
  options: { stream?: boolean } = {},
): Promise<boolean> {
  let created = true
  const input = createTableInput(name)
  // A table nobody reads the stream of (a test's) goes without: DynamoDB Local keeps every record.
  if (options.stream === false) delete input.StreamSpecification
  try {
    await client.send(new CreateTableCommand(input))
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error
    created = false
  }
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
    if (Table?.TableStatus === 'ACTIVE') break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  if (created) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: table.ttl, Enabled: true },
      }),
    )
  }
  return created
}
