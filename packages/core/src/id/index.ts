import * as z from 'zod/mini'

/** A new id: 16 random bytes, base64url (22 characters). */
export { newId } from '../adapters/dynamo/keys.ts'

/**
 * What an id of ours looks like in a path, a query or a body: 1–64 URL-safe characters (`newId`
 * makes 22). Checked before any read, so a malformed id is a 400 or a 404 page, never a lookup.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The one id field of every schema; `message` is the i18n key of its error.
 *
 * @example
 * const IdParam = z.object({ id: idField() })
 */
export const idField = (message = 'field.invalid') =>
  z.string().check(z.maxLength(64), z.regex(ID_PATTERN, message))
