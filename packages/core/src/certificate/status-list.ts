/**
 * W3C Bitstring Status List v1.0: one bit per issued credential, set when it is revoked, published as
 * a `BitstringStatusListCredential` whose `encodedList` is the GZIP-compressed bitstring in multibase
 * base64url (`u…`). Index 0 is the left-most bit (the most significant bit of the first byte).
 * Pure: no I/O.
 */
import { gunzipSync, gzipSync } from 'node:zlib'
import { issuerId, statusListUrl } from './urls.ts'

/** Bits per list: the specification's minimum, so a list hides which of many credentials one checks. */
export const STATUS_LIST_SIZE = 131_072

/** The list a certificate of `region` issued in `year` goes into: one list per issuer and year. */
export function statusListIdOf(region: string, issuedAt: string): string {
  return `${region === '*' ? 'nasional' : region}-${issuedAt.slice(0, 4)}`
}

/** The issuing region of a list id (`35.73-2026` → `35.73`, `nasional-2026` → `*`). */
export function regionOfStatusList(listId: string): string | undefined {
  const match = /^(nasional|\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)-(\d{4})$/.exec(listId)
  if (!match) return undefined
  return match[1] === 'nasional' ? '*' : match[1]
}

/** A random index of a list (statusListIndex values are drawn at random, as the spec advises). */
export function randomStatusIndex(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % STATUS_LIST_SIZE
}

/** `encodedList` with the bits of `revoked` set. */
export function encodeStatusList(revoked: Iterable<number>, size = STATUS_LIST_SIZE): string {
  const bytes = new Uint8Array(size / 8)
  for (const index of revoked) {
    if (!Number.isInteger(index) || index < 0 || index >= size) continue
    bytes[index >> 3] = (bytes[index >> 3] ?? 0) | (0x80 >> (index & 7))
  }
  return `u${gzipSync(bytes).toString('base64url')}`
}

/** Whether bit `index` of an `encodedList` is set; throws on a list that is not multibase base64url GZIP. */
export function statusBit(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url')
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'))
  if (index < 0 || index >= bytes.length * 8) throw new Error('statusListIndex outside the list')
  return ((bytes[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0
}

/** The status list credential of `listId` (unsigned): what `GET /v1/status-lists/{id}` signs. */
export function statusListCredential(input: {
  baseUrl: string
  listId: string
  region: string
  revoked: Iterable<number>
  /** When the list last changed: the credential's `validFrom`, so the same list signs the same. */
  updatedAt: string
}) {
  const id = statusListUrl(input.baseUrl, input.listId)
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerId(input.baseUrl, input.region),
    validFrom: input.updatedAt,
    credentialSubject: {
      id: `${id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(input.revoked),
    },
  }
}

/** The `credentialStatus` of a credential at `index` of `listId`. */
export function statusEntry(baseUrl: string, listId: string, index: number) {
  const list = statusListUrl(baseUrl, listId)
  return {
    id: `${list}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: list,
  }
}
