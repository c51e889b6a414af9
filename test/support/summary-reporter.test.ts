import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CONFIG = fileURLToPath(new URL('./reporter-fixtures/vitest.config.ts', import.meta.url))

let output = ''
let status: number | null = null

/** One real vitest run over fixtures that fail in every way a file can, reported by the real reporter. */
beforeAll(() => {
  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', CONFIG], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    timeout: 60_000,
  })
  output = `${run.stdout}\n${run.stderr}`
  status = run.status
})

/** `[passed, failed]` the reporter counts for one fixture file on its own. */
function countsOf(file: string): [number, number] {
  const line = output.split('\n').find((l) => l.startsWith(`probe ${file} `))
  if (!line) throw new Error(`no count for ${file} in the run's output:\n${output}`)
  const [, , passed, failed] = line.split(' ')
  return [Number(passed), Number(failed)]
}

describe('The closing line CI reads', () => {
  it('counts a file whose beforeAll throws as failed, though vitest marks its tests skipped', () => {
    expect(countsOf('before-all-throws.fixture.ts')).toEqual([0, 1])
  })

  it('counts a test that throws, and the test beside it that passed', () => {
    expect(countsOf('test-throws.fixture.ts')).toEqual([1, 1])
  })

  it('counts a file that fails to import as failed', () => {
    expect(countsOf('import-error.fixture.ts')).toEqual([0, 1])
  })

  it('counts a passing file as passed only', () => {
    expect(countsOf('passes.fixture.ts')).toEqual([2, 0])
  })

  it('ends the run with every failure in it, unhandled errors included, and a failing exit status', () => {
    // passed: 2 + 1 beside the failing test + 1 that left a rejection behind; failed: 3 files + 1 unhandled error
    expect(output).toMatch(/^tests: 4 passed, 4 failed$/m)
    expect(status).toBe(1)
  })

  it('lists the slowest files before the closing line', () => {
    expect(output).toMatch(/slowest 5 test files:\n(\s+\d+\.\d s\s+\S+fixture\.ts\n){5}\ntests:/)
  })
})
