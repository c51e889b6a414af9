import { defineConfig } from 'vitest/config'

/** Runs the fixtures of `summary-reporter.test.ts`: files that fail in every way a suite can. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.fixture.ts'],
    reporters: ['./probe-reporter.ts', '../summary-reporter.ts'],
  },
})
