import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { LocalKeySet } from '@pendamping/scripts/local/keys'
import { LOCAL_JWKS_PATH, type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import { dynamoEndpoint, useTestTable } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const table = useTestTable({ stream: true })
let dir: string
let keyFile: string
let stack: LocalStack
let stopped = false

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendamping-stack-'))
  keyFile = join(dir, 'keys.json')
  stack = await startLocalStack({
    dynamoEndpoint: dynamoEndpoint(),
    tableName: table.tableName,
    port: 0,
    keyFile,
  })
})

afterAll(async () => {
  if (!stopped) await stack?.stop()
  await rm(dir, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${path}`, { headers })

describe('The local stack, over real HTTP', () => {
  it('serves /health, /openapi.json and /docs', async () => {
    expect(stack.url).toMatch(/^http:\/\/localhost:\d+$/)
    expect(stack.tableName).toBe(table.tableName)

    const health = await get('/health')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect(health.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/)

    const openapi = await get('/openapi.json')
    expect(openapi.status).toBe(200)
    expect(await openapi.json()).toMatchObject({ openapi: '3.1.0' })

    const docs = await get('/docs')
    expect(docs.status).toBe(200)
    expect(docs.headers.get('content-type')).toContain('text/html')
    expect(await docs.text()).toContain('Pendamping API')
  })

  it('publishes only the public half of its signing key as a JWKS', async () => {
    const response = await get(LOCAL_JWKS_PATH)
    expect(response.status).toBe(200)
    const jwks = (await response.json()) as { keys: Array<Record<string, unknown>> }
    expect(jwks).toEqual(stack.keys.jwks)
    expect(jwks.keys).toHaveLength(1)
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret)
    }
  })

  it('accepts a token from its key set, verified through the JWKS it serves', async () => {
    const token = await stack.keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    expect((await get('/health', { authorization: `Bearer ${token}` })).status).toBe(200)
  })

  it('refuses a token from another key set, or a tampered one, with a 401 problem', async () => {
    const stranger = await (await LocalKeySet.generate()).sign({
      sub: 'staff-1',
      role: 'staff',
      region: '35.73',
    })
    const refused = await get('/health', { authorization: `Bearer ${stranger}` })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect(await refused.json()).toMatchObject({ type: 'urn:pendamping:problem:unauthorized', status: 401 })

    const token = await stack.keys.sign({ sub: 'staff-1', role: 'staff', region: '35.73' })
    const tampered = `${token.slice(0, -6)}AAAAAA`
    expect((await get('/health', { authorization: `Bearer ${tampered}` })).status).toBe(401)
  })

  it('accepts what `npm run token` prints when both use the same key file', async () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'packages/scripts/src/token.ts',
        '--role',
        'mentor',
        '--region',
        '35.73',
        '--key-file',
        keyFile,
      ],
      { cwd: root, encoding: 'utf8', timeout: 20_000 },
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const response = await get('/health', { authorization: `Bearer ${result.stdout.trim()}` })
    expect(response.status).toBe(200)
  })

  it('closes its server on stop()', async () => {
    const url = stack.url
    await stack.stop()
    stopped = true
    await expect(fetch(`${url}/health`)).rejects.toThrow(TypeError)
  })
})
