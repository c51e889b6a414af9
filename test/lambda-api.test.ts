import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { LOCAL_ISSUER, LocalKeySet } from '@pendamping/scripts/local/keys'
import { dynamoEndpoint, useTestTable } from '@pendamping/scripts/testing/table'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import type { LambdaEvent } from 'hono/aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

type Handler = typeof import('@pendamping/functions/api/index')['handler']

const table = useTestTable()
let keys: LocalKeySet
let jwks: Server
let jwksFetches = 0
let handler: Handler
let restoreEnv: () => void = () => {}

/** An API Gateway HTTP API (payload format 2.0) event, as recorded in `test/fixtures/apigw`. */
function recorded(name: string): APIGatewayProxyEventV2 {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/apigw', name), 'utf8'))
}

/** The second argument Lambda passes the handler. */
function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'pendamping-test-Api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-3:123456789012:function:pendamping-test-Api',
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/aws/lambda/pendamping-test-Api',
    logStreamName: '2023/11/23/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 29_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }
}

async function invoke(event: APIGatewayProxyEventV2) {
  // Hono's event type insists on `body` and `requestContext.authorizer`, which API Gateway leaves out
  // of bodiless and unauthorized requests; the fixtures follow API Gateway (and @types/aws-lambda).
  const result = await handler(event as unknown as LambdaEvent, lambdaContext())
  // The v2 response format: a status, single-valued headers, the body, whether it is base64, and cookies apart.
  expect(Object.keys(result).sort()).toEqual(
    expect.arrayContaining(['body', 'headers', 'isBase64Encoded', 'statusCode']),
  )
  expect(result).not.toHaveProperty('multiValueHeaders')
  for (const [name, value] of Object.entries(result.headers)) {
    expect(name).toBe(name.toLowerCase())
    expect(typeof value).toBe('string')
  }
  return result
}

function problemOf(result: Awaited<ReturnType<typeof invoke>>) {
  expect(result.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  expect(result.isBase64Encoded).toBe(false)
  return JSON.parse(result.body)
}

function withAuthorization(event: APIGatewayProxyEventV2, token: string): APIGatewayProxyEventV2 {
  return { ...event, headers: { ...event.headers, authorization: `Bearer ${token}` } }
}

function withBody(event: APIGatewayProxyEventV2, bytes: number): APIGatewayProxyEventV2 {
  const body = Buffer.from(`{"notes":"${'a'.repeat(bytes - 12)}"}`)
  return {
    ...event,
    headers: { ...event.headers, 'content-length': String(body.length) },
    body: body.toString('base64'),
    isBase64Encoded: true,
  }
}

beforeAll(async () => {
  keys = await LocalKeySet.generate()
  jwks = createServer((_request, response) => {
    jwksFetches++
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys.jwks))
  })
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
  const { port } = jwks.address() as AddressInfo
  // The configuration is read once, when the entry point loads: set the environment first, import after.
  const env = {
    AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    AUTH_ISSUER: LOCAL_ISSUER,
    DYNAMODB_ENDPOINT: dynamoEndpoint(),
    LOG_LEVEL: 'WARN',
    SST_RESOURCE_App: JSON.stringify({ name: 'pendamping', stage: 'test' }),
    SST_RESOURCE_Table: JSON.stringify({ name: table.tableName }),
  }
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  restoreEnv = () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  Object.assign(process.env, env)
  ;({ handler } = await import('@pendamping/functions/api/index'))
})

afterAll(async () => {
  restoreEnv()
  jwks.closeAllConnections()
  await new Promise((resolve) => jwks.close(resolve))
})

