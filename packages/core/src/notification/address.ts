import { createHash } from 'node:crypto'

/** A hash of an address (normalised phone or e-mail, case-folded): the only form the table keeps of it. */
export function addressHash(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('base64url')
}
