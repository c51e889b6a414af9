/**
 * Entities and the writes they describe. An entity knows its main key, the index keys its items
 * carry and how to parse an item; its `put`/`update`/`remove`/`check` return a {@link TransactItem}
 * that {@link transact} (or {@link write}) sends. Expression strings live here and in `entities/`,
 * never in domain modules: a `#name` in an expression always means the attribute `name`, so names
 * are derived instead of listed, and update values get placeholders of their own (`:u0`, `:u1` …).
 */
import type { TransactWriteItem } from '@aws-sdk/lib-dynamodb'

/** The main key of an item. */
export interface Key {
  pk: string
  sk: string
}

type Tableless<T> = Omit<NonNullable<T>, 'TableName'> & { TableName?: string | undefined }

/**
 * One write of a transaction, without a table name: {@link transact} fills in the store's. The one
 * transaction item type of the code base; a `TableName` already set is kept.
 */
export interface TransactItem {
  Put?: Tableless<TransactWriteItem['Put']>
  Update?: Tableless<TransactWriteItem['Update']>
  Delete?: Tableless<TransactWriteItem['Delete']>
  ConditionCheck?: Tableless<TransactWriteItem['ConditionCheck']>
}

/** A condition expression with its values; `#attr` names are derived (see the module comment). */
export interface Condition {
  expression: string
  values?: Record<string, unknown> | undefined
}

/** A condition from an expression and its `:value` placeholders (which must not look like `:u0`). */
export const when = (expression: string, values?: Record<string, unknown>): Condition => ({
  expression,
  values,
})

/** No item under this key yet: the default of every `put`. */
export const isNew = when('attribute_not_exists(pk)')

/** The item exists (an update must not create a half item). */
export const exists = when('attribute_exists(pk)')

/** All of `conditions`; refuses two placeholders of the same name with different values (a bug). */
export function and(...conditions: Condition[]): Condition {
  const values: Record<string, unknown> = {}
  for (const condition of conditions)
    for (const [name, value] of Object.entries(condition.values ?? {})) {
      if (name in values && values[name] !== value) throw new Error(`Placeholder ${name} used twice`)
      values[name] = value
    }
  return when(conditions.map((condition) => `(${condition.expression})`).join(' AND '), values)
}

/** Each attribute equals its value, e.g. a list's status filter: `equals({ status: 'open' })`. */
export function equals(attributes: Record<string, unknown>): Condition {
  const entries = Object.entries(attributes)
  return when(
    entries.map(([name]) => `#${name} = :eq_${name}`).join(' AND '),
    Object.fromEntries(entries.map(([name, value]) => [`:eq_${name}`, value])),
  )
}

/** What an update changes: `set` (undefined values skipped), `add` to numbers, `remove`, `append` to lists. */
export interface Changes {
  set?: Record<string, unknown> | undefined
  add?: Record<string, number> | undefined
  remove?: readonly string[] | undefined
  append?: Record<string, readonly unknown[]> | undefined
}

