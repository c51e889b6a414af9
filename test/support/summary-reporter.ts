import { relative } from 'node:path'
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node'

/** How many of the slowest test files the summary lists, so the next person sees where the time goes. */
const SLOWEST = 10

/** What one run came to: the counts CI reads and each file's duration. */
export interface RunSummary {
  passed: number
  failed: number
  slowest: Array<{ file: string; ms: number }>
}

/**
 * Counts a run truthfully. A test that failed counts once. A file or suite that failed without a
 * failing test — its `beforeAll`/`afterAll` threw (vitest then reports its tests as skipped), or the
 * file could not be imported — counts as one failure. Every unhandled error counts. A run that vitest
 * itself calls failed or interrupted never comes to `0 failed`.
 */
export function summarize(
  modules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
  reason: TestRunEndReason,
  root = process.cwd(),
): RunSummary {
  let passed = 0
  let failed = 0
  for (const module of modules) {
    let failedTests = 0
    for (const test of module.children.allTests()) {
      const state = test.result().state
      if (state === 'passed') passed++
      else if (state === 'failed') failedTests++
    }
    const suites = [...module.children.allSuites()]
    const brokeOutsideTests =
      module.state() === 'failed' ||
      module.errors().length > 0 ||
      suites.some((suite) => suite.state() === 'failed' || suite.errors().length > 0)
    failed += failedTests > 0 ? failedTests : brokeOutsideTests ? 1 : 0
  }
  failed += unhandledErrors.length
  if (reason !== 'passed' && failed === 0) failed = 1
  const slowest = modules
    .map((module) => ({
      file: relative(root, module.moduleId),
      ms: Math.round(module.diagnostic().duration),
    }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOWEST)
  return { passed, failed, slowest }
}

/** Ends every run with the slowest files and the one line CI reads: `tests: N passed, N failed`. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ) {
    const { passed, failed, slowest } = summarize(modules, unhandledErrors, reason)
    const lines = ['', `slowest ${slowest.length} test files:`]
    for (const { file, ms } of slowest) lines.push(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`)
    lines.push('', `tests: ${passed} passed, ${failed} failed`, '')
    process.stdout.write(lines.join('\n'))
  }
}
