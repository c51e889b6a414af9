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

  it('leaves only errors it knows and accepts: answers, and public writes being public', () => {
    // Answers' own shapes (string and array bounds on what we send), rate-limit headers on reads
    // (reads are capped by API Gateway, not per client, so no quota is announced), CORS origins (set
    // per stage by infra, not in the document), and the public writes, public by design.
    const accepted = (diagnostic: ISpectralDiagnostic) =>
      (diagnostic.path[3] === 'responses' &&
        /string-limit|array-limit|api4:2023-rate-limit$|define-cors-origin/.test(String(diagnostic.code))) ||
      String(diagnostic.code) === 'owasp:api2:2023-write-restricted'
    expect(summary(errors().filter((diagnostic) => !accepted(diagnostic)))).toEqual([])
    const writes = errors().filter((diagnostic) => diagnostic.code === 'owasp:api2:2023-write-restricted')
    for (const diagnostic of writes) {
      const [, path = '', method = ''] = diagnostic.path.map(String)
      expect(spec.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([])
    }
  })

  it('declares `security: []` on every public operation, and some security on every other', () => {
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, operation] of Object.entries(item))
        expect(Array.isArray(operation.security), `${method.toUpperCase()} ${path}`).toBe(true)
    expect(spec.paths['/v1/requests']?.post?.security).toEqual([])
    expect(spec.paths['/v1/mentor-applications']?.post?.security).toEqual([])
  })

  it('calls public exactly the operations meant for anyone', () => {
    const PUBLIC = [
      // Asking for help, applying, registering for a class, and their pages.
      /^POST \/v1\/(requests|mentor-applications|classes\/\{id\}\/registrations)$/,
      /^(GET|POST) \/(kelas|en\/classes)\/\{id\}(\/(undian|draw))?$/,
      /^GET \/v1\/classes(\/\{id\}(\/draw)?)?$/,
      // A participant's private page takes its token from its link (the classes' own design).
      /^(GET|POST) \/peserta\/\{id\}(\/\{action\})?$/,
      // Verifying a certificate is anyone's right: its page, PDF, credential, badge, status list, keys.
      /^GET \/(sertifikat|en\/certificate)\/\{id\}$/,
      /^GET \/v1\/certificates\/\{id\}(\/(pdf|credential|badge\.png))?$/,
      /^GET \/v1\/status-lists\/\{listId\}$/,
      /^GET \/openbadges\/(keys\/\{thumbprint\}|issuers\/\{region\})$/,
    ]
    const open = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.security?.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect(open.filter((operation) => !PUBLIC.some((pattern) => pattern.test(operation)))).toEqual([])
  })

  it('documents 429 with Retry-After and the rate-limit headers on every write', () => {
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'get') continue
        const limited = operation.responses?.['429']
        expect(limited, `${method.toUpperCase()} ${path}`).toBeDefined()
        expect(Object.keys(limited?.headers ?? {}).map((name) => name.toLowerCase())).toEqual(
          expect.arrayContaining(['retry-after', 'ratelimit', 'ratelimit-policy']),
        )
      }
  })

  it('names its servers and its license', () => {
    expect(spec.servers?.length).toBeGreaterThan(0)
    expect(spec.info.license?.name).toBeTruthy()
  })
})
