import { basename } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'
import { summarize } from '../summary-reporter.ts'

/** Prints each fixture file's own count as `probe <file> <passed> <failed>`, judged as if the run had passed. */
export default class ProbeReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    for (const module of modules) {
      const { passed, failed } = summarize([module], [], 'passed')
      process.stdout.write(`probe ${basename(module.moduleId)} ${passed} ${failed}\n`)
    }
  }
}
