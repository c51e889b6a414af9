/**
 * `npm run build`: one Lambda bundle per function that `wiring.ts` declares (handlers, bus rules,
 * schedules), written to `dist/<name>/index.mjs`, with each bundle's minified and gzip size.
 *
 * The esbuild options are `lambdaBundle` (`infra/bundle.ts`), which SST's settings in
 * `infra/function.ts` are made from, so what is measured here (`npm run build`,
 * `npm run bench:cold`) is what SST deploys.
 *
 * Flags, for measuring alternatives: `--sdk=external` leaves `@aws-sdk/*` to the Lambda runtime,
 * `--no-splitting` keeps dynamic imports in the entry file, `--analyze` lists what fills each bundle.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Metafile } from 'esbuild'
import { lambdaBundle } from '../../../infra/bundle.ts'
import { handlers, rules, schedules } from '../../functions/src/wiring.ts'

export { lambdaBundle }

/** The repository root, which SST handler strings are relative to. */
export const root = fileURLToPath(new URL('../../..', import.meta.url))

/** One Lambda function to bundle: its name (the `dist/<name>/` folder) and its SST handler string. */
export interface BundleEntry {
  name: string
  handler: string
}

/** Every function `wiring.ts` declares: handlers by key, rules and schedules by name. */
export function bundleEntries(): BundleEntry[] {
  return [
    ...Object.entries(handlers).map(([name, handler]) => ({ name, handler })),
    ...rules.map(({ name, handler }) => ({ name, handler })),
    ...schedules.map(({ name, handler }) => ({ name, handler })),
  ]
}

const sourceExtensions = ['.ts', '.tsx', '.mts', '.js', '.mjs']

/**
 * Splits an SST handler string (`path/to/file.exportName`, relative to the repository root) into
 * the source file it names and the export, as SST resolves it.
 */
export function resolveHandler(handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.')
  if (dot <= handler.lastIndexOf('/')) throw new Error(`Handler "${handler}" has no ".exportName"`)
  const base = resolve(root, handler.slice(0, dot))
  const exportName = handler.slice(dot + 1)
  const file = sourceExtensions
    .map((extension) => base + extension)
    .find((candidate) => existsSync(candidate))
  if (!file) throw new Error(`Handler "${handler}": no ${base}{${sourceExtensions.join(',')}}`)
  return { file, exportName }
}

export interface BundleOverrides {
  /** Leave `@aws-sdk/*` out of the bundle (the Lambda runtime ships SDK v3). */
  externalSdk?: boolean
  splitting?: boolean
  /** Where `<name>/index.mjs` goes; `dist` by default. */
  outdir?: string
}

export interface BundleReport {
  name: string
  handler: string
  /** The entry file Lambda loads. */
  file: string
  /** Bytes of the entry file alone. */
  bytes: number
  /** What a cold start loads: the entry and the chunks it imports statically, minified and gzipped. */
  startBytes: number
  gzipBytes: number
  /** Everything deployed, with the chunks only loaded on first use of a dynamic import. */
  totalBytes: number
  metafile: Metafile
}

/** Bundles one function with `lambdaBundle` (plus overrides) and measures it. */
export async function buildBundle(
  entry: BundleEntry,
  overrides: BundleOverrides = {},
): Promise<BundleReport> {
  const { build } = await import('esbuild')
  const { file: source } = resolveHandler(entry.handler)
  const outdir = join(overrides.outdir ?? join(root, 'dist'), entry.name)
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir, { recursive: true })
  const splitting = overrides.splitting ?? lambdaBundle.splitting
  const result = await build({
    ...lambdaBundle,
    external: overrides.externalSdk ? [...lambdaBundle.external, '@aws-sdk/*'] : [...lambdaBundle.external],
    mainFields: [...lambdaBundle.mainFields],
    entryPoints: { index: source },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: root,
  })
  const file = join(outdir, 'index.mjs')
  const loadedAtStart = staticClosure(result.metafile, relative(root, file))
  const code = Buffer.concat(await Promise.all(loadedAtStart.map((path) => readFile(join(root, path)))))
  const totalBytes = Object.entries(result.metafile.outputs)
    .filter(([path]) => path.endsWith('.mjs'))
    .reduce((sum, [, output]) => sum + output.bytes, 0)
  return {
    name: entry.name,
    handler: entry.handler,
    file,
    bytes: result.metafile.outputs[relative(root, file)]?.bytes ?? 0,
    startBytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    totalBytes,
    metafile: result.metafile,
  }
}

/** The output files a module loads before it runs: itself and its static imports, transitively. */
function staticClosure(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path) || !metafile.outputs[path]) return
    seen.add(path)
    for (const imported of metafile.outputs[path].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path)
    }
  }
  visit(entry)
  return [...seen]
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

/** The packages (or source folders) that fill a bundle, largest first. */
export function heaviestInputs(metafile: Metafile, count = 12): Array<{ input: string; bytes: number }> {
  const byPackage = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
      const key = match?.[1] ?? dirname(path)
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput)
    }
  }
  return [...byPackage.entries()]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count)
}

async function main() {
  const args = process.argv.slice(2)
  const overrides: BundleOverrides = {
    externalSdk: args.includes('--sdk=external'),
    splitting: args.includes('--splitting') ? true : args.includes('--no-splitting') ? false : undefined,
  }
  const entries = bundleEntries()
  const unresolved = entries.flatMap(({ handler }) => {
    try {
      resolveHandler(handler)
      return []
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)]
    }
  })
  if (unresolved.length > 0)
    throw new Error(`wiring.ts names handlers that do not exist:\n  ${unresolved.join('\n  ')}`)
  const reports: BundleReport[] = []
  for (const entry of entries) reports.push(await buildBundle(entry, overrides))

  console.log('\n| function | handler | loaded at cold start (min) | gzip | all chunks (min) |')
  console.log('|---|---|---:|---:|---:|')
  for (const report of reports) {
    console.log(
      `| ${report.name} | \`${report.handler}\` | ${kb(report.startBytes)} | ${kb(report.gzipBytes)} | ${kb(report.totalBytes)} |`,
    )
  }
  console.log(`\nWritten to ${join(root, 'dist')}/<name>/index.mjs`)

  if (args.includes('--analyze')) {
    for (const report of reports) {
      console.log(`\n${report.name}: what fills it`)
      for (const { input, bytes } of heaviestInputs(report.metafile))
        console.log(`  ${kb(bytes).padStart(10)}  ${input}`)
    }
  }
}

if (import.meta.main) await main()