describe('The API function behind API Gateway (HTTP API, payload 2.0)', () => {
  it('answers GET /health with JSON, the gateway’s request id and secure headers', async () => {
    const event = recorded('get-health.json')
    const result = await invoke(event)
    expect(result.statusCode).toBe(200)
    expect(result.isBase64Encoded).toBe(false)
    expect(JSON.parse(result.body)).toEqual({ status: 'ok' })
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': event.requestContext.requestId,
      'content-language': 'id',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    expect(result.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    // The app sets no cookie, so the v2 `cookies` list is absent rather than folded into headers.
    expect(result.cookies).toBeUndefined()
    expect(result.headers).not.toHaveProperty('set-cookie')
  })

  it('serves the OpenAPI document', async () => {
    const result = await invoke(recorded('get-openapi.json'))
    expect(result.statusCode).toBe(200)
    expect(result.headers['content-type']).toBe('application/json')
    expect(JSON.parse(result.body)).toMatchObject({ openapi: '3.1.0', info: { title: 'Pendamping API' } })
  })

  it('answers an unknown route with a 404 problem, in English when the caller prefers it', async () => {
    const event = recorded('get-unknown-route.json')
    const result = await invoke(event)
    expect(result.statusCode).toBe(404)
    expect(result.headers['content-language']).toBe('en')
    expect(problemOf(result)).toEqual({
      type: 'urn:pendamping:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: expect.any(String),
      instance: '/v1/tidak-ada',
      requestId: event.requestContext.requestId,
    })
  })

  it('decodes a base64 body, and refuses malformed JSON where a route reads JSON', async () => {
    const event = recorded('post-base64-malformed-json.json')
    const result = await invoke(event)
    const spec = JSON.parse((await invoke(recorded('get-openapi.json'))).body)
    // Until the app declares `POST /v1/requests` (the public request form), the gateway's POST finds
    // no route; from then on the same payload must be refused as malformed, before any handler runs.
    if (spec.paths?.['/v1/requests']?.post?.requestBody?.content?.['application/json']) {
      expect(result.statusCode).toBe(400)
      expect(problemOf(result)).toMatchObject({
        type: 'urn:pendamping:problem:malformed-body',
        title: 'Isi permintaan tidak dapat dibaca',
      })
    } else {
      expect(result.statusCode).toBe(404)
      expect(problemOf(result)).toMatchObject({
        type: 'urn:pendamping:problem:not-found',
        title: 'Tidak ditemukan',
      })
    }
  })

  it('measures the body limit on the decoded body, not on its base64 text', async () => {
    const event = recorded('post-base64-malformed-json.json')
    // 60 KiB decoded is 80 KiB in base64: under the 64 KiB limit only if the handler decoded it.
    const under = await invoke(withBody(event, 60 * 1024))
    expect([400, 404]).toContain(under.statusCode)
    const over = await invoke(withBody(event, 65 * 1024))
    expect(over.statusCode).toBe(413)
    expect(problemOf(over).type).toBe('urn:pendamping:problem:payload-too-large')
  })

  it('verifies the bearer token itself against the JWKS URL, whatever the gateway’s authorizer saw', async () => {
    const event = recorded('get-health-with-jwt.json')
    // The recorded token was signed by a key this run does not have.
    const recordedToken = await invoke(event)
    expect(recordedToken.statusCode).toBe(401)
    expect(problemOf(recordedToken).type).toBe('urn:pendamping:problem:unauthorized')

    const token = await keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    const valid = await invoke(withAuthorization(event, token))
    expect(valid.statusCode).toBe(200)
    expect(JSON.parse(valid.body)).toEqual({ status: 'ok' })
    expect(jwksFetches).toBeGreaterThan(0)

    const tampered = await invoke(withAuthorization(event, `${token.slice(0, -6)}AAAAAA`))
    expect(tampered.statusCode).toBe(401)
    expect(problemOf(tampered)).toMatchObject({ status: 401, title: 'Perlu masuk' })

    const stranger = await (await LocalKeySet.generate()).sign({
      sub: 'staff-1',
      role: 'staff',
      region: '35.73',
    })
    expect((await invoke(withAuthorization(event, stranger))).statusCode).toBe(401)
  })
})
