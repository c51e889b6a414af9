/**
 * `npm run bench:cold`: the API function's cold start against the floor (docs/contract/budgets.md).
 *
 * Builds both with `lambdaBundle` (the options SST deploys with), then alternately starts fresh Node
 * processes, each of which loads one bundle and answers one API Gateway HTTP API (v2) event,
 * `GET /health`, and reports `performance.now()` — milliseconds since the process started — when the
 * response is ready. Alternating keeps both sides under the same machine noise.
 *
 * Flags: `--runs=N` (default 30 per side), `--sdk=external`, `--splitting`/`--no-splitting`,
 * `--breakdown` (also time the floor plus each piece of the API, to see what a cold start pays for;
 * runs by itself when the ratio is over budget).
 */
import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { handlers } from '../../../functions/src/wiring.ts'
import { type BundleOverrides, type BundleReport, buildBundle, kb, lambdaBundle, root } from '../build.ts'

const BUDGET_RATIO = 1.25
const BUDGET_BYTES = 500 * 1024
const benchDir = join(root, 'dist', 'bench')

/** What API Gateway sends for `GET /health` on the `$default` route of an HTTP API (payload 2.0). */
export const healthEvent = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/health',
  rawQueryString: '',
  headers: {
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': 'id-ID,id;q=0.9,en;q=0.8',
    'content-length': '0',
    host: 'abc123xyz9.execute-api.ap-southeast-3.amazonaws.com',
    'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36',
    'x-amzn-trace-id': 'Root=1-67d1a2b3-0123456789abcdef01234567',
    'x-forwarded-for': '36.68.12.34',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123xyz9',
    domainName: 'abc123xyz9.execute-api.ap-southeast-3.amazonaws.com',
    domainPrefix: 'abc123xyz9',
    http: {
      method: 'GET',
      path: '/health',
      protocol: 'HTTP/1.1',
      sourceIp: '36.68.12.34',
      userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36',
    },
    requestId: 'Hq0b1gXyoAMEV7A=',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2025:08:15:42 +0000',
    timeEpoch: 1741767342000,
  },
  isBase64Encoded: false,
}

/** The environment Lambda gives a function, plus what the API reads at load (README § Configuration). */
const lambdaEnvironment = {
  AWS_REGION: 'ap-southeast-3',
  AWS_DEFAULT_REGION: 'ap-southeast-3',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'pendamping-bench-Api',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH1',
  AWS_SECRET_ACCESS_KEY: 'bench/bench/bench/bench/bench/bench/bench0',
  AWS_SESSION_TOKEN: 'bench',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
  AUTH_JWKS_URL:
    'https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_bench/.well-known/jwks.json',
  AUTH_ISSUER: 'https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_bench',
  SST_RESOURCE_App: JSON.stringify({ name: 'pendamping', stage: 'bench' }),
  SST_RESOURCE_Table: JSON.stringify({ name: 'bench' }),
  // Rate limits on, as deployed: `/health` is outside the read quota, so the answer never waits on
  // the table (there is none here).
}

