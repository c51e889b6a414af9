/// <reference path="./infra/sst-platform.d.ts" />

/*
 * Types come from `infra/sst-platform.d.ts`, not `.sst/platform/config.d.ts`: that file only exists
 * after `sst install`, which needs downloads, and `npm run typecheck` must pass without them.
 * SST evaluates `app()` before installing providers, so nothing is imported at the top of this file;
 * `run()` imports `infra/`, one module per AWS concern.
 */
export default $config({
  app(input) {
    const production = input?.stage === 'production'
    return {
      name: 'pendamping',
      home: 'aws',
      removal: production ? 'retain' : 'remove',
      protect: production,
      providers: { aws: { region: 'ap-southeast-3' } },
    }
  },
  async run() {
    const { table } = await import('./infra/table.ts')
    const { bus } = await import('./infra/bus.ts')
    await import('./infra/email.ts')
    const { userPool, userPoolClient, loginUrl } = await import('./infra/auth.ts')
    const { api } = await import('./infra/api.ts')
    const { deadLetters } = await import('./infra/followups.ts')
    const { opsAlarms } = await import('./infra/alarms.ts')
    return {
      api: api.url,
      table: table.name,
      bus: bus.name,
      userPool: userPool.id,
      userPoolClient: userPoolClient.id,
      signIn: loginUrl,
      deadLetters: deadLetters.url,
      alarms: opsAlarms.arn,
    }
  },
})
