import { eligibleSince, RequestItem, type RequestStatus } from '../../../request/item.ts'
import { entity, when } from '../entity.ts'
import { byProgram, byRegion, keys, waitingRequest } from '../keys.ts'
import type { List } from '../read.ts'

const request = entity('request', RequestItem, {
  key: (of: { id: string }) => keys.request(of.id),
  /**
   * `byRegion` under `REQUEST#<status>` for staff lists; `byProgram` (program requests only) under
   * `PROGRAM#<programId>#<status>`, by segment then arrival, so a segment's waitlist is a prefix;
   * while `matching`, `byTopic` under `WAITING#request` by the moment it became eligible, so a mentor
   * who frees up finds the longest-waiting requests first.
   */
  indexes: (of: RequestItem) => ({
    ...byRegion(`REQUEST#${of.status}`, of.region, of.submittedAt, of.id),
    ...(of.programId !== null && of.segment !== null
      ? byProgram(of.programId, of.status, of.segment, of.submittedAt, of.id)
      : {}),
    ...(of.status === 'matching' ? waitingRequest(eligibleSince(of), of.id) : {}),
  }),
})

/** Mentoring requests (`REQUEST#<id>`): their lists, and the conditions that guard their changes. */
export const Request = {
  ...request,
  /** Still exactly as read: same status, same `updatedAt`, so a concurrent change cancels the write. */
  unchanged: (read: Pick<RequestItem, 'status' | 'updatedAt'>) =>
    when('#status = :from AND #updatedAt = :prevUpdatedAt', {
      ':from': read.status,
      ':prevUpdatedAt': read.updatedAt,
    }),
  /** Still in `status` (for a copy read from an index, whose `updatedAt` may lag). */
  inStatus: (status: RequestStatus) => when('#status = :from', { ':from': status }),
  /** The tracking token is still the one read (two rotations cannot both win). */
  tokenIs: (hash: string | null) => when('#tokenHash = :previous', { ':previous': hash }),
  /** Requests in `status` whose region starts with `region` (`*` for all), oldest first. */
  inRegion: (status: RequestStatus, region: string): List<RequestItem> => ({
    index: 'byRegion',
    partition: `REQUEST#${status}`,
    prefix: region === '*' ? '' : region,
    parse: request.parse,
  }),
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
