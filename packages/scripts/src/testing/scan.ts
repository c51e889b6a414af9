import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { TestTable } from './table.ts'

/**
 * Every item of a test table, optionally only one entity. Tests use it to prove what was (or was not)
 * written; request paths never scan.
 */
export async function scanTable(table: TestTable, entity?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await table.doc.send(
      new ScanCommand({
        TableName: table.tableName,
        ExclusiveStartKey,
        ...(entity
          ? { FilterExpression: 'entity = :entity', ExpressionAttributeValues: { ':entity': entity } }
          : {}),
      }),
    )
    items.push(...(page.Items ?? []))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

/** The outbox events written to a test table, by `detail-type`. */
export async function outboxEvents(table: TestTable, type?: string) {
  const events = (await scanTable(table, 'event')).map(
    (item) => item.event as { type: string; detail: Record<string, unknown> },
  )
  return type ? events.filter((event) => event.type === type) : events
}
