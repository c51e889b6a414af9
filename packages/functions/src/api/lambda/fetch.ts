/**
 * A light Fetch API — `Headers`, `Request`, `Response` — for the API function on Lambda
 * ([ADR 0012](../../../../../docs/decisions/0012-lazy-lambda-request.md)).
 *
 * Node exposes fetch's classes from its bundled undici, which it loads the first time any of them is
 * touched: about 17 ms of a cold start that answers `GET /health` in ~50 ms. Hono builds every
 * answer with `new Response` and `new Headers` through the globals, so the Lambda entry installs
 * these classes as the globals ({@link installLightFetch}) and a cold request never loads undici.
 * `fetch` itself stays undici's (the JWKS and the sign-in provider are fetched with it), and its
 * responses pass `instanceof Response`.
 *
 * Bodies are kept as they came (a string, bytes, a `Blob`, a stream) and converted only when read:
 * `text()` of a string body is the string. A `ReadableStream` is built only when someone reads
 * `body`. Not supported: a `FormData` *body* (multipart encoding; the app never sends one). Reading
 * `formData()` works: form-urlencoded here, multipart through undici, loaded then.
 */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const UNSAFE_VALUE = /[\0\r\n]/
const OUTER_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g
const NOT_BYTES = /[\u0100-\uFFFF]/
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308])

const tagOf = (value: unknown) => Object.prototype.toString.call(value)

function headerName(name: string): string {
  const text = String(name)
  if (!TOKEN.test(text)) throw new TypeError(`Invalid header name: "${text}"`)
  return text.toLowerCase()
}

function headerValue(value: string): string {
  const text = String(value).replace(OUTER_WHITESPACE, '')
  if (UNSAFE_VALUE.test(text) || NOT_BYTES.test(text)) throw new TypeError('Invalid header value')
  return text
}

type HeadersSource = Headers | LightHeaders | Iterable<readonly [string, string]> | Record<string, string>

/** The Fetch `Headers`: names lowercased, iterated in order, `set-cookie` values kept apart. */
export class LightHeaders {
  readonly #values = new Map<string, string[]>()

  static [Symbol.hasInstance](value: unknown): boolean {
    return tagOf(value) === '[object Headers]'
  }

  constructor(init?: HeadersSource | null) {
    if (init == null) return
    if (typeof init !== 'object') throw new TypeError('Headers init must be an object')
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (pair.length !== 2) throw new TypeError('Headers init pairs must have two items')
        this.append(pair[0], pair[1])
      }
      return
    }
    for (const name of Object.keys(init)) this.append(name, (init as Record<string, string>)[name] as string)
  }

  get [Symbol.toStringTag]() {
    return 'Headers'
  }

  append(name: string, value: string): void {
    const key = headerName(name)
    const values = this.#values.get(key)
    if (values) values.push(headerValue(value))
    else this.#values.set(key, [headerValue(value)])
  }

  set(name: string, value: string): void {
    this.#values.set(headerName(name), [headerValue(value)])
  }

  delete(name: string): void {
    this.#values.delete(headerName(name))
  }

  get(name: string): string | null {
    return this.#values.get(headerName(name))?.join(', ') ?? null
  }

  has(name: string): boolean {
    return this.#values.has(headerName(name))
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])]
  }

  *entries(): HeadersIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name)
      if (!values) continue
      if (name === 'set-cookie') for (const value of values) yield [name, value]
      else yield [name, values.join(', ')]
    }
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  forEach(callback: (value: string, name: string, headers: this) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this)
  }

  [Symbol.iterator]() {
    return this.entries()
  }
}

type BodySource = string | Uint8Array | Blob | ReadableStream<Uint8Array>
export type LightBodyInit = BodySource | ArrayBuffer | ArrayBufferView | URLSearchParams | null | undefined

