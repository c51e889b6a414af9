import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { regionCovers, requireAccount, useActor } from '../actor/index.ts'
import { byProgramQuery } from '../adapters/dynamo/keys.ts'
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors/index.ts'
import { decodeCursor, encodeCursor, PAGE_DEFAULT, type Page } from '../program/index.ts'
import type { Store } from '../store.ts'
import type { RequestListQuery } from './input.ts'
import { getRequest, parseRequest, type RequestItem } from './item.ts'
import { trackingTokenMatches } from './token.ts'
import { type Info, type Summary, toInfo, toSummary } from './view.ts'

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
  token: string | undefined,
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

/** A request as its owner or its region's staff see it. One `GetItem`. */
export async function readRequest(store: Store, id: string, token: string | undefined): Promise<Info> {
  const { request } = await openRequest(store, id, token, { staff: true })
  return toInfo(request)
}

/**
 * Everything Pendamping holds about the owner's request, for the owner alone (UU PDP right of access
 * and portability). One `GetItem`.
 */
export async function exportRequest(
  store: Store,
  id: string,
  token: string | undefined,
  now: Date,
): Promise<{ exportedAt: string; request: Info }> {
  const { request } = await openRequest(store, id, token, { staff: false })
  return { exportedAt: now.toISOString(), request: toInfo(request) }
}

const REGION_CURSOR = ['pk', 'sk', 'byRegionPk', 'byRegionSk'] as const
const PROGRAM_CURSOR = ['pk', 'sk', 'byProgramPk', 'byProgramSk'] as const

/**
 * Requests in one status that the staff member may see, oldest first, one `Query` per page:
 * - with `program`: that program's list in the `byProgram` index (optionally one segment — a
 *   waitlist in queue order), filtered to the staff's region;
 * - otherwise: the `byRegion` index under `REQUEST#<status>`, `begins_with` the staff's region.
 */
export async function listRequests(store: Store, query: RequestListQuery): Promise<Page<Summary>> {
  const actor = requireAccount('staff', 'admin')
  const scoped = actor.region !== '*'
  const limit = query.limit ?? PAGE_DEFAULT
  let result: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }
  if (query.program !== undefined) {
    const list = byProgramQuery(query.program, query.status, query.segment)
    const start = decodeCursor(
      query.cursor,
      PROGRAM_CURSOR,
      (key) =>
        key.byProgramPk === list.byProgramPk && (key.byProgramSk ?? '').startsWith(list.byProgramSkPrefix),
    )
    const values: Record<string, unknown> = { ':pk': list.byProgramPk, ':segment': list.byProgramSkPrefix }
    if (scoped) values[':scope'] = actor.region
    result = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        IndexName: 'byProgram',
        KeyConditionExpression:
          list.byProgramSkPrefix === ''
            ? 'byProgramPk = :pk'
            : 'byProgramPk = :pk AND begins_with(byProgramSk, :segment)',
        // A province-wide program's requests are visible to a city's staff only for their city.
        FilterExpression: scoped ? 'begins_with(#region, :scope)' : undefined,
        ExpressionAttributeNames: scoped ? { '#region': 'region' } : undefined,
        ExpressionAttributeValues:
          list.byProgramSkPrefix === ''
            ? Object.fromEntries(Object.entries(values).filter(([name]) => name !== ':segment'))
            : values,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    )
  } else {
    const collection = `REQUEST#${query.status}`
    const start = decodeCursor(
      query.cursor,
      REGION_CURSOR,
      (key) =>
        key.byRegionPk === collection &&
        (!scoped || regionCovers(actor.region, (key.byRegionSk ?? '').split('#')[0] ?? '')),
    )
    result = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        IndexName: 'byRegion',
        KeyConditionExpression: scoped
          ? 'byRegionPk = :pk AND begins_with(byRegionSk, :region)'
          : 'byRegionPk = :pk',
        ExpressionAttributeValues: scoped
          ? { ':pk': collection, ':region': actor.region }
          : { ':pk': collection },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    )
  }
  return {
    items: (result.Items ?? []).map((item) => toSummary(parseRequest(item))),
    nextCursor: encodeCursor(result.LastEvaluatedKey),
  }
}
