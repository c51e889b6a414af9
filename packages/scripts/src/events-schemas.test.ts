import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { registry } from '@pendamping/core/bus'
import { describe, expect, it } from 'vitest'
import { eventSchemaFiles, SCHEMA_DIR } from './events-schemas.ts'

describe('Event JSON Schemas', () => {
  it('are committed exactly as the contracts generate them (run `npm run events:schemas` after changing one)', async () => {
    const expected = eventSchemaFiles()
    const committed = (await readdir(SCHEMA_DIR)).filter((name) => name.endsWith('.json')).sort()
    expect(committed).toEqual([...expected.keys()].sort())
    for (const [name, content] of expected) {
      expect(await readFile(join(SCHEMA_DIR, name), 'utf8'), name).toBe(content)
    }
  })

  it('cover every event in the registry, one file per detail-type and version', () => {
    const names = [...eventSchemaFiles().keys()]
    expect(names).toHaveLength(registry.size)
    for (const definition of registry.values()) {
      expect(names).toContain(`${definition.type}.v${definition.version}.json`)
    }
  })

  it('describe the detail consumers receive: metadata with the pinned version, and the typed data', () => {
    const schema = JSON.parse(eventSchemaFiles().get('FeedbackReceived.v1.json') ?? '{}')
    expect(schema.required).toEqual(['metadata', 'data'])
    expect(schema.properties.metadata.properties.version).toEqual({ const: 1 })
    expect(schema.properties.data.properties.rating).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    })
    // No personal data: the owner's comment stays in the table.
    expect(Object.keys(schema.properties.data.properties)).not.toContain('comment')
  })
})
