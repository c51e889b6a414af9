/**
 * The data layer under the domain: entities that know their keys and parse their items, one `get`,
 * one paged `query`, one `transact`, one single-item `write`. Domain modules import
 * from here (and their entity from `entities/`), never from `@aws-sdk/*`, and spell no key.
 */
export type { Store } from './client.ts'
export { createDocumentClient, DYNAMODB_TIMEOUTS, type DynamoDBTimeouts } from './client.ts'
export { counted } from './counter.ts'
export { createTableInput, ensureTable } from './create-table.ts'
export {
  and,
  type Changes,
  type Condition,
  type Entity,
  entity,
  equals,
  exists,
  isNew,
  type Key,
  type TransactItem,
  when,
} from './entity.ts'
export { keys, newId } from './keys.ts'
export { decodeCursor, encodeCursor, PAGE_DEFAULT, PAGE_MAX, type Page } from './page.ts'
export { batchGet, everyItem, get, type List, query, queryMerged } from './read.ts'
export { fromStreamImage } from './stream.ts'
export { keyAttributes, table } from './table.ts'
export {
  IdempotencyRaceLostError,
  type Refusal,
  refusalOf,
  type Step,
  transact,
  withTable,
  write,
} from './transact.ts'
