import { type CertificateAuthority, CertificateKeys, parseKeyring } from '@pendamping/core/certificate'
import { config, linked } from '@pendamping/core/config'

let configured: Promise<CertificateAuthority> | undefined

/**
 * The certificate authority of a deployed function: the keyring from the linked `CertificateKeys`
 * secret and the public URL from configuration, read once per process and only when a certificate is
 * first issued or published (the API's cold start never pays for it). The local stack and tests hand
 * their own to the app and the runtime instead.
 */
export function configuredCertificateAuthority(): Promise<CertificateAuthority> {
  configured ??= (async () => {
    const secret = linked('CertificateKeys')?.value
    if (secret === undefined) throw new Error('The CertificateKeys secret is not linked to this function')
    const keyring = parseKeyring(secret)
    return { baseUrl: config().PUBLIC_URL.replace(/\/$/, ''), keys: await CertificateKeys.from(keyring) }
  })().catch((error: unknown) => {
    configured = undefined
    throw error
  })
  return configured
}