/** A body as it came, and the content type it implies (`null` when it implies none). */
function extractBody(init: LightBodyInit): { source: BodySource | null; type: string | null } {
  if (init == null) return { source: null, type: null }
  if (typeof init === 'string') return { source: init, type: 'text/plain;charset=UTF-8' }
  if (init instanceof URLSearchParams)
    return { source: init.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' }
  if (init instanceof ArrayBuffer) return { source: new Uint8Array(init.slice(0)), type: null }
  if (ArrayBuffer.isView(init))
    return {
      source: new Uint8Array(init.buffer.slice(init.byteOffset, init.byteOffset + init.byteLength)),
      type: null,
    }
  if (init instanceof Blob) return { source: init, type: init.type || null }
  if (isStream(init)) return { source: sourceOf(init), type: null }
  if (tagOf(init) === '[object FormData]')
    throw new TypeError('FormData bodies are not supported by the Lambda entry (docs/decisions/0012)')
  return { source: String(init), type: 'text/plain;charset=UTF-8' }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(typeof value === 'string' ? encoder.encode(value) : value)
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks)
}

const SOURCE = Symbol('source')
/** Node's `ReadableStream` is async-iterable; the DOM typings say otherwise. */
type NodeReadableStream = { values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array> }
const isStream = (source: unknown): source is ReadableStream<Uint8Array> =>
  typeof (source as ReadableStream | null)?.getReader === 'function'

/** The source behind a `body` handed out, while nobody has read it as a stream; else the stream. */
function sourceOf(stream: ReadableStream<Uint8Array>): BodySource {
  return (stream as unknown as Partial<LazyStream>)[SOURCE] ?? stream
}

/**
 * A body's `ReadableStream`, made only when someone reads it as one. Hono hands a response's `body`
 * to a new `Response` whenever a middleware sets a header after the handler answered; the new
 * response takes the source back from here ({@link extractBody}) and no stream is ever built.
 */
class LazyStream {
  readonly #source: Exclude<BodySource, ReadableStream>
  #real: ReadableStream<Uint8Array> | undefined

  constructor(source: Exclude<BodySource, ReadableStream>) {
    this.#source = source
  }

  /** The source, while no stream was made of it. */
  get [SOURCE](): BodySource | undefined {
    return this.#real ? undefined : this.#source
  }

  get [Symbol.toStringTag]() {
    return 'ReadableStream'
  }

  #stream(): ReadableStream<Uint8Array> {
    if (this.#real) return this.#real
    const source = this.#source
    if (source instanceof Blob) this.#real = source.stream() as ReadableStream<Uint8Array>
    else {
      const bytes = typeof source === 'string' ? encoder.encode(source) : source
      this.#real = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes)
          controller.close()
        },
      })
    }
    return this.#real
  }

  get locked(): boolean {
    return this.#real?.locked ?? false
  }

  getReader(...args: Parameters<ReadableStream<Uint8Array>['getReader']>) {
    return this.#stream().getReader(...(args as []))
  }

  cancel(reason?: unknown) {
    return this.#stream().cancel(reason)
  }

  pipeTo(...args: Parameters<ReadableStream<Uint8Array>['pipeTo']>) {
    return this.#stream().pipeTo(...args)
  }

  pipeThrough<T>(transform: ReadableWritablePair<T, Uint8Array>, options?: StreamPipeOptions) {
    return this.#stream().pipeThrough(transform, options)
  }

  tee() {
    return this.#stream().tee()
  }

  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array> {
    return (this.#stream() as unknown as NodeReadableStream).values(options)
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.values()
  }
}

/**
 * What `Request` and `Response` share: the body, read once. A source may be a function, called on
 * the first read (the Lambda event's base64 body is decoded only then).
 */
abstract class LightBody {
  #source: BodySource | (() => BodySource) | null
  #stream: ReadableStream<Uint8Array> | undefined
  #used = false
  abstract readonly headers: LightHeaders

  constructor(source: BodySource | (() => BodySource) | null) {
    this.#source = source
  }

  #resolved(): BodySource | null {
    if (typeof this.#source === 'function') this.#source = this.#source()
    return this.#source
  }

  get body(): ReadableStream<Uint8Array> | null {
    const source = this.#resolved()
    if (source === null) return null
    this.#stream ??= isStream(source)
      ? source
      : (new LazyStream(source) as unknown as ReadableStream<Uint8Array>)
    return this.#stream
  }

