import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  type CertificateAuthority,
  CertificateKeys,
  generateKeyring,
  type Keyring,
  parseKeyring,
} from '@pendamping/core/certificate'

/**
 * The local stand-in for the `CertificateKeys` secret: a keyring kept at `file` (`.local/certificate-keys.json`
 * for `npm start`, made on first use), or a fresh one in memory. Same format as the secret, so
 * `npm run certificate:keys -- rotate --file .local/certificate-keys.json` rotates it as on AWS.
 */
export async function localKeyring(file: string | undefined, now = new Date()): Promise<Keyring> {
  if (file && existsSync(file)) return parseKeyring(await readFile(file, 'utf8'))
  const keyring = await generateKeyring(now)
  if (file) {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 })
  }
  return keyring
}

/**
 * A certificate authority for the local stack: the keyring above, and the public URL `baseUrl()`
 * gives when asked (the stack knows its port only once it listens).
 */
export async function localCertificateAuthority(
  file: string | undefined,
  baseUrl: () => string,
): Promise<CertificateAuthority> {
  const keys = await CertificateKeys.from(await localKeyring(file))
  return {
    get baseUrl() {
      return baseUrl()
    },
    keys,
  }
}
