/**
 * API Gateway HTTP API (payload 2.0) → a Hono app → API Gateway's result, without loading Node's
 * Fetch API ([ADR 0012](../../../../../docs/decisions/0012-lazy-lambda-request.md)).
 *
 * What `hono/aws-lambda`'s `handle` does for this one event shape, with the light classes of
 * `fetch.ts`: the request is built from the event as it is (the body decoded on first read), the
 * app answers with a light `Response`, and the answer is read back into the result: single-valued
 * headers, `Set-Cookie` as the `cookies` list, binary bodies (PDF, PNG, compressed) in base64.
 */
import type { APIGatewayProxyEventV2, Context as LambdaContext } from 'aws-lambda'
import { logger } from '../../logger.ts'
import { installLightFetch, LightRequest } from './fetch.ts'

/** What the handler needs of an app: Hono's `fetch`. */
export interface FetchApp {
  fetch(request: Request, env: object): Response | Promise<Response>
}

/** API Gateway's result (payload 2.0): single-valued headers, and `Set-Cookie` values apart. */
export interface ApiGatewayResult {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
  cookies?: string[]
}

/** Takes whatever Lambda passes: anything but an HTTP API (payload 2.0) event is answered 400. */
export type ApiGatewayHandler = (event: unknown, context: LambdaContext) => Promise<ApiGatewayResult>

/** The `Bindings` the app reads on Lambda (`api/env.ts`): the event, its request context, Lambda's context. */
export interface LambdaBindings {
  event: APIGatewayProxyEventV2
  requestContext: APIGatewayProxyEventV2['requestContext']
  lambdaContext: LambdaContext
}

/** Content types answered as text; everything else (PDF, PNG, octet streams) goes back in base64. */
const TEXT_TYPE = /^text\/(?:plain|html|css|javascript|csv)|[/+](?:json|xml)\s*(?:;|$)/i

/** Hono's rule (`defaultIsContentTypeBinary`): a content encoding other than identity is binary too. */
function isBinary(contentType: string | null, contentEncoding: string | null): boolean {
  if (contentEncoding && !/^identity$/i.test(contentEncoding)) return true
  return contentType !== null && !TEXT_TYPE.test(contentType)
}

/** Header values API Gateway passes through non-ASCII are percent-encoded, as Hono's adapter does. */
const headerText = (value: string) => (/[\u0080-\uFFFF]/.test(value) ? encodeURIComponent(value) : value)

/** The decoded length of a body, without decoding it (base64: from its length and padding). */
function bodyLength(body: string, base64: boolean): number {
  if (!base64) return Buffer.byteLength(body)
  const text = body.replace(/\s/g, '')
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  return Math.floor((text.length * 3) / 4) - padding
}

/**
 * The light request of one event: method, URL and headers as API Gateway sent them (cookies folded
 * into `Cookie`), and the body as a source read on first use. Throws `TypeError` when the event is
 * not an HTTP API (payload 2.0) event or carries an invalid method, path or header.
 */
export function requestOf(input: unknown): LightRequest {
  const event = input as Partial<APIGatewayProxyEventV2> | null | undefined
  const http = event?.requestContext?.http
  if (!event?.requestContext || typeof event.rawPath !== 'string' || typeof http?.method !== 'string')
    throw new TypeError('Not an API Gateway HTTP API (payload 2.0) event')
  const host = event.requestContext.domainName ?? event.headers?.host
  if (!host) throw new TypeError('The event names no host')
  const query = event.rawQueryString ? `?${event.rawQueryString}` : ''
  // Lowercased, as `Headers` keeps them; a `cookie` header, if API Gateway left one, wins over the list.
  const headers = new Map<string, string>()
  if (Array.isArray(event.cookies) && event.cookies.length > 0)
    headers.set('cookie', event.cookies.join('; '))
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value) headers.set(name.toLowerCase(), headerText(value))
  const body = event.body
  const base64 = event.isBase64Encoded === true
  // The decoded body's length, whatever the client claimed: the body limit reads it.
  if (body) headers.set('content-length', String(bodyLength(body, base64)))
  return new LightRequest(`https://${host}${event.rawPath}${query}`, {
    method: http.method,
    headers,
    body: body ? () => (base64 ? new Uint8Array(Buffer.from(body, 'base64')) : body) : undefined,
  })
}

/** API Gateway's result for the app's answer. */
export async function resultOf(response: Response): Promise<ApiGatewayResult> {
  const binary = isBinary(response.headers.get('content-type'), response.headers.get('content-encoding'))
  const headers: Record<string, string> = {}
  const cookies: string[] = []
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') cookies.push(value)
    else headers[name] = value
  })
  const result: ApiGatewayResult = {
    statusCode: response.status,
    headers,
    body: binary ? Buffer.from(await response.arrayBuffer()).toString('base64') : await response.text(),
    isBase64Encoded: binary,
  }
  if (cookies.length > 0) result.cookies = cookies
  return result
}

/** An event that is not a request of ours: a 400 problem, logged, and the app never runs. */
function badEvent(error: unknown): ApiGatewayResult {
  logger.warn('unreadable event', { error })
  return {
    statusCode: 400,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Not an API Gateway HTTP API (payload 2.0) request',
    }),
    isBase64Encoded: false,
  }
}

/**
 * The Lambda handler for a Hono app behind an HTTP API (payload 2.0). Makes the light Fetch classes
 * the process's globals (`fetch.ts`), so a cold start never loads undici.
 *
 * @example
 * export const handler = handle(createApp(dependencies))
 */
export function handle(app: FetchApp): ApiGatewayHandler {
  installLightFetch()
  return async function apiGateway(event, lambdaContext) {
    let request: LightRequest
    try {
      request = requestOf(event)
    } catch (error) {
      if (error instanceof TypeError) return badEvent(error)
      throw error
    }
    const { requestContext } = event as APIGatewayProxyEventV2
    const bindings: LambdaBindings = { event: event as APIGatewayProxyEventV2, requestContext, lambdaContext }
    return resultOf(await app.fetch(request as unknown as Request, bindings))
  }
}
