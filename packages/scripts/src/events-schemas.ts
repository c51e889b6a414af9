import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { busDetailSchema, registry } from '@pendamping/core/bus'
import { EVENT_SOURCE } from '@pendamping/core/event'
import { toJsonSchema } from '@valibot/to-json-schema'

/** Where the generated schemas live, for other teams to read (and biome to ignore). */
export const SCHEMA_DIR = fileURLToPath(new URL('../../core/generated/event-schemas/', import.meta.url))

/**
 * One JSON Schema (draft 2020-12) per event and version, of the EventBridge `detail` consumers
 * receive (`{ metadata, data }`), generated from the valibot contracts: never written by hand.
 * @returns file name → file content
 */
export function eventSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>()
  for (const definition of [...registry.values()].sort((a, b) => a.type.localeCompare(b.type))) {
    const { $schema, ...schema } = toJsonSchema(busDetailSchema(definition), {
      target: 'draft-2020-12',
      errorMode: 'throw',
    })
    const document = {
      $schema,
      $id: `urn:pendamping:event:${definition.type}:v${definition.version}`,
      title: `${definition.type} v${definition.version}`,
      description: `The EventBridge detail of source "${EVENT_SOURCE}", detail-type "${definition.type}", version ${definition.version}. Generated from the valibot contract by \`npm run events:schemas\`; do not edit.`,
      ...schema,
    }
    files.set(`${definition.type}.v${definition.version}.json`, `${JSON.stringify(document, null, 2)}\n`)
  }
  return files
}

/** Writes every schema and removes the files of events no longer in the registry. */
export async function writeEventSchemas(dir = SCHEMA_DIR): Promise<string[]> {
  const files = eventSchemaFiles()
  await mkdir(dir, { recursive: true })
  for (const name of await readdir(dir)) {
    if (name.endsWith('.json') && !files.has(name)) await rm(join(dir, name))
  }
  for (const [name, content] of files) await writeFile(join(dir, name), content)
  return [...files.keys()]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = await writeEventSchemas()
  console.log(`Wrote ${written.length} event schemas to ${SCHEMA_DIR}`)
}
