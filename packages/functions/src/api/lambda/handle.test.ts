import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logger } from '../../logger.ts'
import { LightHeaders, LightRequest, LightResponse } from './fetch.ts'
import { type ApiGatewayHandler, handle } from './handle.ts'

// `handle` makes the light classes the globals; other test files run in their own workers, but put
// Node's own back anyway.
const native = { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response }
beforeAll(() => {
  // The bad events below are logged as warnings; the test says what matters about them.
  logger.setLogLevel('ERROR')
})
afterAll(() => {
  Object.assign(globalThis, native)
  logger.setLogLevel('WARN')
})

const PDF = Uint8Array.from([
  0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xe2, 0xe3, 0xcf, 0xd3, 0x00, 0xff,
])
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x80])

function testApp() {
  const app = new Hono()
  // As the app's request context does: a header set after the handler answered.
  app.use(async (c, next) => {
    await next()
    c.header('x-request-id', 'req-1')
  })
  app.post('/echo', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    return c.json({
      method: c.req.method,
      url: c.req.url,
      contentLength: c.req.header('content-length') ?? null,
      hex: Buffer.from(bytes).toString('hex'),
    })
  })
  app.post('/text', async (c) => c.text(await c.req.text()))
  app.get('/inspect', (c) =>
    c.json({
      path: c.req.path,
      a: c.req.queries('a') ?? null,
      b: c.req.query('b') ?? null,
      cookie: c.req.header('cookie') ?? null,
      session: getCookie(c, 'session') ?? null,
      forwarded: c.req.header('x-forwarded-for') ?? null,
      accept: c.req.header('Accept') ?? null,
    }),
  )
  app.get('/cookies', (c) => {
    setCookie(c, 'session', 'abc', { path: '/', httpOnly: true, secure: true })
    setCookie(c, 'lang', 'en', { path: '/' })
    return c.json({ ok: true })
  })
  app.get('/pdf', (c) => c.body(PDF, 200, { 'content-type': 'application/pdf' }))
  app.get('/png', (c) => c.body(PNG, 200, { 'content-type': 'image/png', 'cache-control': 'max-age=60' }))
  app.get('/text', (c) => c.text('halo dunia'))
  app.get('/stream', (c) =>
    c.body(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('satu '))
          controller.enqueue(new TextEncoder().encode('dua'))
          controller.close()
        },
      }),
      200,
      { 'content-type': 'text/plain; charset=utf-8' },
    ),
  )
  app.get('/gone', (c) => c.redirect('/elsewhere', 303))
  app.get('/empty', (c) => c.body(null, 204))
  return app
}

function event(
  overrides: Partial<APIGatewayProxyEventV2> & { method?: string } = {},
): APIGatewayProxyEventV2 {
  const { method = 'GET', ...rest } = overrides
  const rawPath = rest.rawPath ?? '/inspect'
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { accept: 'application/json', host: 'api.example.id', 'x-forwarded-for': '36.72.214.18' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc',
      domainName: 'api.example.id',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '36.72.214.18', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2023:03:57:27 +0000',
      timeEpoch: 1700711847306,
    },
    isBase64Encoded: false,
    ...rest,
  }
}