  get bodyUsed(): boolean {
    return this.#used || (this.#stream?.locked ?? false)
  }

  /** Takes `source` as this body's (a copy's body, made without converting it again). */
  protected adopt(source: BodySource | null): void {
    this.#source = source
    this.#stream = undefined
  }

  /** What to read: the source, or the stream handed out as `body` once someone has begun reading it. */
  #current(): BodySource | null {
    return this.#stream ? sourceOf(this.#stream) : this.#resolved()
  }

  /** The body's source for a copy (`clone`, `new Request(request)`): a stream is split in two. */
  protected takeSource(forClone: boolean): BodySource | null {
    if (this.bodyUsed) throw new TypeError('Body is unusable: it has already been read')
    const source = this.#current()
    if (source === null || !forClone || !isStream(source)) return source
    const [mine, theirs] = source.tee()
    this.#source = mine
    this.#stream = undefined
    return theirs
  }

  #consume(): BodySource | null {
    if (this.bodyUsed) throw new TypeError('Body is unusable: it has already been read')
    this.#used = true
    return this.#current()
  }

  async text(): Promise<string> {
    const source = this.#consume()
    if (source === null) return ''
    if (typeof source === 'string') return source
    return decoder.decode(await bytesOf(source))
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const source = this.#consume()
    if (source === null) return new Uint8Array(0)
    if (typeof source === 'string') return encoder.encode(source)
    const bytes = await bytesOf(source)
    return new Uint8Array(bytes)
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' })
  }

  /** Form-urlencoded bodies here; multipart through undici's `Response` (loaded then, off the cold path). */
  async formData(): Promise<FormData> {
    const type = this.headers.get('content-type') ?? ''
    if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
      const form = new FormData()
      for (const [name, value] of new URLSearchParams(await this.text())) form.append(name, value)
      return form
    }
    // undici's own Response, reached through `fetch`, which this module leaves alone.
    const Native = (await fetch('data:,')).constructor as typeof Response
    return new Native(await this.bytes(), { headers: { 'content-type': type } }).formData()
  }
}

async function bytesOf(source: BodySource): Promise<Uint8Array> {
  if (typeof source === 'string') return encoder.encode(source)
  if (source instanceof Uint8Array) return source
  if (source instanceof Blob) return new Uint8Array(await source.arrayBuffer())
  return readStream(source)
}

export interface LightResponseInit {
  status?: number
  statusText?: string
  headers?: HeadersSource | null
}

/** The Fetch `Response`; an instance of undici's (from `fetch`) passes `instanceof` too. */
export class LightResponse extends LightBody {
  readonly status: number
  readonly statusText: string
  readonly headers: LightHeaders
  readonly type = 'default'
  readonly url = ''
  readonly redirected = false

  static override [Symbol.hasInstance](value: unknown): boolean {
    return tagOf(value) === '[object Response]'
  }

  static json(data: unknown, init: LightResponseInit = {}): LightResponse {
    const text = JSON.stringify(data)
    if (text === undefined) throw new TypeError('The data is not JSON serializable')
    const response = new LightResponse(text, init)
    if (!init.headers || !new LightHeaders(init.headers).has('content-type'))
      response.headers.set('content-type', 'application/json')
    return response
  }

  static redirect(url: string | URL, status = 302): LightResponse {
    if (!REDIRECT_STATUS.has(status)) throw new RangeError(`Invalid redirect status ${status}`)
    return new LightResponse(null, { status, headers: { location: new URL(String(url)).href } })
  }

  static error(): LightResponse {
    const response = new LightResponse(null, { status: 200 })
    Object.defineProperties(response, { status: { value: 0 }, type: { value: 'error' } })
    return response
  }

