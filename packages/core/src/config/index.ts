import { Resource } from 'sst/resource'
import * as v from 'valibot'
import type { RateLimits } from '../ratelimit/index.ts'

const csv = v.pipe(
  v.string(),
  v.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
)

/** A quota written `<hits>/<seconds>`, e.g. `30/60`: at most 30 hits in each 60-second window. */
const quota = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,5}\/[1-9]\d{0,5}$/, 'a quota is <hits>/<seconds>, e.g. 30/60'),
  v.transform((value) => {
    const [limit = '', windowSeconds = ''] = value.split('/')
    return { limit: Number(limit), windowSeconds: Number(windowSeconds) }
  }),
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
  /** Where the managed login ends its own session on sign-out (`https://<domain>/logout` for Cognito). */
  AUTH_LOGOUT_URL: v.optional(v.pipe(v.string(), v.url())),
  /** Writes per client address (not signed in) per window; see `ratelimit/index.ts` for the defaults' reasons. */
  RATE_LIMIT_CLIENT: v.optional(quota, '30/60'),
  /** Public writes per normalised phone (a request, a mentor application, a class registration) per window. */
  RATE_LIMIT_PHONE: v.optional(quota, '5/3600'),
  /** Writes per signed-in account per window. */
  RATE_LIMIT_ACCOUNT: v.optional(quota, '120/60'),
  /** Reads per signed-in account, or per client address, per window. */
  RATE_LIMIT_READ: v.optional(quota, '1200/60'),
  /** `off` turns the app's rate limits off (a load bench); API Gateway's throttling stays. */
  RATE_LIMITS: v.optional(v.picklist(['on', 'off']), 'on'),
})

/**
 * The app's rate limits from the settings (`RATE_LIMIT_*` as `<hits>/<seconds>`), or `false` when
 * `RATE_LIMITS=off`.
 */
export function rateLimitsOf(settings: v.InferOutput<typeof Settings>): RateLimits | false {
  if (settings.RATE_LIMITS === 'off') return false
  return {
    client: { name: 'client', ...settings.RATE_LIMIT_CLIENT },
    phone: { name: 'phone', ...settings.RATE_LIMIT_PHONE },
    account: { name: 'account', ...settings.RATE_LIMIT_ACCOUNT },
    read: { name: 'read', ...settings.RATE_LIMIT_READ },
  }
}

/** The pages' sign-in client and session key, from the linked app client and secret. */
export interface SignInSecrets {
  clientId: string
  clientSecret: string
  /** 32 random bytes, base64url. */
  sessionSecret: string
}

export type Config = v.InferOutput<typeof Settings> & {
  tableName: string
  /** The Cognito user pool approved mentors get accounts in; absent locally. */
  userPoolId: string | undefined
  /** The pages' sign-in; absent where no app client and session secret are linked. */
  signIn: SignInSecrets | undefined
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
  signIn?: SignInSecrets,
): Config {
  const result = v.safeParse(Settings, env)
  if (!result.success) {
    throw new ConfigError(result.issues.map((issue) => `${v.getDotPath(issue) ?? '?'}: ${issue.message}`))
  }
  if (signIn && Buffer.from(signIn.sessionSecret, 'base64url').length !== 32)
    throw new ConfigError([
      'SessionSecret: must be 32 random bytes, base64url (openssl rand -base64 32 | tr +/ -_)',
    ])
  return { ...result.output, tableName, userPoolId, signIn }
}

let loaded: Config | undefined

/**
 * A resource SST linked to this function (a secret's `value`, a table's `name`…), or `undefined` when
 * it is not linked: SST's `Resource` throws on a name that is not, so this asks with `in` first.
 *
 * @example
 * const phoneNumberId = linked('WhatsAppPhoneNumberId')?.value
 */
export function linked(name: string): Record<string, string> | undefined {
  return name in Resource ? (Resource as unknown as Record<string, Record<string, string>>)[name] : undefined
}

/** The process's configuration, read from `process.env` and SST's `Resource` the first time it is asked for. */
export function config(): Config {
  const client = linked('UserPoolClient')
  const secret = linked('SessionSecret')
  loaded ??= readConfig(
    process.env,
    Resource.Table.name,
    linked('UserPool')?.id,
    client?.id && client.secret && secret?.value
      ? { clientId: client.id, clientSecret: client.secret, sessionSecret: secret.value }
      : undefined,
  )
  return loaded
}