const context = { awsRequestId: 'lambda-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context
let handler: ApiGatewayHandler
beforeAll(() => {
  handler = handle(testApp())
})
const invoke = (input: unknown) => handler(input, context)

describe('The Lambda entry’s API Gateway adapter (HTTP API, payload 2.0)', () => {
  it('hands Hono the method, URL, query string and headers as the gateway sent them', async () => {
    const result = await invoke(
      event({
        rawQueryString: 'a=1&a=2&b=%20x%2Fy',
        headers: { host: 'x', 'x-forwarded-for': '1.2.3.4, 10.0.0.1' },
      }),
    )
    expect(result.statusCode).toBe(200)
    expect(result.isBase64Encoded).toBe(false)
    expect(JSON.parse(result.body)).toEqual({
      path: '/inspect',
      a: ['1', '2'],
      b: ' x/y',
      cookie: null,
      session: null,
      // API Gateway joins a repeated header with commas; it reaches the app as one value.
      forwarded: '1.2.3.4, 10.0.0.1',
      accept: null,
    })
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-1' })
    expect(result).not.toHaveProperty('cookies')
  })

  it('folds the event’s cookies list into one Cookie header', async () => {
    const result = await invoke(event({ cookies: ['session=s3cr3t', 'lang=id'] }))
    expect(JSON.parse(result.body)).toMatchObject({ cookie: 'session=s3cr3t; lang=id', session: 's3cr3t' })
  })

  it('answers every Set-Cookie in the cookies list, none among the headers', async () => {
    const result = await invoke(event({ rawPath: '/cookies' }))
    expect(result.statusCode).toBe(200)
    expect(result.cookies).toEqual(['session=abc; Path=/; HttpOnly; Secure', 'lang=en; Path=/'])
    expect(result.headers).not.toHaveProperty('set-cookie')
    expect(JSON.parse(result.body)).toEqual({ ok: true })
  })

  it('decodes a base64 body byte for byte, and gives its decoded length as Content-Length', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x80])
    const result = await invoke(
      event({
        method: 'POST',
        rawPath: '/echo',
        rawQueryString: 'x=1',
        headers: { host: 'x', 'content-type': 'application/octet-stream', 'content-length': '999' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      }),
    )
    expect(JSON.parse(result.body)).toEqual({
      method: 'POST',
      url: 'https://api.example.id/echo?x=1',
      contentLength: '6',
      hex: bytes.toString('hex'),
    })
  })

  it('reads a text body as it came, UTF-8 included', async () => {
    const text = 'Dupa Harum Bu Made — kemasan 🌺'
    const result = await invoke(
      event({
        method: 'POST',
        rawPath: '/text',
        headers: { host: 'x', 'content-type': 'text/plain' },
        body: text,
      }),
    )
    expect(result.body).toBe(text)
    const echoed = await invoke(
      event({ method: 'POST', rawPath: '/echo', headers: { host: 'x' }, body: text }),
    )
    expect(JSON.parse(echoed.body).contentLength).toBe(String(Buffer.byteLength(text)))
  })

  it('answers PDF and PNG bodies in base64, byte for byte', async () => {
    const pdf = await invoke(event({ rawPath: '/pdf' }))
    expect(pdf).toMatchObject({ statusCode: 200, isBase64Encoded: true })
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(new Uint8Array(Buffer.from(pdf.body, 'base64'))).toEqual(PDF)
    const png = await invoke(event({ rawPath: '/png' }))
    expect(png).toMatchObject({ statusCode: 200, isBase64Encoded: true })
    expect(png.headers).toMatchObject({ 'content-type': 'image/png', 'cache-control': 'max-age=60' })
    expect(new Uint8Array(Buffer.from(png.body, 'base64'))).toEqual(PNG)
  })

  it('answers HEAD with the GET’s status and headers and no body', async () => {
    const get = await invoke(event({ rawPath: '/text' }))
    const head = await invoke(event({ rawPath: '/text', method: 'HEAD' }))
    expect(get.body).toBe('halo dunia')
    expect(head).toMatchObject({ statusCode: 200, body: '', isBase64Encoded: false })
    expect(head.headers).toEqual(get.headers)
  })

  it('reads a streamed answer whole, and answers redirects and empty bodies', async () => {
    expect((await invoke(event({ rawPath: '/stream' }))).body).toBe('satu dua')
    const gone = await invoke(event({ rawPath: '/gone' }))
    expect(gone).toMatchObject({ statusCode: 303, body: '' })
    expect(gone.headers.location).toBe('/elsewhere')
    expect(await invoke(event({ rawPath: '/empty' }))).toMatchObject({ statusCode: 204, body: '' })
  })

  it('answers an unknown route with Hono’s 404', async () => {
    expect((await invoke(event({ rawPath: '/nowhere' }))).statusCode).toBe(404)
  })

  it('refuses an event that is not an HTTP API (payload 2.0) request with a 400 problem, before the app runs', async () => {
    const v1 = { httpMethod: 'GET', path: '/inspect', headers: {}, requestContext: { requestId: 'x' } }
    const badHeader = event({ headers: { host: 'x', 'bad header': 'x' } })
    const badMethod = event({ method: 'GET POST' })
    const bodyOnGet = event({ body: 'x' })
    for (const input of [undefined, null, {}, 'GET /', v1, badHeader, badMethod, bodyOnGet]) {
      const result = await invoke(input)
      expect(result.statusCode).toBe(400)
      expect(result.headers['content-type']).toBe('application/problem+json; charset=utf-8')
      expect(JSON.parse(result.body)).toMatchObject({ status: 400, title: 'Bad Request' })
    }
  })
})