const lambdaContext = {
  awsRequestId: 'bench-0000-0000-0000-000000000000',
  functionName: lambdaEnvironment.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:ap-southeast-3:123456789012:function:${lambdaEnvironment.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: '1024',
  logGroupName: `/aws/lambda/${lambdaEnvironment.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: '2025/03/12/[$LATEST]bench',
  callbackWaitsForEmptyEventLoop: true,
}

/**
 * The fresh process: load the bundle, answer the event, report when the answer was ready. Written
 * as a file rather than `node -e` so the process starts exactly like Lambda's: by loading a file.
 */
function runnerSource(): string {
  return `const started = performance.now()
const event = ${JSON.stringify(healthEvent)}
const context = { ...${JSON.stringify(lambdaContext)}, getRemainingTimeInMillis: () => 10000 }
const { handler } = await import(process.argv[2])
const loaded = performance.now()
const response = await handler(event, context)
const ready = performance.now()
// Whether Node loaded its Fetch API (undici) on the way: the Lambda entry's light request avoids it (ADR 0012).
const fetchApi = process.moduleLoadList.some((name) => name.includes('undici'))
process.stdout.write('\\nBENCH ' + JSON.stringify({ started, loaded, ready, fetchApi, status: response.statusCode, body: response.body }) + '\\n')
`
}

interface Sample {
  /** Process start → response ready: what the budget is about. */
  ready: number
  /** Process start → the bundle evaluated. */
  loaded: number
  started: number
  /** Whether the process had loaded Node's Fetch API (undici) by the time the answer was ready. */
  fetchApi: boolean
  status: number
  body: string
}

function runOnce(runner: string, moduleFile: string): Promise<Sample> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [runner, pathToFileURL(moduleFile).href], {
      cwd: benchDir,
      env: { PATH: process.env.PATH ?? '', ...lambdaEnvironment },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith('BENCH '))
      if (code !== 0 || !line) {
        reject(new Error(`${moduleFile} exited ${code}\n${stderr || stdout}`))
        return
      }
      resolvePromise(JSON.parse(line.slice('BENCH '.length)) as Sample)
    })
  })
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (sorted.length - 1) * p
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  const lowValue = sorted[low] ?? Number.NaN
  const highValue = sorted[high] ?? Number.NaN
  return lowValue + (highValue - lowValue) * (rank - low)
}

const ms = (value: number) => `${value.toFixed(1)} ms`

interface Side {
  name: string
  report: BundleReport
  samples: Sample[]
}

const medianReady = (side: Side) =>
  percentile(
    side.samples.map((sample) => sample.ready),
    0.5,
  )

/** Alternates fresh processes of each side, after one unmeasured run each to warm the file cache. */
async function measure(sides: Side[], runner: string, runs: number): Promise<void> {
  for (const side of sides) await runOnce(runner, side.report.file)
  for (let run = 0; run < runs; run++) {
    for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
      side.samples.push(await runOnce(runner, side.report.file))
    }
  }
}

/**
 * Where the API's extra time goes: the floor plus one piece of the API at a time, each bundled and
 * started the same way, so each row's distance to the floor is what that piece costs a cold start.
 */
async function measureBreakdown(
  runner: string,
  runs: number,
  overrides: BundleOverrides,
  api: Side,
): Promise<void> {
  const floor = "import { handler as floor } from '../../../packages/scripts/src/bench/floor-handler.ts'\n"
  const probes: Record<string, string> = {
    floor: `${floor}export const handler = floor`,
    '+ Fetch API globals (Node loads undici on first use)': `${floor}const response = new Response('{}', { headers: new Headers({ 'content-type': 'application/json' }) })
export const handler = async (event) => (response.ok ? floor(event) : undefined)`,
    '+ Hono with one route, via the API’s Lambda entry (light Fetch classes, Powertools Logger)': `${floor}import { Hono } from 'hono'
import { handle } from '../../../packages/functions/src/api/lambda/handle.ts'
export const handler = handle(new Hono().get('/health', (c) => c.json({ status: 'ok' })))`,
    '+ Powertools Logger, one line per request': `${floor}import { Logger } from '@aws-lambda-powertools/logger'
const logger = new Logger({ serviceName: 'pendamping' })
export const handler = async (event) => { logger.info('request', { route: event.rawPath, status: 200 }); return floor(event) }`,
    '+ token verifier (jose remote JWKS)': `${floor}import { createTokenVerifier } from '../../../packages/core/src/auth/index.ts'
const verify = createTokenVerifier({ jwksUrl: process.env.AUTH_JWKS_URL, issuer: process.env.AUTH_ISSUER })
export const handler = async (event) => (verify ? floor(event) : undefined)`,
    '+ valibot config read': `${floor}import { config } from '../../../packages/core/src/config/index.ts'
const settings = config()
export const handler = async (event) => (settings ? floor(event) : undefined)`,
    '+ hono-openapi': `${floor}import { validator } from 'hono-openapi'
export const handler = async (event) => (validator ? floor(event) : undefined)`,
    '+ zod/mini input schemas (requests, mentors, sessions)': `${floor}import { NewRequest } from '../../../packages/core/src/request/input.ts'
import * as mentor from '../../../packages/core/src/mentor/input.ts'
import * as session from '../../../packages/core/src/session/input.ts'
export const handler = async (event) => (NewRequest && mentor && session ? floor(event) : undefined)`,
    '+ Hono with one resource’s routes (/v1/requests, and the API platform it imports first)': `${floor}import { Hono } from 'hono'
import { handle } from '../../../packages/functions/src/api/lambda/handle.ts'
import { requestRoutes } from '../../../packages/functions/src/api/routes/requests.ts'
import { documentClient } from '../../../packages/scripts/src/bench/floor-handler.ts'
const app = new Hono().get('/health', (c) => c.json({ status: 'ok' }))
app.route('/', requestRoutes({ store: { doc: documentClient, tableName: 'bench' } }))
export const handler = handle(app)`,
    '+ the whole Hono app (createApp: every route, logger; no config, no verifier)': `${floor}import { handle } from '../../../packages/functions/src/api/lambda/handle.ts'
import { createApp } from '../../../packages/functions/src/api/app.ts'
import { documentClient } from '../../../packages/scripts/src/bench/floor-handler.ts'
export const handler = handle(createApp({ store: { doc: documentClient, tableName: 'bench' }, verifyToken: async () => { throw new Error('no tokens') }, corsOrigins: [] }))`,
  }
  const probeDir = join(benchDir, 'probes')
  await mkdir(probeDir, { recursive: true })
  const sides: Side[] = []
  for (const [index, [name, source]] of Object.entries(probes).entries()) {
    const slug = `probe-${index}`
    await writeFile(join(probeDir, `${slug}.ts`), source)
    const report = await buildBundle(
      { name: slug, handler: `${join(probeDir, slug)}.handler` },
      {
        ...overrides,
        outdir: join(probeDir, 'dist'),
      },
    )
    sides.push({ name, report, samples: [] })
  }
  const apiProbe: Side = { name: 'the API', report: api.report, samples: [] }
  sides.push(apiProbe)
  await measure(sides, runner, runs)
  const floorMedian = sides[0] ? medianReady(sides[0]) : Number.NaN
  console.log('\nWhere the time goes: the floor plus one piece at a time (fresh process → response ready):\n')
  console.log('| | loaded at start | median | over the floor |')
  console.log('|---|---:|---:|---:|')
  for (const [index, side] of sides.entries()) {
    const median = medianReady(side)
    const extra = index === 0 ? '—' : `${(median - floorMedian).toFixed(1)} ms`
    console.log(`| ${side.name} | ${kb(side.report.startBytes)} | ${ms(median)} | ${extra} |`)
  }
}

async function main() {
  const args = process.argv.slice(2)
  const runs = Number(args.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 30)
  if (!Number.isInteger(runs) || runs < 20) throw new Error('--runs must be an integer ≥ 20')
  const overrides: BundleOverrides = {
    externalSdk: args.includes('--sdk=external'),
    splitting: args.includes('--splitting') ? true : args.includes('--no-splitting') ? false : undefined,
    outdir: benchDir,
  }

  await mkdir(benchDir, { recursive: true })
  const runner = join(benchDir, 'runner.mjs')
  await writeFile(runner, runnerSource())

  const api: Side = {
    name: 'API',
    report: await buildBundle({ name: 'api', handler: handlers.api }, overrides),
    samples: [],
  }
  const floor: Side = {
    name: 'floor',
    report: await buildBundle(
      { name: 'floor', handler: 'packages/scripts/src/bench/floor-handler.handler' },
      overrides,
    ),
    samples: [],
  }

  const check = await runOnce(runner, api.report.file)
  if (check.status !== 200)
    throw new Error(`The API answered GET /health with ${check.status}: ${check.body}`)

  await measure([api, floor], runner, runs)

  const ratio = medianReady(api) / medianReady(floor)
  const ratioPass = ratio <= BUDGET_RATIO
  const apiBytes = api.report.startBytes
  const sizePass = apiBytes <= BUDGET_BYTES
  const splitting = overrides.splitting ?? lambdaBundle.splitting

  const [load] = loadavg()
  console.log(
    `\nCold start, ${runs} fresh Node ${process.versions.node} processes per side, alternating` +
      ` (@aws-sdk ${overrides.externalSdk ? 'external' : 'bundled'}, splitting ${splitting ? 'on' : 'off'};` +
      ` ${availableParallelism()} cores, load ${load?.toFixed(1)}):\n`,
  )
  console.log(
    '| | loaded at start (min) | gzip | all chunks (min) | bundle evaluated (median) | response ready (median) | response ready (p90) |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const side of [api, floor]) {
    const ready = side.samples.map((s) => s.ready)
    const loaded = side.samples.map((s) => s.loaded)
    const { startBytes, gzipBytes, totalBytes } = side.report
    console.log(
      `| ${side.name} | ${kb(startBytes)} | ${kb(gzipBytes)} | ${kb(totalBytes)} | ${ms(percentile(loaded, 0.5))} | ${ms(percentile(ready, 0.5))} | ${ms(percentile(ready, 0.9))} |`,
    )
  }
  console.log(
    `\nNode's Fetch API (undici) loaded before the answer: API ${api.samples.some((s) => s.fetchApi) ? 'yes' : 'no'}, floor ${floor.samples.some((s) => s.fetchApi) ? 'yes' : 'no'}`,
  )
  console.log(`\n| budget | measured | limit | |`)
  console.log('|---|---:|---:|---|')
  console.log(
    `| cold start API / floor (median) | ${ratio.toFixed(2)}× | ${BUDGET_RATIO}× | ${ratioPass ? 'PASS' : 'FAIL'} |`,
  )
  console.log(
    `| API bundle loaded at cold start, minified | ${kb(apiBytes)} | ${kb(BUDGET_BYTES)} | ${sizePass ? 'PASS' : 'FAIL'} |`,
  )

  if (args.includes('--breakdown') || !ratioPass) await measureBreakdown(runner, runs, overrides, api)
  if (!ratioPass || !sizePass) process.exitCode = 1
}

if (import.meta.main) await main()
