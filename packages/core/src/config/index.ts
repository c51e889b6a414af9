import { Resource } from 'sst/resource'
import * as v from 'valibot'

const csv = v.pipe(
  v.string(),
  v.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
)

/** Everything the running code reads from its environment, besides the SST-linked resources. */
export const Settings = v.object({
  STAGE: v.optional(v.pipe(v.string(), v.minLength(1)), 'local'),
  LOG_LEVEL: v.optional(v.picklist(['DEBUG', 'INFO', 'WARN', 'ERROR']), 'INFO'),
  AWS_REGION: v.optional(v.string(), 'ap-southeast-3'),
  /** DynamoDB Local's URL; absent on AWS. */
  DYNAMODB_ENDPOINT: v.optional(v.pipe(v.string(), v.url())),
  /** Where the signing keys of account tokens are published (Cognito's, or the local key set). */
  AUTH_JWKS_URL: v.pipe(v.string(), v.url()),
  AUTH_ISSUER: v.pipe(v.string(), v.minLength(1)),
  /** Cognito app client id; access tokens carry it as `client_id`, id tokens as `aud`. */
  AUTH_AUDIENCE: v.optional(v.string()),
  /** Browser origins allowed to call the API (strict CORS: nothing else is echoed). */
  CORS_ORIGINS: v.optional(csv, ''),
  /** The public base URL people open, used in tracking links. */
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url()), 'http://localhost:3000'),
})

export type Config = v.InferOutput<typeof Settings> & {
  tableName: string
  /** The Cognito user pool approved mentors get accounts in; absent locally. */
  userPoolId: string | undefined
}

export class ConfigError extends Error {
  constructor(issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Validates the environment once. Fails fast, at module load of the entry point, with every
 * problem listed, rather than with an undefined deep inside a request.
 */
export function readConfig(
  env: Record<string, string | undefined>,
  tableName: string,
  userPoolId?: string,
): Config {
  const result = v.safeParse(Settings, env)
  if (!result.success) {
    throw new ConfigError(result.issues.map((issue) => `${v.getDotPath(issue) ?? '?'}: ${issue.message}`))
  }
  return { ...result.output, tableName, userPoolId }
}

let loaded: Config | undefined

/** The process's configuration, read from `process.env` and SST's `Resource` the first time it is asked for. */
export function config(): Config {
  loaded ??= readConfig(
    process.env,
    Resource.Table.name,
    'UserPool' in Resource ? Resource.UserPool.id : undefined,
  )
  return loaded
}
