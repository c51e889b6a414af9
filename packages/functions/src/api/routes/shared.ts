import { idField } from '@pendamping/core/id'
import type { RateLimits } from '@pendamping/core/ratelimit'
import type { Clock, Store } from '@pendamping/core/store'
import { resolver } from 'hono-openapi'
import * as z from 'zod/mini'

/** What every route group needs from the app. */
export interface RouteDependencies {
  store: Store
  clock?: Clock | undefined
  /** The app's rate limits, for the per-phone quota of public writes; `false` for none. */
  rateLimits?: RateLimits | false | undefined
}

/** Ids are opaque base64url strings; anything else cannot name an object. */
export const IdParam = z.strictObject({
  id: idField(),
})

/** RFC 9457 problem answers for the OpenAPI document, by status. */
export function problems(...statuses: number[]) {
  const text: Record<number, string> = {
    400: 'Invalid input: `errors` lists each field',
    401: 'No valid credentials',
    403: 'Not allowed for this account or region',
    404: 'No such object (or not yours to know of)',
    409: 'Conflicts with the current state',
    413: 'Body too large',
    415: 'Send JSON or an HTML form',
    422: 'Idempotency-Key reused with a different request',
    429: 'Too many writes: wait `Retry-After` seconds',
  }
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: text[status] ?? 'Problem', content: { 'application/problem+json': {} } },
    ]),
  )
}

/** A JSON response of `schema` for the OpenAPI document. */
export const json = (schema: Parameters<typeof resolver>[0], description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
