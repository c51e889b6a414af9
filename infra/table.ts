import { table as definition, keyAttributes } from '../packages/core/src/adapters/dynamo/table.ts'
import { isProduction } from './stage.ts'

/**
 * The one table, from the definition in core (the local stack creates DynamoDB Local's table from
 * the same object): every key attribute a string, each index under its access-pattern name, the
 * stream the outbox publisher reads, and TTL on the attribute outbox and idempotency items set.
 */
export const table = new sst.aws.Dynamo('Table', {
  fields: Object.fromEntries(keyAttributes(definition).map((name) => [name, 'string' as const])),
  primaryIndex: { hashKey: definition.partitionKey, rangeKey: definition.sortKey },
  globalIndexes: Object.fromEntries(
    Object.entries(definition.indexes).map(([name, index]) => [
      name,
      { hashKey: index.hashKey, rangeKey: index.rangeKey },
    ]),
  ),
  stream: definition.stream,
  ttl: definition.ttl,
  deletionProtection: isProduction,
})
