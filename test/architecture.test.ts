/**
 * The boundaries docs/architecture.md promises, checked on the source itself: every DynamoDB call of
 * the product goes through the data layer (`packages/core/src/adapters/dynamo/`), the domain imports
 * no AWS SDK, and no key is spelled outside the data layer.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DATA_LAYER = 'packages/core/src/adapters/dynamo/'

/** An import of DynamoDB's SDK packages. */
const DYNAMODB_SDK = /from '@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)'/
/** An import of any AWS SDK package. */
const ANY_SDK = /from '@aws-sdk\//
/** A key: an upper-case entity prefix and `#` opening a string or template, `'REQUEST#'`, `` `MENTOR#${id}` ``. */
const SPELLED_KEY = /['"`][A-Z][A-Z_]+#/

/** The product's source files: core and functions, without tests and test fixtures. */
function productFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory()) walk(path)
      else if (/\.tsx?$/.test(entry.name) && !/\.(test|fixture)\.tsx?$/.test(entry.name)) files.push(path)
    }
  }
  walk('packages/core/src')
  walk('packages/functions/src')
  return files
}

/** The code lines (not comments) of `text` that match `pattern`, as `name:line: text`. */
function offendingLines(name: string, text: string, pattern: RegExp): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      pattern.test(line) && !/^\s*(\*|\/\/|\/\*)/.test(line) ? [`${name}:${index + 1}: ${line.trim()}`] : [],
    )
}

const offending = (files: string[], pattern: RegExp) =>
  files.flatMap((file) => offendingLines(file, readFileSync(join(ROOT, file), 'utf8'), pattern))

const outsideDataLayer = () => productFiles().filter((file) => !file.startsWith(DATA_LAYER))

describe('The data layer boundary', () => {
  it('finds the product files it checks', () => {
    expect(productFiles().length).toBeGreaterThan(50)
  })

  it('keeps every DynamoDB SDK import inside packages/core/src/adapters/dynamo/', () => {
    expect(offending(outsideDataLayer(), DYNAMODB_SDK)).toEqual([])
  })

  it('keeps the domain free of every AWS SDK import (packages/core/src/adapters/ holds them)', () => {
    const domain = productFiles().filter(
      (file) => file.startsWith('packages/core/') && !file.startsWith('packages/core/src/adapters/'),
    )
    expect(offending(domain, ANY_SDK)).toEqual([])
  })

  it('spells no key outside the data layer', () => {
    expect(offending(outsideDataLayer(), SPELLED_KEY)).toEqual([])
  })

  it('notices a spelled key and an SDK import in code, not in comments', () => {
    const source = [
      "import { GetCommand } from '@aws-sdk/lib-dynamodb'",
      ' * listed under `MENTOR#<id>` (a comment)',
      "const pk = 'MENTOR#' + id",
    ].join('\n')
    expect(offendingLines('x.ts', source, DYNAMODB_SDK)).toEqual([
      "x.ts:1: import { GetCommand } from '@aws-sdk/lib-dynamodb'",
    ])
    expect(offendingLines('x.ts', source, SPELLED_KEY)).toEqual(["x.ts:3: const pk = 'MENTOR#' + id"])
  })
})

/** Every file of a package, tests included. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.tsx?$/.test(path))
    .map((path) => `${dir}/${path}`)
}

/** The specifiers under `@pendamping/core/` that `text` imports, statically or on demand. */
function coreSpecifiers(text: string): string[] {
  return [...text.matchAll(/(?:from |import\()'@pendamping\/core\/([^']+)'/g)].map(
    (match) => match[1] as string,
  )
}

describe("Core's public face (docs/architecture.md)", () => {
  const exports = Object.keys(
    JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')).exports,
  )
  const domains = readdirSync(join(ROOT, 'packages/core/src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'adapters')
    .map((entry) => entry.name)

  it("lists each domain's index.ts in package.json exports, and nothing deeper", () => {
    expect(exports.filter((key) => key.includes('*'))).toEqual([])
    for (const domain of domains) expect(exports, domain).toContain(`./${domain}`)
  })

  it('is all that functions, scripts, infra and the cross-package tests import from core', () => {
    const files = ['packages/functions/src', 'packages/scripts/src', 'infra', 'test']
      .flatMap(sourceFiles)
      .filter((file) => file !== 'test/architecture.test.ts')
    expect(files.length).toBeGreaterThan(100)
    const deep = files.flatMap((file) =>
      coreSpecifiers(readFileSync(join(ROOT, file), 'utf8'))
        .filter((specifier) => !exports.includes(`./${specifier}`))
        .map((specifier) => `${file}: @pendamping/core/${specifier}`),
    )
    expect(deep).toEqual([])
  })

  it('notices a deep import, static or on demand', () => {
    const source =
      "import { x } from '@pendamping/core/request/submit'\nawait import('@pendamping/core/certificate/pdf')"
    expect(coreSpecifiers(source)).toEqual(['request/submit', 'certificate/pdf'])
  })
})
