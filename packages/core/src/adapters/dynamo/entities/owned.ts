import { equals } from '../entity.ts'
import type { List } from '../read.ts'

/**
 * A parent's children of one kind from the `byOwner` index (`MENTOR#<id>`'s `OFFER`s …), unparsed,
 * optionally only those in `status`. For the modules that still name their owner partition; an
 * entity declaring its own lists (`Request.inRegion`) is the way forward.
 */
export function ownedBy(
  owner: string,
  kind: string,
  options: { status?: string | undefined; newestFirst?: boolean } = {},
): List<Record<string, unknown>> {
  return {
    index: 'byOwner',
    partition: owner,
    prefix: `${kind}#`,
    filter: options.status === undefined ? undefined : equals({ status: options.status }),
    newestFirst: options.newestFirst,
    parse: (raw) => raw,
  }
}
