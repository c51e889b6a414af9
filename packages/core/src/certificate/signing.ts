/**
 * The keys certificates are signed with: Ed25519 (JOSE `EdDSA`), kept as a keyring so a key can be
 * rotated without invalidating what it already signed. Each key has a signing window
 * (`validFrom`…`validUntil`); the newest open key signs; every key ever used stays published with its
 * window, and a verifier accepts a signature only from a key whose window held the credential's issue
 * time. On AWS the keyring is an SST secret; locally a file in `.local/`.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import * as v from 'valibot'

export const SIGNING_ALGORITHM = 'EdDSA'

/** One key of the keyring: its private JWK and its signing window. */
export interface KeyringKey {
  privateJwk: JWK
  validFrom: string
  /** When it stopped signing (a newer key took over); `null` while it signs. */
  validUntil: string | null
}

export interface Keyring {
  keys: KeyringKey[]
}

const Iso = v.pipe(v.string(), v.isoTimestamp())

/** A keyring as stored (the secret's value, the local file). */
export const KeyringSchema = v.object({
  keys: v.pipe(
    v.array(
      v.object({
        privateJwk: v.looseObject({
          kty: v.literal('OKP'),
          crv: v.literal('Ed25519'),
          x: v.string(),
          d: v.string(),
        }),
        validFrom: Iso,
        validUntil: v.nullable(Iso),
      }),
    ),
    v.minLength(1),
  ),
})

/** A public key as published, with its window: what a verifier needs and nothing more. */
export interface PublishedKey extends JWK {
  kid: string
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  alg: 'EdDSA'
  use: 'sig'
  /** Credentials issued from this instant on may be signed by this key. */
  validFrom: string
  /** Credentials issued from this instant on may not; `null` while the key signs. */
  validUntil: string | null
}

async function newKey(validFrom: Date): Promise<KeyringKey> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })
  const { kty, crv, x, d } = await exportJWK(privateKey)
  return { privateJwk: { kty, crv, x, d }, validFrom: validFrom.toISOString(), validUntil: null }
}

/** A keyring of one fresh key, signing from `now`. */
export async function generateKeyring(now: Date): Promise<Keyring> {
  return { keys: [await newKey(now)] }
}

/**
 * The keyring with a new signing key from `now`; the keys that signed until now close their window at
 * `now` but stay, so what they signed keeps verifying.
 */
export async function rotateKeyring(keyring: Keyring, now: Date): Promise<Keyring> {
  const closed = keyring.keys.map((key) => ({ ...key, validUntil: key.validUntil ?? now.toISOString() }))
  return { keys: [...closed, await newKey(now)] }
}

/** Reads a keyring from its JSON text; throws with the problem when it is not one. */
export function parseKeyring(text: string): Keyring {
  return v.parse(KeyringSchema, JSON.parse(text)) as Keyring
}

/** Where key `thumbprint` is published on its own: the `kid` of the JOSE header, a URL to its JWK. */
export const keyUrl = (baseUrl: string, thumbprint: string) => `${baseUrl}/openbadges/keys/${thumbprint}`

/** Where the key set is published. */
export const keySetUrl = (baseUrl: string) => `${baseUrl}/.well-known/openbadges-keys.json`

/** The key that signs at `now` and the published form of every key. */
export class CertificateKeys {
  private constructor(
    private readonly entries: ReadonlyArray<{ key: KeyringKey; thumbprint: string; privateKey: CryptoKey }>,
  ) {}

  static async from(keyring: Keyring): Promise<CertificateKeys> {
    const entries = await Promise.all(
      keyring.keys.map(async (key) => {
        const { kty, crv, x } = key.privateJwk
        return {
          key,
          thumbprint: await calculateJwkThumbprint({ kty, crv, x }),
          privateKey: (await importJWK(key.privateJwk, SIGNING_ALGORITHM)) as CryptoKey,
        }
      }),
    )
    return new CertificateKeys(entries)
  }

  /** The newest key whose window holds `now`; throws when none does (a keyring to fix). */
  signingKey(now: Date, baseUrl: string): { kid: string; privateKey: CryptoKey } {
    const at = now.toISOString()
    const open = this.entries
      .filter(({ key }) => key.validFrom <= at && (key.validUntil === null || at < key.validUntil))
      .sort((a, b) => b.key.validFrom.localeCompare(a.key.validFrom))[0]
    if (!open) throw new Error('No certificate signing key is valid now')
    return { kid: keyUrl(baseUrl, open.thumbprint), privateKey: open.privateKey }
  }

  /** Every key's public half with its window, as the key set publishes it. */
  published(baseUrl: string): PublishedKey[] {
    return this.entries.map(({ key, thumbprint }) => ({
      kid: keyUrl(baseUrl, thumbprint),
      kty: 'OKP',
      crv: 'Ed25519',
      x: String(key.privateJwk.x),
      alg: SIGNING_ALGORITHM,
      use: 'sig',
      validFrom: key.validFrom,
      validUntil: key.validUntil,
    }))
  }
}

/**
 * What issuing and publishing certificates needs: the public base URL every certificate, credential
 * and key is named under, and the keys. The API and the issuing consumer each get one.
 */
export interface CertificateAuthority {
  readonly baseUrl: string
  readonly keys: CertificateKeys
}