describe('The light Fetch classes', () => {
  it('keep headers case-insensitive, in order, with each Set-Cookie apart', () => {
    const headers = new LightHeaders({ 'Content-Type': 'text/plain', Vary: 'Accept' })
    headers.append('vary', 'Origin')
    headers.append('Set-Cookie', 'a=1')
    headers.append('set-cookie', 'b=2')
    expect(headers.get('content-type')).toBe('text/plain')
    expect(headers.get('VARY')).toBe('Accept, Origin')
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect([...headers]).toEqual([
      ['content-type', 'text/plain'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['vary', 'Accept, Origin'],
    ])
    headers.delete('Vary')
    expect(headers.has('vary')).toBe(false)
    expect(() => headers.set('bad name', 'x')).toThrow(TypeError)
    expect(() => headers.set('x-a', 'line\r\nbreak')).toThrow(TypeError)
  })

  it('read a body once, clone it before, and pass instanceof for Node’s own classes', async () => {
    const response = LightResponse.json({ a: 1 }, { status: 201 })
    expect(response.headers.get('content-type')).toBe('application/json')
    const copy = response.clone()
    expect(await response.json()).toEqual({ a: 1 })
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
    expect(await copy.text()).toBe('{"a":1}')
    expect(() => new LightResponse('x', { status: 204 })).toThrow(TypeError)
    expect(() => new LightResponse(null, { status: 99 })).toThrow(RangeError)
    expect(new native.Response('x')).toBeInstanceOf(LightResponse)
    expect(new native.Headers()).toBeInstanceOf(LightHeaders)
    expect(new native.Request('https://x/')).toBeInstanceOf(LightRequest)
  })

  it('hand a body on to a new response without reading it, as Hono does after a header changes', async () => {
    const first = new LightResponse('halo', { headers: { 'content-type': 'text/plain' } })
    const second = new LightResponse(first.body, first)
    expect(second.headers.get('content-type')).toBe('text/plain')
    expect(await second.text()).toBe('halo')
    const streamed = new LightResponse('dunia')
    const reader = streamed.body?.getReader()
    expect(streamed.bodyUsed).toBe(true)
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('dunia')
  })

  it('build a request from another, with its body, and parse form bodies', async () => {
    const original = new LightRequest('https://x/a/../b?q=1', {
      method: 'post',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Made&needs=packaging&needs=content',
    })
    expect(original.url).toBe('https://x/b?q=1')
    expect(original.method).toBe('POST')
    const copy = new LightRequest(original)
    const form = await copy.formData()
    expect(form.getAll('needs')).toEqual(['packaging', 'content'])
    expect(() => new LightRequest('https://x/', { method: 'GET', body: 'x' })).toThrow(TypeError)
    expect(() => new LightRequest('not a url')).toThrow(TypeError)
  })
})
