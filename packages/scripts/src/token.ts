import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Role } from '@pendamping/core/actor'
import { LocalKeySet } from './local/keys.ts'

/** The key pair `npm start` verifies with; a token signed by it works against the running stack. */
export const DEFAULT_KEY_FILE = resolve(import.meta.dirname, '../../..', '.local/keys.json')

export const USAGE = `Usage: npm run -s token -- --role <mentor|staff|admin> --region <code> [--sub <id>] [--ttl <seconds>]

Prints a local account token (a JWT signed with .local/keys.json, the key set \`npm start\` uses).

  --role      mentor, staff or admin
  --region    a Kemendagri region code: 35 (province), 35.73 (city), 35.73.01 (district);
              admins may omit it (they see every region)
  --sub       the account id; by default one derived from role and region, e.g. local-staff-35.73
  --ttl       lifetime in seconds (default 28800, 8 hours)
  --key-file  another key set file (default .local/keys.json at the repository root)

Example:
  curl -H "Authorization: Bearer $(npm run -s token -- --role staff --region 35.73)" http://localhost:3000/health`

const roles: readonly Role[] = ['mentor', 'staff', 'admin']
const regionCode = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/
const maxTtl = 30 * 24 * 3600

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface TokenRequest {
  sub: string
  role: Role
  /** A region code, or `*` for an admin who named none. */
  region: string
  ttl: number
  keyFile: string
}

/**
 * Reads the command line of `npm run token`, refusing anything the API would refuse anyway, so a
 * typo shows up here rather than as a 401 later.
 */
export function parseTokenArgs(argv: string[]): TokenRequest {
  let values: { role?: string; region?: string; sub?: string; ttl?: string; 'key-file'?: string }
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        region: { type: 'string' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        'key-file': { type: 'string' },
      },
    }))
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { role, region, sub, ttl, 'key-file': keyFile = DEFAULT_KEY_FILE } = values
  if (!role) throw new UsageError('--role is required')
  if (!roles.includes(role as Role))
    throw new UsageError(`--role must be one of ${roles.join(', ')}, not "${role}"`)
  if (region === undefined && role !== 'admin') throw new UsageError(`--region is required for ${role}`)
  if (region !== undefined && !regionCode.test(region))
    throw new UsageError(`--region must be a Kemendagri code such as 35, 35.73 or 35.73.01, not "${region}"`)
  if (sub !== undefined && !/^[\w.@:-]{1,128}$/.test(sub))
    throw new UsageError('--sub must be 1 to 128 letters, digits or . _ - @ :')
  const seconds = ttl === undefined ? 8 * 3600 : Number(ttl)
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxTtl)
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${maxTtl}`)
  return {
    sub: sub ?? (region === undefined ? `local-${role}` : `local-${role}-${region}`),
    role: role as Role,
    region: region ?? '*',
    ttl: seconds,
    keyFile: resolve(keyFile),
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  let request: TokenRequest
  try {
    request = parseTokenArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`token: ${error.message}\n\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  const keys = await LocalKeySet.persistent(request.keyFile)
  // Only the token goes to stdout, so `$(npm run -s token -- …)` captures exactly it.
  process.stdout.write(`${await keys.sign(request)}\n`)
}

if (import.meta.main) await main()