/** `{ '#name': 'name' }` for every `#name` in the expressions; `undefined` when there is none. */
export function namesIn(...expressions: Array<string | undefined>): Record<string, string> | undefined {
  const names: Record<string, string> = {}
  for (const expression of expressions)
    for (const [, name = ''] of expression?.matchAll(/#(\w+)/g) ?? []) names[`#${name}`] = name
  return Object.keys(names).length > 0 ? names : undefined
}

type Expression = { expression: string; values: object; names?: Record<string, string> }

/** The condition members of a write; `ALL_OLD` so a refusal comes back with the item as it was. */
function conditionOf(condition: Condition | null, extra?: Expression) {
  const values = { ...extra?.values, ...condition?.values }
  const names = { ...namesIn(condition?.expression, extra?.expression), ...extra?.names }
  return {
    ConditionExpression: condition?.expression,
    ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
    ReturnValuesOnConditionCheckFailure: condition ? ('ALL_OLD' as const) : undefined,
  }
}

function updateExpression(changes: Changes): Required<Expression> {
  const values: Record<string, unknown> = {}
  const names: Record<string, string> = {}
  const value = (of: unknown) => {
    const placeholder = `:u${Object.keys(values).length}`
    values[placeholder] = of
    return placeholder
  }
  // A name that is not a plain word (a report counter, `requests.status.matching`) cannot be its own
  // `#name`: a dot would read as a path. It gets a placeholder of its own.
  const name = (of: string) => {
    if (/^\w+$/.test(of)) return `#${of}`
    const placeholder = `#_n${Object.keys(names).length}`
    names[placeholder] = of
    return placeholder
  }
  const set = Object.entries(changes.set ?? {})
    .filter(([, of]) => of !== undefined)
    .map(([attribute, of]) => `${name(attribute)} = ${value(of)}`)
  for (const [attribute, items] of Object.entries(changes.append ?? {}))
    set.push(`${name(attribute)} = list_append(${name(attribute)}, ${value(items)})`)
  const add = Object.entries(changes.add ?? {}).map(([attribute, by]) => `${name(attribute)} ${value(by)}`)
  const clauses = [
    set.length > 0 ? `SET ${set.join(', ')}` : '',
    changes.remove?.length ? `REMOVE ${changes.remove.map(name).join(', ')}` : '',
    add.length > 0 ? `ADD ${add.join(', ')}` : '',
  ]
  return { expression: clauses.filter(Boolean).join(' '), values, names }
}

/** The `Put` of `attributes` under `key`; `when` defaults to {@link isNew}, `null` overwrites. */
export function putItem(key: Key, attributes: object, when: Condition | null = isNew): TransactItem {
  return { Put: { Item: { ...key, ...attributes }, ...conditionOf(when) } }
}

/** The `Update` of the item under `key` (no condition unless `when`). */
export function updateItem(key: Key, changes: Changes, when: Condition | null = null): TransactItem {
  const update = updateExpression(changes)
  return { Update: { Key: key, UpdateExpression: update.expression, ...conditionOf(when, update) } }
}

/** The `Delete` of the item under `key`. */
export function deleteItem(key: Key, when: Condition | null = null): TransactItem {
  return { Delete: { Key: key, ...conditionOf(when) } }
}

/** A `ConditionCheck`: the transaction goes through only if the item under `key` meets `when`. */
export function checkItem(key: Key, when: Condition): TransactItem {
  return { ConditionCheck: { Key: key, ...conditionOf(when) } }
}

/** Anything that reads: a key for an id and a parser for what is stored there. */
export interface Readable<Item, Id> {
  key(id: Id): Key
  parse(raw: unknown): Item
  /** Only these attributes are read (a view of an item, e.g. a mentor's name); all when absent. */
  readonly attributes?: readonly string[] | undefined
}

/**
 * An entity: its `entity` tag, key, parser and writes. `Target` is what an update needs: the item
 * itself when the entity has index keys (so an update that moves the item between lists rewrites
 * exactly the index keys that change), its id otherwise.
 */
export interface Entity<Item, Id, Target = Id> extends Readable<Item, Id> {
  readonly name: string
  /** Writes `item` whole; refused if one exists, unless `when` says otherwise. */
  put(item: Item, options?: { when?: Condition | null }): TransactItem
  update(target: Target, changes: Changes, options?: { when?: Condition | null }): TransactItem
  remove(id: Id, options?: { when?: Condition | null }): TransactItem
  check(id: Id, when: Condition): TransactItem
}

type Schema<Item> = { parse(raw: unknown): Item }
type Indexes<Item> = (item: Item) => Record<string, string>

/**
 * Declares an entity from its schema (anything with `parse`, e.g. a zod/mini object) and its keys.
 *
 * @example
 * export const Account = entity('account', AccountItem, { key: (a: { sub: string }) => keys.account(a.sub) })
 * const account = await get(store, Account, { sub })
 */
export function entity<Item extends Id, Id>(
  name: string,
  schema: Schema<Item>,
  definition: { key: (id: Id) => Key; indexes: Indexes<Item> },
): Entity<Item, Id, Item>
export function entity<Item extends Id, Id>(
  name: string,
  schema: Schema<Item>,
  definition: { key: (id: Id) => Key },
): Entity<Item, Id>
export function entity<Item extends Id, Id>(
  name: string,
  schema: Schema<Item>,
  { key, indexes }: { key: (id: Id) => Key; indexes?: Indexes<Item> },
): Entity<Item, Id, Item | Id> {
  return {
    name,
    key,
    parse: (raw) => schema.parse(raw),
    put: (item, options) => putItem(key(item), { ...indexes?.(item), ...item }, options?.when),
    update(target, changes, options) {
      if (!indexes || !changes.set) return updateItem(key(target), changes, options?.when ?? null)
      // The index keys that change with `set` are rewritten, the ones that vanish removed.
      const before = indexes(target as Item)
      const after = indexes({ ...target, ...changes.set } as Item)
      const set = { ...changes.set }
      for (const [name, value] of Object.entries(after)) if (before[name] !== value) set[name] = value
      const remove = [...(changes.remove ?? []), ...Object.keys(before).filter((name) => !(name in after))]
      return updateItem(key(target), { ...changes, set, remove }, options?.when ?? null)
    },
    remove: (id, options) => deleteItem(key(id), options?.when ?? null),
    check: (id, condition) => checkItem(key(id), condition),
  }
}
