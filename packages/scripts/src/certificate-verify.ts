/**
 * `npm run certificate:verify -- <certificate.pdf | credential.jwt | badge.png> [options]`
 *
 * Checks a Pendamping certificate as any Open Badges 3.0 verifier would, with nothing but what the
 * issuer publishes: the credential is taken out of the file (the PDF's attached `credential.jwt`, the
 * PNG's `openbadgecredential` iTXt chunk, or the JWT itself), its signature checked with the published
 * key set, and its revocation bit read from the signed status list its `credentialStatus` names.
 *
 * Options:
 *   --jwks <url>          the key set to trust (default: /.well-known/openbadges-keys.json at the
 *                         origin of the credential's issuer)
 *   --keys <file>         a key set saved to a file instead (works offline)
 *   --status-list <file>  the status list credential saved to a file instead of fetching it
 *   --no-status           do not check revocation
 *
 * Exits 0 when valid, 1 when invalid or revoked, 2 on bad usage.
 */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  credentialOfPdf,
  decodeCredential,
  type PublishedKey,
  unbakeBadge,
  type Verification,
  verifyCredential,
} from '@pendamping/core/certificate'

/** The VC-JWT inside a certificate file, by its kind. */
export async function credentialOfFile(path: string): Promise<string> {
  const bytes = await readFile(path)
  const kind = extname(path).toLowerCase()
  const credential =
    kind === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-'
      ? await credentialOfPdf(bytes)
      : kind === '.png' || bytes[0] === 0x89
        ? await unbakeBadge(bytes)
        : bytes.toString('utf8').trim()
  if (!credential) throw new Error(`${path} carries no Open Badges credential`)
  return credential
}

export interface VerifyFileOptions {
  /** The key set's URL; by default the one at the issuer's origin. */
  jwksUrl?: string | undefined
  /** A key set (JWKS) read from a file instead. */
  keysFile?: string | undefined
  /** A status list credential read from a file instead of its URL. */
  statusListFile?: string | undefined
  /** Skip the revocation check. */
  noStatus?: boolean | undefined
  now?: Date | undefined
  fetch?: typeof fetch | undefined
}

async function text(url: string, fetching: typeof fetch): Promise<string> {
  const response = await fetching(url)
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return response.text()
}

/** Where the issuer publishes its keys: `/.well-known/openbadges-keys.json` at its id's origin. */
export function defaultKeySetUrl(credential: Record<string, unknown>): string {
  const issuer = credential.issuer as { id?: unknown } | string | undefined
  const id = typeof issuer === 'string' ? issuer : issuer?.id
  if (typeof id !== 'string' || !/^https?:\/\//.test(id))
    throw new Error('The credential names no issuer URL')
  return `${new URL(id).origin}/.well-known/openbadges-keys.json`
}

/** Verifies the credential a certificate file carries; see the module comment. */
export async function verifyCertificateFile(
  path: string,
  options: VerifyFileOptions = {},
): Promise<Verification & { keySource: string }> {
  const fetching = options.fetch ?? fetch
  const jwt = await credentialOfFile(path)
  const keySource = options.keysFile ?? options.jwksUrl ?? defaultKeySetUrl(decodeCredential(jwt))
  const keySet = JSON.parse(
    options.keysFile ? await readFile(options.keysFile, 'utf8') : await text(keySource, fetching),
  ) as { keys?: PublishedKey[] }
  const statusList = options.statusListFile
  const verification = await verifyCredential(jwt, {
    keys: keySet.keys ?? [],
    now: options.now ?? new Date(),
    fetchStatusList: options.noStatus
      ? undefined
      : statusList
        ? () => readFile(statusList, 'utf8')
        : (url) => text(url, fetching),
  })
  return { ...verification, keySource }
}

/** The human report of a verification. */
export function describe(result: Verification & { keySource: string }): string {
  const credential = result.credential ?? {}
  const subject = credential.credentialSubject as
    | { identifier?: Array<{ identityHash?: string }>; achievement?: { name?: string } }
    | undefined
  const issuer = credential.issuer as { name?: string; id?: string } | undefined
  const verdict = result.valid ? 'VALID' : result.revoked ? 'REVOKED' : 'INVALID'
  const lines = [
    `${verdict}${result.valid && result.revoked === null ? ' (revocation not checked)' : ''}`,
    `  holder:      ${subject?.identifier?.[0]?.identityHash ?? '?'}`,
    `  achievement: ${subject?.achievement?.name ?? '?'}`,
    `  issuer:      ${issuer?.name ?? '?'} (${issuer?.id ?? '?'})`,
    `  details:     ${String(credential.description ?? '')}`,
    `  valid from:  ${String(credential.validFrom ?? '?')}`,
    `  signed by:   ${result.key?.kid ?? '?'} (keys from ${result.keySource})`,
    ...result.problems.map((problem) => `  problem:     ${problem}`),
  ]
  return lines.join('\n')
}

function parseArguments(argv: readonly string[]): { file: string; options: VerifyFileOptions } | undefined {
  const options: VerifyFileOptions = {}
  let file: string | undefined
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]
    const value = () => argv[++index]
    if (argument === '--jwks') options.jwksUrl = value()
    else if (argument === '--keys') options.keysFile = value()
    else if (argument === '--status-list') options.statusListFile = value()
    else if (argument === '--no-status') options.noStatus = true
    else if (argument && !argument.startsWith('--') && !file) file = argument
    else return undefined
  }
  return file ? { file, options } : undefined
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const parsed = parseArguments(process.argv.slice(2))
  if (!parsed) {
    console.error(
      'usage: npm run certificate:verify -- <file.pdf|file.jwt|file.png> [--jwks URL | --keys FILE] [--status-list FILE | --no-status]',
    )
    process.exit(2)
  }
  try {
    const result = await verifyCertificateFile(parsed.file, parsed.options)
    console.log(describe(result))
    process.exit(result.valid ? 0 : 1)
  } catch (error) {
    console.error(`INVALID\n  problem:     ${(error as Error).message}`)
    process.exit(1)
  }
}
