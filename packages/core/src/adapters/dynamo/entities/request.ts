import { eligibleSince, RequestItem, type RequestStatus } from '../../../request/item.ts'
import { entity, type TransactItem, updateItem, when } from '../entity.ts'
import { byProgram, byRegionShard, byRegionSpread, keys, waitingRequest } from '../keys.ts'
import type { List } from '../read.ts'

/**
 * Write shards of the staff lists (`byRegion` under `REQUEST#<status>#<shard>`): every status change
 * writes the request into one status's collection and out of another, on the index, so one partition
 * per status for the whole country would cap status changes at one partition's 1 000 WCU. Four shards
 * carry a request burst as fast as a new table takes writes, and cost a list page four queries
 * (docs/contract/budgets.md#write-ceilings-on-real-dynamodb gives the arithmetic). Changing it moves
 * every request to another shard: run {@link Request.misplaced} / `respreadRequestLists` over the old
 * shards (`npm start` does, for the local table).
 */
export const REQUEST_LIST_SHARDS = 4

/** The most shards `respreadRequestLists` looks in for requests written under another shard count. */
export const REQUEST_LIST_SHARDS_MAX = 16

const regionKeys = (of: RequestItem) =>
  byRegionSpread(`REQUEST#${of.status}`, REQUEST_LIST_SHARDS, of.region, of.submittedAt, of.id)

const request = entity('request', RequestItem, {
  key: (of: { id: string }) => keys.request(of.id),
  /**
   * `byRegion` under `REQUEST#<status>#<shard>` for staff lists (see {@link REQUEST_LIST_SHARDS});
   * `byProgram` (program requests only) under
   * `PROGRAM#<programId>#<status>`, by segment then arrival, so a segment's waitlist is a prefix;
   * while `matching`, `byTopic` under `WAITING#request` by the moment it became eligible, so a mentor
   * who frees up finds the longest-waiting requests first.
   */
  indexes: (of: RequestItem) => ({
    ...regionKeys(of),
    ...(of.programId !== null && of.segment !== null
      ? byProgram(of.programId, of.status, of.segment, of.submittedAt, of.id)
      : {}),
    ...(of.status === 'matching' ? waitingRequest(eligibleSince(of), of.id) : {}),
  }),
})

/** Still exactly as read: same status, same `updatedAt`, so a concurrent change cancels the write. */
const unchanged = (read: Pick<RequestItem, 'status' | 'updatedAt'>) =>
  when('#status = :from AND #updatedAt = :prevUpdatedAt', {
    ':from': read.status,
    ':prevUpdatedAt': read.updatedAt,
  })

/** Mentoring requests (`REQUEST#<id>`): their lists, and the conditions that guard their changes. */
export const Request = {
  ...request,
  /** Still exactly as read: same status, same `updatedAt`, so a concurrent change cancels the write. */
  unchanged,
  /** Still in `status` (for a copy read from an index, whose `updatedAt` may lag). */
  inStatus: (status: RequestStatus) => when('#status = :from', { ':from': status }),
  /** The tracking token is still the one read (two rotations cannot both win). */
  tokenIs: (hash: string | null) => when('#tokenHash = :previous', { ':previous': hash }),
  /**
   * Requests in `status` whose region starts with `region` (`*` for all), by region then oldest first:
   * one list per write shard, for `queryMerged`.
   */
  inRegion: (status: RequestStatus, region: string): List<RequestItem>[] =>
    Array.from({ length: REQUEST_LIST_SHARDS }, (_, shard) => ({
      index: 'byRegion' as const,
      partition: byRegionShard(`REQUEST#${status}`, shard),
      prefix: region === '*' ? '' : region,
      parse: request.parse,
    })),
  /**
   * Where requests in `status` may sit under another shard count: the collection's partition before
   * it was spread (`REQUEST#<status>`) and its shards up to {@link REQUEST_LIST_SHARDS_MAX}. Each
   * item read comes with the partition it is in, to tell whether it is where it belongs.
   */
  misplaced: (status: RequestStatus): List<{ request: RequestItem; partition: string }>[] =>
    [
      `REQUEST#${status}`,
      ...Array.from({ length: REQUEST_LIST_SHARDS_MAX }, (_, shard) =>
        byRegionShard(`REQUEST#${status}`, shard),
      ),
    ].map((partition) => ({
      index: 'byRegion' as const,
      partition,
      parse: (raw: Record<string, unknown>) => ({
        request: request.parse(raw),
        partition: String(raw.byRegionPk),
      }),
    })),
  /** Where the request belongs in the staff lists: its `byRegion` keys under the current shard count. */
  listKeys: (of: RequestItem) => regionKeys(of),
  /**
   * Moves a request read by {@link misplaced} to the shard it belongs in, if it is still exactly as read
   * (a change meanwhile wrote its keys anew).
   */
  respread: (of: RequestItem): TransactItem =>
    updateItem(keys.request(of.id), { set: regionKeys(of) }, unchanged(of)),
  /**
   * Requests waiting for a mentor, longest-waiting first; only those needing one of `topics` (filtered
   * on the page, so a page may hold fewer than `limit`; the cursor still moves on).
   */
  waitingFor: (topics: readonly string[]): List<RequestItem> => ({
    index: 'byTopic',
    partition: waitingRequest('', '').byTopicPk,
    filter:
      topics.length === 0
        ? undefined
        : when(
            topics.map((_, index) => `contains(#needs, :need${index})`).join(' OR '),
            Object.fromEntries(topics.map((topic, index) => [`:need${index}`, topic])),
          ),
    parse: request.parse,
  }),
  /**
   * A program's requests in `status` (one segment's when given: a waitlist in queue order), oldest
   * first; with `within`, only those whose region starts with it (a city's staff in a province's program).
   */
  inProgram: (
    programId: string,
    status: RequestStatus,
    segment?: string,
    within = '*',
  ): List<RequestItem> => ({
    index: 'byProgram',
    partition: `PROGRAM#${programId}#${status}`,
    prefix: segment === undefined ? '' : `${segment}#`,
    filter: within === '*' ? undefined : when('begins_with(#region, :scope)', { ':scope': within }),
    parse: request.parse,
  }),
}
