/**
 * The lottery (docs/contract/classes-and-certificates.md): everyone who registered inside the window is put in one random order at
 * its close, drawn from a seed fixed at publication. The seed's SHA-256 is public from publication,
 * the seed itself after the draw, so anyone can check that the published order is the one the seed
 * gives — and that the seed was not chosen after seeing who registered.
 *
 * The algorithm, for re-running it elsewhere:
 * 1. sort the registration ids by UTF-16 code units (JavaScript's default sort; the same as byte
 *    order for these ASCII ids), so the order of the input never matters;
 * 2. a stream of 32-bit words: block `k` (k = 0, 1, …) is SHA-256 of the UTF-8 text `<seed>:<k>`,
 *    read as eight big-endian unsigned 32-bit words;
 * 3. Fisher–Yates from the end: for `i` from `n − 1` down to 1, take words until one is below
 *    `⌊2³² / (i + 1)⌋ · (i + 1)` (no modulo bias), let `j` be it modulo `i + 1`, swap items `i` and `j`.
 */
import { createHash, randomBytes } from 'node:crypto'

/** A new lottery seed (256 random bits, hex) and its SHA-256 (hex), published before anyone registers. */
export function newSeed(): { seed: string; seedHash: string } {
  const seed = randomBytes(32).toString('hex')
  return { seed, seedHash: seedHashOf(seed) }
}

/** SHA-256 (hex) of a seed's UTF-8 text. */
export function seedHashOf(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex')
}

/** The endless word stream of step 2. */
function words(seed: string): () => number {
  let block = 0
  let buffer = Buffer.alloc(0)
  let offset = 0
  return () => {
    if (offset >= buffer.length) {
      buffer = createHash('sha256').update(`${seed}:${block++}`, 'utf8').digest()
      offset = 0
    }
    const word = buffer.readUInt32BE(offset)
    offset += 4
    return word
  }
}

/**
 * The draw: `ids` in the order `seed` gives them (see the module comment). Pure and deterministic:
 * the same seed and the same set of ids give the same order, whatever order the ids come in.
 *
 * @example
 * drawOrder('c0ffee', ['b', 'a', 'c']) // the same array on every run, anywhere
 */
export function drawOrder(seed: string, ids: readonly string[]): string[] {
  const order = [...ids].sort()
  const next = words(seed)
  for (let i = order.length - 1; i > 0; i--) {
    const range = i + 1
    const limit = Math.floor(2 ** 32 / range) * range
    let word = next()
    while (word >= limit) word = next()
    const j = word % range
    const swap = order[i] as string
    order[i] = order[j] as string
    order[j] = swap
  }
  return order
}

/**
 * Who gets a seat in a drawn order: walking it, each registration takes a seat of its segment while
 * the segment has one, otherwise it waits; the waitlist keeps the draw's order.
 */
export function assignSeats<T extends { id: string; segment: string }>(
  order: readonly string[],
  registrations: ReadonlyMap<string, T>,
  quotas: Readonly<Record<string, number>>,
): { confirmed: T[]; waitlisted: T[] } {
  const left = { ...quotas }
  const confirmed: T[] = []
  const waitlisted: T[] = []
  for (const id of order) {
    const registration = registrations.get(id)
    if (!registration) continue
    if ((left[registration.segment] ?? 0) > 0) {
      left[registration.segment] = (left[registration.segment] ?? 0) - 1
      confirmed.push(registration)
    } else waitlisted.push(registration)
  }
  return { confirmed, waitlisted }
}
