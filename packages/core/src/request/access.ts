import { regionCovers, requireAccount, useActor } from '../actor/index.ts'
import { MentorPublic } from '../adapters/dynamo/entities/mentor.ts'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { get, PAGE_DEFAULT, type Page, query, queryMerged } from '../adapters/dynamo/index.ts'
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors/index.ts'
import type { Store } from '../store.ts'
import type { RequestListQuery } from './input.ts'
import type { RequestItem } from './item.ts'
import { type PrivateKey, trackingTokenMatches } from './token.ts'
import { type Info, type Summary, toInfo, toSummary } from './view.ts'

/** Reads one request (strongly consistent), or `undefined` when there is none. One `GetItem`. */
export function getRequest(store: Store, id: string): Promise<RequestItem | undefined> {
  return get(store, Request, { id })
}

/** Who opened a request: its owner (by tracking token) or staff/admin whose region covers it. */
export type RequestReader = 'owner' | 'staff'

/**
 * Loads a request for the caller, checking the object, not just the role (one `GetItem`):
 * - with a tracking token, only the owner of that request passes; a wrong token is a 404, exactly as
 *   for a request that does not exist, so tokens cannot be used to probe ids;
 * - without one, staff of the request's region and admins pass when `staff` is allowed; staff of
 *   another region get 404 (a request holds personal data: its existence is not theirs to know);
 * - mentors get 403, and a caller with no credentials 401, before anything is read.
 */
export async function openRequest(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
  allow: { staff: boolean },
): Promise<{ request: RequestItem; as: RequestReader }> {
  const actor = useActor()
  if (token === undefined) {
    if (actor.kind !== 'account') throw new UnauthorizedError('Tracking token or sign-in required')
    if (actor.role === 'mentor' || !allow.staff) throw new ForbiddenError('Not the owner of this request')
  }
  const request = await getRequest(store, id)
  if (token !== undefined) {
    if (request && trackingTokenMatches(request.tokenHash, token)) return { request, as: 'owner' }
    throw new NotFoundError('No such request for this token')
  }
  if (!request || actor.kind !== 'account' || !regionCovers(actor.region, request.region))
    throw new NotFoundError('No such request in this region')
  return { request, as: 'staff' }
}

/** States in which a request has its mentor: one accepted it. */
const MENTORED: readonly RequestItem['status'][] = ['active', 'completed']

/**
 * A request as its owner or its region's staff see it, with the public profile of its mentor once
 * one accepted it (name, skills, regions; never contacts). One `GetItem`, and one more for the mentor.
 */
export async function readRequest(store: Store, id: string, token: PrivateKey | undefined): Promise<Info> {
  const { request } = await openRequest(store, id, token, { staff: true })
  if (!MENTORED.includes(request.status)) return toInfo(request)
  // The accept writes its mentor on the request.
  const mentor = request.mentorId ? await get(store, MentorPublic, { id: request.mentorId }) : undefined
  return toInfo(request, mentor ?? null)
}

/**
 * Everything Pendamping holds about the owner's request, for the owner alone (UU PDP right of access
 * and portability). One `GetItem`.
 */
export async function exportRequest(
  store: Store,
  id: string,
  token: PrivateKey | undefined,
  now: Date,
): Promise<{ exportedAt: string; request: Info }> {
  const { request } = await openRequest(store, id, token, { staff: false })
  return { exportedAt: now.toISOString(), request: toInfo(request) }
}

/**
 * Requests in one status that the staff member may see, oldest first:
 * - with `program`: that program's list in the `byProgram` index (optionally one segment — a
 *   waitlist in queue order), filtered to the staff's region; the program is read first (one
 *   `GetItem`), and staff whose region neither covers it nor lies inside it get 404, as if it did not
 *   exist (a city's staff see their city's part of a province's or the national program); one
 *   `Query` per page;
 * - otherwise: the `byRegion` index under the status, starting with the staff's region, by region
 *   then oldest first: its `REQUEST_LIST_SHARDS` (4) write shards merged, one `Query` per shard not yet
 *   read to its end, in parallel (4 on a first page).
 */
export async function listRequests(store: Store, list: RequestListQuery): Promise<Page<Summary>> {
  const actor = requireAccount('staff', 'admin')
  if (list.program !== undefined) {
    const program = await get(store, Program, { id: list.program })
    const overlaps =
      program !== undefined &&
      (regionCovers(actor.region, program.region) || regionCovers(program.region, actor.region))
    if (!overlaps) throw new NotFoundError('No such program in this region')
  }
  const paging = { limit: list.limit ?? PAGE_DEFAULT, cursor: list.cursor }
  const page =
    list.program === undefined
      ? await queryMerged(store, Request.inRegion(list.status, actor.region), paging)
      : await query(store, Request.inProgram(list.program, list.status, list.segment, actor.region), paging)
  return { items: page.items.map(toSummary), nextCursor: page.nextCursor }
}
