import { MalformedBodyError, UnsupportedMediaTypeError } from '@pendamping/core/errors'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'

/** The parts of a zod (mini) schema's definition the form reader follows. */
interface SchemaNode {
  _zod: {
    def: {
      type: string
      shape?: Record<string, SchemaNode>
      element?: SchemaNode
      innerType?: SchemaNode
      in?: SchemaNode
      values?: unknown[]
      options?: SchemaNode[]
    }
  }
}

const FORM = 'application/x-www-form-urlencoded'
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i
const MAX_DEPTH = 6
const MAX_INDEX = 99

/**
 * Splits a form field name into a path: `business.name`, `business[name]`, `needs[]`, `availability[0][day]`
 * and `availability.0.day` all work. `[]` means "append".
 */
export function fieldPath(name: string): Array<string | null> | undefined {
  const path: Array<string | null> = []
  for (const part of name.split('.')) {
    const match = /^([^[\]]*)((?:\[[^[\]]*\])*)$/.exec(part)
    if (!match) return undefined
    if (match[1]) path.push(match[1])
    for (const [, inner = ''] of (match[2] ?? '').matchAll(/\[([^[\]]*)\]/g))
      path.push(inner === '' ? null : inner)
  }
  return path.length === 0 || path.length > MAX_DEPTH || path[0] === null ? undefined : path
}

const unsafe = new Set(['__proto__', 'prototype', 'constructor'])

/**
 * Turns form fields into the object a JSON client would send: dotted and bracketed names nest, and a
 * repeated name or `name[]` becomes an array. Values stay strings; {@link coerce} fixes types.
 * Returns `undefined` for names that cannot be read (so the request is refused as malformed).
 */
export function formToObject(params: URLSearchParams): Record<string, unknown> | undefined {
  const root: Record<string, unknown> = Object.create(null)
  for (const [name, value] of params) {
    const path = fieldPath(name)
    if (!path || path.some((part) => part !== null && unsafe.has(part))) return undefined
    let node: Record<string, unknown> = root
    for (let index = 0; index < path.length; index++) {
      const part = path[index]
      if (part === undefined) return undefined
      const last = index === path.length - 1
      if (part === null) {
        // `name[]`: the parent holds an array; only a trailing `[]` is meaningful in a form.
        if (!last) return undefined
        continue
      }
      const appends = path[index + 1] === null
      if (last || (appends && index + 1 === path.length - 1)) {
        const existing = node[part]
        if (existing === undefined) node[part] = appends ? [value] : value
        else if (Array.isArray(existing)) existing.push(value)
        else if (typeof existing === 'string') node[part] = [existing, value]
        else return undefined
        break
      }
      const child = node[part]
      if (child === undefined) {
        const created: Record<string, unknown> = Object.create(null)
        node[part] = created
        node = created
      } else if (typeof child === 'object' && child !== null && !Array.isArray(child)) {
        node = child as Record<string, unknown>
      } else return undefined
    }
  }
  return root
}

function unwrap(schema: SchemaNode | undefined): SchemaNode | undefined {
  let node = schema
  for (let guard = 0; node && guard < 10; guard++) {
    const { def } = node._zod
    if (
      def.type === 'optional' ||
      def.type === 'default' ||
      def.type === 'nullable' ||
      def.type === 'prefault'
    )
      node = def.innerType
    else if (def.type === 'pipe') node = def.in
    else break
  }
  return node
}

/**
 * Gives form strings the types the schema expects, guided by the schema itself: numbers and booleans
 * from their text, a single value where an array is expected becomes a one-item array, objects keyed
 * `0`, `1`… (from `slots[0][day]`) become arrays, and an empty optional field is left out (HTML sends
 * empty inputs). Anything else is left for the schema to refuse.
 */
export function coerce(value: unknown, schema: SchemaNode | undefined): unknown {
  const optional = schema?._zod.def.type === 'optional' || schema?._zod.def.type === 'default'
  const node = unwrap(schema)
  if (value === '' && optional) return undefined
  if (!node) return value
  const { def } = node._zod
  switch (def.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
      const out: Record<string, unknown> = {}
      for (const [key, inner] of Object.entries(value)) {
        const coerced = coerce(inner, def.shape?.[key])
        if (coerced !== undefined) out[key] = coerced
      }
      return out
    }
    case 'array': {
      let items: unknown[]
      if (Array.isArray(value)) items = value
      else if (typeof value === 'object' && value !== null) {
        const entries = Object.entries(value)
        if (!entries.every(([key]) => /^\d{1,2}$/.test(key) && Number(key) <= MAX_INDEX)) return value
        items = entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, item]) => item)
      } else if (value === '') items = []
      else items = [value]
      return items.map((item) => coerce(item, def.element))
    }
    case 'number':
    case 'int':
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value
    case 'boolean':
      return booleanOf(value)
    case 'literal':
      return def.values?.some((literal) => typeof literal === 'boolean') ? booleanOf(value) : value
    default:
      return value
  }
}

function booleanOf(value: unknown): unknown {
  if (value === 'true' || value === 'on' || value === '1' || value === 'yes') return true
  if (value === 'false' || value === 'off' || value === '0' || value === 'no') return false
  return value
}

/**
 * Lets a public write take an HTML form post as well as JSON: a `application/x-www-form-urlencoded`
 * body is read into the object a JSON client would send (see {@link formToObject}, {@link coerce}) and
 * handed on as JSON, so the same schema validates both and the handler never knows the difference.
 * Other media types are refused with 415 before anything is read.
 *
 * @example
 * app.post('/v1/requests', formBody(NewRequest), validate('json', NewRequest), handler)
 */
export function formBody(schema: object): MiddlewareHandler<AppEnv> {
  // zod keeps its definition under `_zod.def`; only the few fields above are read.
  const root = schema as SchemaNode
  return async function formBody(c, next) {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (JSON_TYPE.test(mediaType)) return next()
    if (mediaType !== FORM)
      throw new UnsupportedMediaTypeError(`Unsupported media type ${mediaType || '(none)'}`)
    const object = formToObject(new URLSearchParams(await c.req.text()))
    if (!object) throw new MalformedBodyError('Unreadable form field names')
    const json = JSON.stringify(coerce(object, root))
    const headers = new Headers(c.req.raw.headers)
    headers.set('content-type', 'application/json')
    headers.delete('content-length')
    c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers, body: json })
    c.req.bodyCache = {}
    await next()
  }
}
