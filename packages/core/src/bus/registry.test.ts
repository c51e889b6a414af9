/**
 * Events hold ids, categories, counts and times — never a name, a phone, an e-mail or free text
 * (UU PDP; docs/contract/data-protection.md#events): they travel through EventBridge, dead-letter
 * queues and logs that erasure cannot reach. This walks every field of every event in the registry.
 */
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { Id, Iso, RegionCode, Topic } from '../event/shared.ts'
import { registry } from './registry.ts'

/** The string shapes an event may use: an id, a time, a region code, a topic. */
const SHARED = new Map<unknown, string>([
  [Id, 'id'],
  [Iso, 'time'],
  [RegionCode, 'region code'],
  [Topic, 'topic'],
])

/**
 * Plain string fields that are categories or codes the system words, by the field's name (`[]` an
 * item of a list, `{key}` a record's key). Adding one here is a claim that no person types it.
 */
const CATEGORIES = new Set([
  'status', // a request's or mentor's status
  'previousStatus',
  'reason', // a decline / withdrawal / cancellation reason code
  'sector', // business sector code
  'segment', // a program segment code (umum, asn…)
  'timeZone', // IANA zone
  'meetingId', // a class meeting's id within its class (m1, m2…)
  'meetings[].meetingId',
  'seedHash', // SHA-256 of a lottery seed
  'outcomes[]', // outcome codes
  'languages[]', // language codes
  'raisedSegments[]', // segment codes
  'seats{key}', // segment codes
  'quotas{key}', // segment codes
  'groups[].topic', // a topic code
])

/** Field names that would carry what a person is or typed, whatever their type. */
const PERSONAL = /(name|phone|email|mail|note|comment|description|place|address|bio|token|text|message)$/i

interface Field {
  event: string
  path: string
  kind: string
}

type Schema = v.GenericSchema & {
  type: string
  entries?: Record<string, Schema>
  wrapped?: Schema
  item?: Schema
  key?: Schema
  value?: Schema
  options?: Schema[]
}

function fieldsOf(event: string, schema: Schema, path: string, into: Field[]): Field[] {
  const leaf = path.replace(/^.*\./, '')
  if (SHARED.has(schema)) into.push({ event, path, kind: SHARED.get(schema) as string })
  else if (schema.type === 'object')
    for (const [name, entry] of Object.entries(schema.entries ?? {}))
      fieldsOf(event, entry, path ? `${path}.${name}` : name, into)
  else if (['optional', 'nullable', 'nullish'].includes(schema.type))
    fieldsOf(event, schema.wrapped as Schema, path, into)
  else if (schema.type === 'array') fieldsOf(event, schema.item as Schema, `${path}[]`, into)
  else if (schema.type === 'record') {
    fieldsOf(event, schema.key as Schema, `${path}{key}`, into)
    fieldsOf(event, schema.value as Schema, `${path}{}`, into)
  } else if (schema.type === 'union')
    for (const option of schema.options ?? []) fieldsOf(event, option, path, into)
  else if (['picklist', 'literal', 'enum', 'number', 'boolean'].includes(schema.type))
    into.push({ event, path, kind: schema.type })
  else if (schema.type === 'string' && (CATEGORIES.has(path) || CATEGORIES.has(leaf)))
    into.push({ event, path, kind: 'category' })
  else into.push({ event, path, kind: `unexpected ${schema.type}` })
  return into
}

const everyField = [...registry].flatMap(([type, definition]) =>
  fieldsOf(type, definition.detail as Schema, '', []),
)

describe('Event schemas (UU PDP)', () => {
  it('walks every event of the registry', () => {
    expect(registry.size).toBeGreaterThan(40)
    expect(everyField.length).toBeGreaterThan(300)
  })

  it('hold only ids, times, region codes, topics, categories, counts and flags', () => {
    expect(everyField.filter((field) => field.kind.startsWith('unexpected'))).toEqual([])
  })

  it('have no field named for a person’s data', () => {
    expect(everyField.filter((field) => PERSONAL.test(field.path.replace(/\W+$/, '')))).toEqual([])
  })

  it('would refuse a free-text field (the walk can fail)', () => {
    const leaky = v.object({
      requestId: Id,
      ownerName: v.string(),
      note: v.pipe(v.string(), v.maxLength(500)),
    })
    const fields = fieldsOf('Leaky', leaky as Schema, '', [])
    expect(fields.filter((field) => field.kind.startsWith('unexpected')).map((field) => field.path)).toEqual([
      'ownerName',
      'note',
    ])
    expect(fields.filter((field) => PERSONAL.test(field.path)).map((field) => field.path)).toEqual([
      'ownerName',
      'note',
    ])
  })
})
