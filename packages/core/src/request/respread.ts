import { REQUEST_LIST_SHARDS, Request } from '../adapters/dynamo/entities/request.ts'
import { everyItem, write } from '../adapters/dynamo/index.ts'
import type { Store } from '../store.ts'
import { REQUEST_STATUSES } from './item.ts'

/** How many requests one `Query` of a misplaced partition reads. */
const RESPREAD_PAGE = 100

/**
 * Moves every request whose staff-list keys are not where the current shard count puts them — a
 * table written before the lists were spread (`REQUEST#<status>`), or under another
 * `REQUEST_LIST_SHARDS` — to its shard, and answers how many moved. Each move is conditional on the
 * request being unchanged since read; one that changed meanwhile was rewritten by that change.
 * Idempotent: a second run moves nothing. `npm start` runs it on the local table it keeps between runs.
 *
 * Calls: one `Query` per status and partition looked in (7 × 17 on a table with nothing to move,
 * in parallel per status), plus one `UpdateItem` per request moved.
 */
export async function respreadRequestLists(store: Store): Promise<number> {
  let moved = 0
  for (const status of REQUEST_STATUSES)
    await Promise.all(
      Request.misplaced(status).map(async (list) => {
        for await (const { request, partition } of everyItem(store, list, RESPREAD_PAGE))
          if (
            partition !== Request.listKeys(request).byRegionPk &&
            (await write(store, Request.respread(request)))
          )
            moved++
      }),
    )
  return moved
}

export { REQUEST_LIST_SHARDS }
