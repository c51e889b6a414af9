/**
 * `npm run certificate:keys -- new` prints a fresh certificate keyring (one Ed25519 key signing from
 * now); `npm run certificate:keys -- rotate --file keyring.json` adds a new signing key to the keyring
 * in that file and closes the old key's signing window, keeping it published so every certificate it
 * signed keeps verifying. Then, per stage:
 *
 *   npx sst secret set CertificateKeys "$(cat keyring.json)" --stage production
 *
 * Locally `npm start` keeps its keyring in `.local/certificate-keys.json` (rotate it the same way).
 * The file holds private keys: keep it out of the repository and chat logs.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { generateKeyring, parseKeyring, rotateKeyring } from '@pendamping/core/certificate'

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, flag, file] = process.argv.slice(2)
  if (command === 'new' && flag === undefined) {
    console.log(JSON.stringify(await generateKeyring(new Date()), null, 2))
  } else if (command === 'rotate' && flag === '--file' && file) {
    const rotated = await rotateKeyring(parseKeyring(await readFile(file, 'utf8')), new Date())
    await writeFile(file, `${JSON.stringify(rotated, null, 2)}\n`, { mode: 0o600 })
    console.log(`Rotated ${file}: ${rotated.keys.length} keys, the newest signs from now.`)
  } else {
    console.error('usage: npm run certificate:keys -- new | rotate --file <keyring.json>')
    process.exit(2)
  }
}
