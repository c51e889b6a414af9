/**
 * The OpenAPI document measured against the OWASP API Security Top 10 ruleset for Spectral
 * (`@stoplight/spectral-owasp-ruleset`). The document is generated in-process from the app, exactly as
 * `/openapi.json` serves it, so what clients read is what is checked; nothing is stored.
 */
import { Document, type ISpectralDiagnostic, Spectral } from '@stoplight/spectral-core'
import owasp from '@stoplight/spectral-owasp-ruleset'
import { Json } from '@stoplight/spectral-parsers'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

type Operation = {
  security?: unknown[]
  responses?: Record<string, { headers?: Record<string, unknown> }>
}
type OpenApi = {
  servers?: Array<{ url: string }>
  info: { license?: { name: string } }
  paths: Record<string, Record<string, Operation>>
}

type Bounded = {
  maxLength?: number
  maxItems?: number
  properties?: Record<string, Bounded>
  anyOf?: Bounded[]
}

let spec: OpenApi
let diagnostics: ISpectralDiagnostic[]

const errors = () => diagnostics.filter((diagnostic) => diagnostic.severity === 0)
/** Where a diagnostic points: `paths./v1/requests.post.requestBody…`. */
const at = (diagnostic: ISpectralDiagnostic) => diagnostic.path.join('.')
const summary = (found: ISpectralDiagnostic[]) =>
  found.map((diagnostic) => `${diagnostic.code} at ${at(diagnostic)}`)

beforeAll(async () => {
  const app = createApp({
    // The document is built from the routes alone: no store call is made.
    store: { doc: {} as never, tableName: 'unused' },
    verifyToken: async () => {
      throw new Error('No tokens here')
    },
    corsOrigins: [],
    // The document's own read is not counted: there is no table here.
    rateLimits: false,
  })
  const response = await app.request('/openapi.json')
  expect(response.status).toBe(200)
  spec = (await response.json()) as OpenApi
  const spectral = new Spectral()
  spectral.setRuleset(owasp)
  diagnostics = await spectral.run(new Document(JSON.stringify(spec), Json, '/openapi.json'))
  const byRule = new Map<string, number>()
  for (const diagnostic of errors())
    byRule.set(String(diagnostic.code), (byRule.get(String(diagnostic.code)) ?? 0) + 1)
  console.info(
    `OWASP ruleset: ${errors().length} errors, ${diagnostics.length - errors().length} warnings/hints`,
    Object.fromEntries(byRule),
  )
}, 60_000)

describe('The OpenAPI document against the OWASP API Security ruleset', () => {
  it('has no error on any request parameter or body (string bounds, integer formats, credentials in URLs)', () => {
    // `paths.<path>.<method>.parameters|requestBody…`
    const inputs = errors().filter(
      (diagnostic) => diagnostic.path[3] === 'parameters' || diagnostic.path[3] === 'requestBody',
    )
    expect(summary(inputs)).toEqual([])
  })

  it('puts no credential in a URL', () => {
    const inUrl = diagnostics.filter((diagnostic) =>
      /no-(api-keys|credentials)-in-url|concerning-url-parameter/.test(String(diagnostic.code)),
    )
    expect(summary(inUrl)).toEqual([])
  })

  it('has no error at all: answers bounded, every answer rate-limited, every write secured or public by name', () => {
    expect(summary(errors())).toEqual([])
  })

  it('declares anonymous access (`security: [{}]`) on every public operation, and a scheme on every other', () => {
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, operation] of Object.entries(item))
        expect(operation.security?.length, `${method.toUpperCase()} ${path}`).toBeGreaterThan(0)
    expect(spec.paths['/v1/requests']?.post?.security).toEqual([{}])
    expect(spec.paths['/v1/mentor-applications']?.post?.security).toEqual([{}])
  })

  it('calls public exactly the operations meant for anyone', () => {
    const PUBLIC = [
      // Asking for help, applying, registering for a class, and their pages.
      /^POST \/v1\/(requests|mentor-applications|classes\/\{id\}\/registrations)$/,
      /^(GET|POST) \/(kelas|en\/classes)\/\{id\}(\/(undian|draw))?$/,
      /^GET \/v1\/classes(\/\{id\}(\/draw)?)?$/,
      // Issue 17: a person who lost their private link asks for a code, then answers it.
      /^POST \/v1\/link-recovery(\/\{id\}\/code)?$/,
      // A participant's private page: its link's token is exchanged for the participant's cookie.
      /^(GET|POST) \/peserta\/\{id\}(\/\{action\})?$/,
      // Verifying a certificate is anyone's right: its page, PDF, credential, badge, status list, keys.
      /^GET \/(sertifikat|en\/certificate)\/\{id\}$/,
      /^GET \/v1\/certificates\/\{id\}(\/(pdf|credential|badge\.png))?$/,
      /^GET \/v1\/status-lists\/\{listId\}$/,
      /^GET \/openbadges\/(keys\/\{thumbprint\}|issuers\/\{region\})$/,
    ]
    const open = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => JSON.stringify(operation.security) === '[{}]')
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect(open.filter((operation) => !PUBLIC.some((pattern) => pattern.test(operation)))).toEqual([])
  })

  it('documents 429 with Retry-After, and the rate-limit headers on every 2xx and 4xx answer, of every read and write', () => {
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, operation] of Object.entries(item)) {
        const limited = operation.responses?.['429']
        expect(limited, `${method.toUpperCase()} ${path}`).toBeDefined()
        expect(Object.keys(limited?.headers ?? {}).map((name) => name.toLowerCase())).toEqual(
          expect.arrayContaining(['retry-after', 'ratelimit', 'ratelimit-policy']),
        )
        for (const [status, response] of Object.entries(operation.responses ?? {}))
          if (/^[24]/.test(status))
            expect(Object.keys(response.headers ?? {}), `${method.toUpperCase()} ${path} ${status}`).toEqual(
              expect.arrayContaining(['RateLimit', 'RateLimit-Policy']),
            )
      }
  })

  it('bounds what it answers by what was accepted: a business name as its input, an id as ids are', () => {
    const request = spec.paths['/v1/requests/{id}']?.get?.responses?.['200'] as unknown as {
      content: { 'application/json': { schema: Bounded } }
    }
    const info = request.content['application/json'].schema
    const business = info.properties?.business?.anyOf?.[0]
    expect(business?.properties?.name?.maxLength).toBe(120)
    expect(info.properties?.id?.maxLength).toBe(64)
    expect(info.properties?.needs?.maxItems).toBe(5)
  })

  it('names its servers and its license', () => {
    expect(spec.servers?.length).toBeGreaterThan(0)
    expect(spec.info.license?.name).toBeTruthy()
  })
})
