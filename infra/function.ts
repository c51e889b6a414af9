import { issuer, jwksUrl, logoutUrl, userPoolClient } from './auth.ts'
import { lambdaBundle } from './bundle.ts'
import { isProduction, publicUrl } from './stage.ts'

/**
 * `lambdaBundle` as SST takes it. SST sets `bundle`, `platform: 'node'` and the `createRequire`
 * banner itself (passing the banner again would declare `require` twice), and lets only some
 * esbuild options through; `treeShaking` and `legalComments` follow from `minify`.
 */
export const nodejs = {
  format: lambdaBundle.format,
  minify: lambdaBundle.minify,
  splitting: lambdaBundle.splitting,
  sourcemap: lambdaBundle.sourcemap,
  esbuild: {
    target: lambdaBundle.target,
    mainFields: [...lambdaBundle.mainFields],
    keepNames: lambdaBundle.keepNames,
    external: [...lambdaBundle.external],
  },
} satisfies sst.aws.FunctionArgs['nodejs']

/**
 * What `packages/core/src/config` reads, the same for every function: any handler may read its
 * configuration, and the token settings are required even where no token is verified.
 */
export const environment = {
  STAGE: $app.stage,
  LOG_LEVEL: isProduction ? 'INFO' : 'DEBUG',
  PUBLIC_URL: publicUrl,
  AUTH_JWKS_URL: jwksUrl,
  AUTH_ISSUER: issuer,
  AUTH_AUDIENCE: userPoolClient.id,
  AUTH_LOGOUT_URL: logoutUrl,
}

export type FunctionSettings = Omit<
  sst.aws.FunctionArgs,
  'handler' | 'runtime' | 'architecture' | 'nodejs' | 'environment'
> & { environment?: Record<string, $util.Input<string>> }

/**
 * A Lambda function as every Pendamping function runs: Node.js 24 on arm64 (Graviton: cheaper per
 * GB-second and no slower for this work), bundled like `npm run build`, logging JSON lines that
 * CloudWatch can filter by level. `settings` adds what the function itself needs.
 *
 * @example
 * api.route('$default', lambda(handlers.api, { memory: '1024 MB', link: [table] }))
 */
export function lambda(handler: string, settings: FunctionSettings = {}): sst.aws.FunctionArgs {
  const { environment: own, ...rest } = settings
  return {
    memory: '512 MB',
    timeout: '30 seconds',
    logging: { format: 'json', retention: isProduction ? '3 months' : '1 week' },
    ...rest,
    handler,
    runtime: 'nodejs24.x',
    architecture: 'arm64',
    nodejs,
    environment: { ...environment, ...own },
  }
}

/** Lets a function put messages on a queue (a dead-letter destination), and nothing else. */
export function sendsTo(queue: sst.aws.Queue): sst.aws.FunctionPermissionArgs {
  return { actions: ['sqs:SendMessage'], resources: [queue.arn] }
}
