import { defineConfig } from 'vitest/config'

/**
 * Test files that store things: they run against the run's one DynamoDB Local. Everything under
 * `test/` does too (it crosses packages through the real table), except the files listed in `PURE`.
 */
const PACKAGE_FILES_NEEDING_DYNAMODB = [
  'packages/core/src/consumer/consumer.test.ts',
  'packages/core/src/event/outbox.test.ts',
  'packages/core/src/followup/index.test.ts',
  'packages/core/src/idempotency/index.test.ts',
  'packages/functions/src/api/app.test.ts',
  'packages/functions/src/api/middleware/context.test.ts',
  'packages/functions/src/api/routes/reports.test.ts',
  'packages/scripts/src/local/dynamodb-local.test.ts',
  'packages/scripts/src/local/event-path.test.ts',
  'packages/scripts/src/local/stream-worker.test.ts',
  'packages/scripts/src/seed-mentors.test.ts',
]
/** Test files that drive the run's one Chromium (and use DynamoDB Local too). */
const NEEDS_BROWSER = ['test/pages.test.ts', 'test/reports-page.test.ts', 'test/sign-in.test.ts']
/** Files under `test/` that need neither: they read code and configuration only. */
const PURE_UNDER_TEST = ['test/architecture.test.ts', 'test/infra.test.ts', 'test/support/**/*.test.ts']

/**
 * Three tiers, run one after the other (`groupOrder`): pure tests first, in seconds
 * (`npm run test:unit`); then integration tests sharing one DynamoDB Local; then browser tests
 * sharing one DynamoDB Local and one Chromium. `npm test` runs all three.
 *
 * Group orders start at 1: vitest moves order-0 files of a single-worker project into a sequential
 * group run after all others. Two workers even on two cores: integration files mostly wait on
 * DynamoDB Local, so two of them in flight keep both cores busy.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The local table's stream handler logs; keep test output readable.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_DEV: 'false', POWERTOOLS_METRICS_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.{ts,tsx}', ...PURE_UNDER_TEST],
          exclude: PACKAGE_FILES_NEEDING_DYNAMODB,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [...PACKAGE_FILES_NEEDING_DYNAMODB, 'test/**/*.test.{ts,tsx}'],
          exclude: [...NEEDS_BROWSER, ...PURE_UNDER_TEST],
          globalSetup: ['test/support/dynamodb-setup.ts'],
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: NEEDS_BROWSER,
          globalSetup: ['test/support/dynamodb-setup.ts', 'test/support/browser-setup.ts'],
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
})
