/**
 * Links in messages (docs/contract/channels.md#links-in-messages): a message to an owner or a
 * participant carries a link that opens their private page, though only their token's hash is
 * stored. The link's token is an HMAC, under a secret the API and the consumers share, of the page
 * (request or participant, and its id), the private token's hash at the time of sending, and an
 * expiry. So it opens the page until it expires ({@link MESSAGE_LINK_DAYS}) or until the private
 * link changes — a new link made by its holder, a recovery, staff revoking it, erasure — whichever
 * comes first: the hash it was signed over is then gone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Whose page a link opens: a request's tracking page or a participant's private page. */
export type LinkKind = 'request' | 'participant'

/** Where each kind's private page is: `<path>/<id>`. */
export const PRIVATE_PAGES: Record<LinkKind, string> = { request: '/lacak', participant: '/peserta' }

/** The link recovery page, by language, where a link that opens nothing points. */
export const RECOVERY_PATHS: Record<'id' | 'en', string> = { id: '/pulihkan-tautan', en: '/en/recover-link' }

/** How long a link in a message opens the page: a month of reminders and check-ins. */
export const MESSAGE_LINK_DAYS = 30

/** A message link's token: its expiry (Unix seconds, base 36), a dot, and the HMAC-SHA256 (base64url). */
export const MESSAGE_LINK_TOKEN = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/

/** The SST secret the key is kept in (infra/messaging.ts), linked to the API and the consumers. */
export const MESSAGE_LINK_SECRET = 'MessageLinkSecret'

/** Bytes of the secret: 256 random bits. */
const SECRET_BYTES = 32

/**
 * What a message link proves once its signature is known to be ours and unexpired: it opens the page
 * of `kind`/`id` while that page's token hash is still the one it was signed over. Core checks it
 * where it checks a token ({@link import('../request/token.ts').trackingTokenMatches}).
 */
export interface LinkKey {
  readonly kind: LinkKind
  readonly id: string
  readonly expiresAt: Date
  /** Whether this link was signed over `tokenHash` (in constant time); never for a revoked link (`null`). */
  matches(tokenHash: string | null): boolean
}

/** What a presented message link is: a key to check against the page, or expired before any read. */
export type PresentedLink = { key: LinkKey } | { expired: true }

/**
 * Signs and reads message links with one secret (the `MessageLinkSecret` SST secret on AWS,
 * `.local/message-link-secret` for `npm start`). Changing the secret ends every link already sent;
 * the people concerned recover theirs (docs/contract/channels.md#lost-link).
 *
 * @example
 * const links = MessageLinks.fromSecret(secret)
 * const token = links.sign('request', request.id, request.tokenHash, now) // in `?token=` of `/lacak/<id>`
 * const presented = links.read('request', id, token, now) // the page: a key for `readRequest`
 */
export class MessageLinks {
  readonly #key: Buffer

  private constructor(key: Buffer) {
    this.#key = key
  }

  /** @throws Error when `secret` is not 32 bytes, base64url */
  static fromSecret(secret: string): MessageLinks {
    const key = Buffer.from(secret, 'base64url')
    if (key.length !== SECRET_BYTES || key.toString('base64url') !== secret)
      throw new Error('MessageLinkSecret must be 32 random bytes, base64url')
    return new MessageLinks(key)
  }

  /** A fresh secret: 32 random bytes, base64url (what `sst secret set MessageLinkSecret` takes). */
  static newSecret(): string {
    return randomBytes(SECRET_BYTES).toString('base64url')
  }

  /**
   * The token of a link to the page of `kind`/`id` whose private token's hash is `tokenHash`, valid
   * {@link MESSAGE_LINK_DAYS} from `now`; `undefined` for a page whose link was revoked (no hash).
   */
  sign(kind: LinkKind, id: string, tokenHash: string | null, now: Date): string | undefined {
    if (tokenHash === null) return undefined
    const expires = Math.floor(now.getTime() / 1000) + MESSAGE_LINK_DAYS * 86_400
    return `${expires.toString(36)}.${this.#mac(kind, id, tokenHash, expires).toString('base64url')}`
  }

  /**
   * What `token`, presented for the page of `kind`/`id` at `now`, is: `undefined` when it is not a
   * message link's token at all (a private token, or garbage), `expired` when its time is over (known
   * without reading anything), else a key the page's core function checks against the stored hash.
   */
  read(kind: LinkKind, id: string, token: string, now: Date): PresentedLink | undefined {
    const match = MESSAGE_LINK_TOKEN.exec(token)
    if (!match) return undefined
    const expires = Number.parseInt(match[1] ?? '', 36)
    if (!Number.isSafeInteger(expires)) return undefined
    if (expires * 1000 <= now.getTime()) return { expired: true }
    const presented = Buffer.from(match[2] ?? '', 'base64url')
    const mac = (hash: string) => this.#mac(kind, id, hash, expires)
    return {
      key: {
        kind,
        id,
        expiresAt: new Date(expires * 1000),
        matches: (tokenHash) => {
          if (tokenHash === null) return false
          const expected = mac(tokenHash)
          return expected.length === presented.length && timingSafeEqual(expected, presented)
        },
      },
    }
  }

  #mac(kind: LinkKind, id: string, tokenHash: string, expires: number): Buffer {
    return createHmac('sha256', this.#key)
      .update(`pendamping/message-link/v1\n${kind}\n${id}\n${tokenHash}\n${expires}`)
      .digest()
  }
}

/** Whether a page's credential is a message link's key rather than a private token. */
export function isLinkKey(credential: unknown): credential is LinkKey {
  return typeof credential === 'object' && credential !== null && 'matches' in credential
}
