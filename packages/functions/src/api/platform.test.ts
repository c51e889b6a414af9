import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const functions = resolve(import.meta.dirname, '..')
const platform = join(functions, 'api', 'platform.ts')

/** Loaded lazily but not (yet) importing the platform; each costs the cold start a chunk or two. */
const EXCEPTIONS = new Set<string>([])

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

describe('The API’s cold path', () => {
  it('is imported first by every module of ours the app loads lazily, so esbuild keeps it one chunk', () => {
    const lazy = new Set<string>()
    for (const file of sources(functions)) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g))
        lazy.add(resolve(dirname(file), target as string))
    }
    expect(lazy.size).toBeGreaterThan(10)
    const missing = [...lazy]
      .map((file) => relative(functions, file))
      .filter((file) => !EXCEPTIONS.has(file))
      .filter((file) => {
        const first = readFileSync(join(functions, file), 'utf8').match(/^import .*$/m)?.[0] ?? ''
        const target = /^import '([^']+)'/.exec(first)?.[1]
        return !target || resolve(dirname(join(functions, file)), target) !== platform
      })
    expect(missing).toEqual([])
  })
})