  constructor(body?: LightBodyInit, init: LightResponseInit = {}) {
    const { source, type } = extractBody(body)
    super(source)
    const status = init.status ?? 200
    if (!Number.isInteger(status) || status < 200 || status > 599)
      throw new RangeError(`Invalid response status ${status}`)
    if (source !== null && NULL_BODY_STATUS.has(status))
      throw new TypeError(`A ${status} response cannot have a body`)
    this.status = status
    this.statusText = init.statusText ?? ''
    this.headers = new LightHeaders(init.headers)
    if (type && !this.headers.has('content-type')) this.headers.set('content-type', type)
  }

  get [Symbol.toStringTag]() {
    return 'Response'
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }

  clone(): LightResponse {
    const copy = new LightResponse(null, this)
    copy.adopt(this.takeSource(true))
    return copy
  }
}

export interface LightRequestInit {
  method?: string
  headers?: HeadersSource | null
  body?: LightBodyInit | (() => BodySource)
  signal?: AbortSignal | null
  duplex?: 'half'
}

const SAFE_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']

function normalizeMethod(method: string): string {
  if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method`)
  const upper = method.toUpperCase()
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK')
    throw new TypeError(`'${method}' HTTP method is unsupported`)
  return SAFE_METHODS.includes(upper) ? upper : method
}

interface RequestLike {
  url: string
  method: string
  headers: Iterable<readonly [string, string]>
  signal?: AbortSignal
}

const isRequestLike = (value: unknown): value is RequestLike =>
  value instanceof LightRequest || tagOf(value) === '[object Request]'

/** The Fetch `Request`; an instance of undici's passes `instanceof` too. */
export class LightRequest extends LightBody {
  readonly method: string
  readonly url: string
  readonly headers: LightHeaders
  #signal: AbortSignal | null | undefined
  readonly cache = 'default'
  readonly credentials = 'same-origin'
  readonly destination = ''
  readonly integrity = ''
  readonly keepalive = false
  readonly mode = 'cors'
  readonly redirect = 'follow'
  readonly referrer = 'about:client'
  readonly referrerPolicy = ''
  readonly duplex = 'half'

  static override [Symbol.hasInstance](value: unknown): boolean {
    return tagOf(value) === '[object Request]'
  }

  constructor(input: string | URL | RequestLike, init: LightRequestInit = {}) {
    const from = isRequestLike(input) ? input : undefined
    const method = normalizeMethod(init.method ?? from?.method ?? 'GET')
    let source: BodySource | (() => BodySource) | null = null
    let type: string | null = null
    if (typeof init.body === 'function') source = init.body
    else if (init.body != null) ({ source, type } = extractBody(init.body))
    else if (
      init.body === undefined &&
      from !== undefined &&
      Object.prototype.isPrototypeOf.call(LightRequest.prototype, from)
    )
      source = (from as LightRequest).takeSource(false)
    else if (init.body === undefined && from)
      source = (from as { body?: ReadableStream<Uint8Array> | null }).body ?? null
    if (source !== null && (method === 'GET' || method === 'HEAD'))
      throw new TypeError('A GET or HEAD request cannot have a body')
    super(source)
    this.method = method
    this.url = from ? from.url : new URL(String(input)).href
    this.headers = new LightHeaders(init.headers ?? from?.headers)
    if (type && !this.headers.has('content-type')) this.headers.set('content-type', type)
    this.#signal = init.signal ?? from?.signal
  }

  get [Symbol.toStringTag]() {
    return 'Request'
  }

  get signal(): AbortSignal {
    this.#signal ??= new AbortController().signal
    return this.#signal
  }

  clone(): LightRequest {
    const copy = new LightRequest(this, { body: null })
    copy.adopt(this.takeSource(true))
    return copy
  }
}

/**
 * Makes these classes the process's `Headers`, `Request` and `Response`, as `@hono/node-server`
 * does with its own; `fetch` stays Node's. Call it before the first request; on Lambda only.
 */
export function installLightFetch(): void {
  for (const [name, value] of [
    ['Headers', LightHeaders],
    ['Request', LightRequest],
    ['Response', LightResponse],
  ] as const) {
    // Deleted first: redefining Node's lazy global in place would load undici to read it.
    delete (globalThis as Record<string, unknown>)[name]
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false })
  }
}
