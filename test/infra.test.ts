/**
 * `sst.config.ts` run against a recording stand-in for SST's globals: every component records its
 * name and arguments, and the tests hold what infra deploys to what the code declares — the table
 * definition, the handlers in `wiring.ts`, the Hono app's routes, its CORS policy and configuration.
 */

import { marshall } from '@aws-sdk/util-dynamodb'
import { readConfig } from '@pendamping/core/config'
import {
  createDocumentClient,
  createTableInput,
  keyAttributes,
  keys,
  table as tableDefinition,
} from '@pendamping/core/dynamo'
import { EVENT_SOURCE, type EventEnvelope, outboxPut } from '@pendamping/core/event'
import { MESSAGE_LINK_SECRET } from '@pendamping/core/link'
import {
  isSet,
  MESSAGING_REGION,
  SMS_IDENTITY_NOT_SET,
  WHATSAPP_NUMBER_NOT_SET,
} from '@pendamping/core/notification'
import { createApp } from '@pendamping/functions/api/app'
import { SWEEPER_METRICS, SweeperMetric } from '@pendamping/functions/sweeper-metrics'
import * as wiring from '@pendamping/functions/wiring'
import { resolveHandler } from '@pendamping/scripts/build'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { lambdaBundle } from '../infra/bundle.ts'

// ---------------------------------------------------------------------------------------------
// The recording stand-in

/** An Output whose value is already known. */
class Recorded<T> implements $util.Output<T> {
  constructor(readonly value: T) {}
  apply<U>(func: (value: T) => U | $util.Output<U>): $util.Output<U> {
    const result = func(this.value)
    return result instanceof Recorded ? result : new Recorded(result as U)
  }
}

/** A value as deployed: Outputs and Promises resolved, all the way down (functions, which have an
 * `apply` too, left alone). */
type Resolved<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends $util.Output<infer U>
    ? Resolved<U>
    : T extends Promise<infer U>
      ? Resolved<U>
      : T extends readonly (infer E)[]
        ? Resolved<E>[]
        : T extends object
          ? { [K in keyof T]: Resolved<T[K]> }
          : T

function unwrap(value: unknown): unknown {
  if (value instanceof Recorded) return unwrap(value.value)
  if (value instanceof Promise) throw new Error('A Promise reached the recorder; Outputs are expected')
  if (Array.isArray(value)) return value.map(unwrap)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrap(item)]))
  }
  return value
}

/** What an Input becomes once deployed. */
function resolved<T>(value: T): Resolved<T> {
  return unwrap(value) as Resolved<T>
}

const ACCOUNT = '123456789012'
const REGION = 'ap-southeast-3'

interface RecordedRoute {
  api: string
  route: string
  handler: sst.aws.Subscriber
}

interface Deployment {
  stage: string
  tables: Array<{ name: string; args: sst.aws.DynamoArgs }>
  buses: Array<{ name: string; args?: sst.aws.BusArgs }>
  emails: Array<{ name: string; args: sst.aws.EmailArgs }>
  queues: Array<{ name: string; args?: sst.aws.QueueArgs; component: object }>
  userPools: Array<{ name: string; args?: sst.aws.CognitoUserPoolArgs }>
  clients: Array<{
    name: string
    args?: sst.aws.CognitoUserPoolClientArgs
    component: { id: $util.Output<string> }
  }>
  apis: Array<{ name: string; args?: sst.aws.ApiGatewayV2Args }>
  routes: RecordedRoute[]
  streamSubscriptions: Array<{
    name: string
    subscriber: sst.aws.Subscriber
    args?: sst.aws.DynamoSubscriberArgs
  }>
  busSubscriptions: Array<{ name: string; subscriber: sst.aws.Subscriber; args?: sst.aws.BusSubscriberArgs }>
  crons: Array<{ name: string; args: sst.aws.CronArgs }>
  /** Pulumi AWS resources made directly (no SST component): the user pool's domain and login style. */
  cognitoDomains: Array<{ name: string; args: aws.cognito.UserPoolDomainArgs }>
  loginBrandings: Array<{ name: string; args: aws.cognito.ManagedLoginBrandingArgs }>
  alarms: Array<{ name: string; args: aws.cloudwatch.MetricAlarmArgs }>
  topics: Array<{ name: string; component: { arn: $util.Output<string> } }>
  topicSubscriptions: Array<{ name: string; args: aws.sns.TopicSubscriptionArgs }>
  /** Every component by name, to check what functions are linked to. */
  components: Map<string, object>
}

/** SST's `sst.aws` with every constructor replaced by one that records what infra asked for. */
function recordingComponents(deployment: Deployment) {
  const named = <T extends object>(name: string, component: T): T => {
    if (deployment.components.has(name)) throw new Error(`Two components named ${name}`)
    deployment.components.set(name, component)
    return component
  }
  const physical = (name: string) => `pendamping-${deployment.stage}-${name}`

  class Dynamo {
    readonly name: $util.Output<string>
    readonly arn: $util.Output<string>
    readonly nodes = { table: {} }
    constructor(name: string, args: sst.aws.DynamoArgs) {
      this.name = new Recorded(physical(name))
      this.arn = new Recorded(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${physical(name)}`)
      deployment.tables.push({ name, args })
      named(name, this)
    }
    subscribe(name: string, subscriber: sst.aws.Subscriber, args?: sst.aws.DynamoSubscriberArgs) {
      deployment.streamSubscriptions.push({ name, subscriber, args })
      return new Recorded({ nodes: { function: new Recorded({}), eventSourceMapping: {} } })
    }
  }
  class Bus {
    readonly name: $util.Output<string>
    readonly arn: $util.Output<string>
    readonly nodes = { bus: {} }
    constructor(name: string, args?: sst.aws.BusArgs) {
      this.name = new Recorded(physical(name))
      this.arn = new Recorded(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${physical(name)}`)
      deployment.buses.push({ name, args })
      named(name, this)
    }
    subscribe(name: string, subscriber: sst.aws.Subscriber, args?: sst.aws.BusSubscriberArgs) {
      deployment.busSubscriptions.push({ name, subscriber, args })
      return new Recorded({ nodes: { function: new Recorded({}), rule: {}, target: {} } })
    }
  }
  class Email {
    readonly sender: $util.Output<string>
    readonly configSet = new Recorded('config-set')
    readonly nodes = { identity: {}, configurationSet: {} }
    constructor(name: string, args: sst.aws.EmailArgs) {
      this.sender = new Recorded(String(unwrap(args.sender)))
      deployment.emails.push({ name, args })
      named(name, this)
    }
  }
  class Queue {
    readonly arn: $util.Output<string>
    readonly url: $util.Output<string>
    readonly nodes = { queue: {} }
    constructor(name: string, args?: sst.aws.QueueArgs) {
      this.arn = new Recorded(`arn:aws:sqs:${REGION}:${ACCOUNT}:${physical(name)}`)
      this.url = new Recorded(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical(name)}`)
      deployment.queues.push({ name, args, component: this })
      named(name, this)
    }
  }
  class CognitoUserPoolClient {
    readonly id: $util.Output<string>
    readonly secret = new Recorded('')
    readonly nodes = { client: {} }
    constructor(name: string, args?: sst.aws.CognitoUserPoolClientArgs) {
      this.id = new Recorded(`client${name.length}recorded`)
      deployment.clients.push({ name, args, component: this })
      named(name, this)
    }
  }
  class CognitoUserPool {
    readonly id = new Recorded(`${REGION}_Rec0rded`)
    readonly arn = new Recorded(`arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_Rec0rded`)
    readonly nodes = { userPool: {} }
    constructor(name: string, args?: sst.aws.CognitoUserPoolArgs) {
      deployment.userPools.push({ name, args })
      named(name, this)
    }
    addClient(name: string, args?: sst.aws.CognitoUserPoolClientArgs) {
      return new CognitoUserPoolClient(name, args)
    }
  }
  class ApiGatewayV2 {
    readonly url: $util.Output<string>
    readonly nodes = { api: {} }
    constructor(
      readonly name: string,
      args?: sst.aws.ApiGatewayV2Args,
    ) {
      this.url = new Recorded(`https://recorded.execute-api.${REGION}.amazonaws.com`)
      deployment.apis.push({ name, args })
      named(name, this)
    }
    route(route: string, handler: sst.aws.Subscriber) {
      deployment.routes.push({ api: this.name, route, handler })
      return { nodes: { function: new Recorded({}), route: {}, integration: {} } }
    }
  }
  class Cron {
    readonly nodes = { function: new Recorded({}), schedule: {} }
    constructor(name: string, args: sst.aws.CronArgs) {
      deployment.crons.push({ name, args })
      named(name, this)
    }
  }
  class Secret {
    readonly value: $util.Output<string>
    constructor(
      readonly name: string,
      /** What the secret holds until `sst secret set` (issue 17: a channel's identity, off until set). */
      readonly placeholder?: $util.Input<string>,
    ) {
      this.value = new Recorded(`recorded-secret-${name}`)
      named(name, this)
    }
  }
  class SnsTopic {
    readonly arn: $util.Output<string>
    readonly name: $util.Output<string>
    readonly nodes = { topic: {} }
    constructor(name: string) {
      this.arn = new Recorded(`arn:aws:sns:${REGION}:${ACCOUNT}:${physical(name)}`)
      this.name = new Recorded(physical(name))
      deployment.topics.push({ name, component: this })
      named(name, this)
    }
  }
  return { Dynamo, Bus, Email, Queue, CognitoUserPool, ApiGatewayV2, Cron, Secret, SnsTopic }
}

/** The Pulumi AWS resources infra makes without an SST component, recorded the same way. */
function recordingAws(deployment: Deployment) {
  class UserPoolDomain {
    readonly domain: $util.Output<string>
    constructor(name: string, args: aws.cognito.UserPoolDomainArgs) {
      this.domain = new Recorded(String(unwrap(args.domain)))
      deployment.cognitoDomains.push({ name, args })
    }
  }
  class ManagedLoginBranding {
    constructor(name: string, args: aws.cognito.ManagedLoginBrandingArgs) {
      deployment.loginBrandings.push({ name, args })
    }
  }
  class MetricAlarm {
    readonly arn: $util.Output<string>
    constructor(name: string, args: aws.cloudwatch.MetricAlarmArgs) {
      this.arn = new Recorded(`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`)
      deployment.alarms.push({ name, args })
    }
  }
  class TopicSubscription {
    readonly arn: $util.Output<string>
    constructor(name: string, args: aws.sns.TopicSubscriptionArgs) {
      this.arn = new Recorded(`${String(unwrap(args.topic))}:${name}`)
      deployment.topicSubscriptions.push({ name, args })
    }
  }
  return {
    cognito: { UserPoolDomain, ManagedLoginBranding },
    cloudwatch: { MetricAlarm },
    sns: { TopicSubscription },
  }
}

function interpolate(literals: TemplateStringsArray, ...values: unknown[]): $util.Output<string> {
  return new Recorded(
    literals.reduce(
      (text, literal, index) => text + literal + (index < values.length ? String(unwrap(values[index])) : ''),
      '',
    ),
  )
}

/**
 * Evaluates `sst.config.ts` for a stage, as `sst deploy --stage <stage>` would, and records it; with
 * `ALARM_EMAIL` set to `alarmEmail` (an address unless told `''`).
 */
async function deploy(stage = 'test', options: { dev?: boolean; alarmEmail?: string } = {}) {
  const deployment: Deployment = {
    stage,
    tables: [],
    buses: [],
    emails: [],
    queues: [],
    userPools: [],
    clients: [],
    apis: [],
    routes: [],
    streamSubscriptions: [],
    busSubscriptions: [],
    crons: [],
    cognitoDomains: [],
    loginBrandings: [],
    alarms: [],
    topics: [],
    topicSubscriptions: [],
    components: new Map(),
  }
  vi.stubEnv('ALARM_EMAIL', options.alarmEmail ?? 'ops@pendamping.test')
  vi.stubGlobal('$config', (config: $SstConfig.Config) => config)
  vi.stubGlobal('$app', {
    name: 'pendamping',
    stage,
    removal: stage === 'production' ? 'retain' : 'remove',
    providers: { aws: { region: REGION } },
    protect: stage === 'production',
  })
  vi.stubGlobal('$dev', options.dev ?? false)
  vi.stubGlobal('$interpolate', interpolate)
  const components = recordingComponents(deployment)
  vi.stubGlobal('sst', { aws: components, Secret: components.Secret })
  vi.stubGlobal('aws', recordingAws(deployment))
  vi.resetModules()
  const { default: config } = await import('../sst.config.ts')
  const app = config.app({ stage })
  const outputs = await config.run()
  return { deployment, app, outputs: resolved(outputs) }
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.unstubAllEnvs()
  vi.doUnmock('../packages/functions/src/wiring.ts')
})

/** Every Lambda function the deployment creates, with where it is wired. */
function functionsOf(deployment: Deployment) {
  const uses = [
    ...deployment.routes.map((route) => ({ via: `route ${route.route}`, subscriber: route.handler })),
    ...deployment.streamSubscriptions.map((sub) => ({
      via: `stream ${sub.name}`,
      subscriber: sub.subscriber,
    })),
    ...deployment.busSubscriptions.map((sub) => ({ via: `rule ${sub.name}`, subscriber: sub.subscriber })),
    ...deployment.crons.map((cron) => ({ via: `cron ${cron.name}`, subscriber: cron.args.function })),
  ]
  return uses.map(({ via, subscriber }) => {
    const args = resolved(subscriber)
    if (!args || typeof args !== 'object')
      throw new Error(`${via} is wired to ${String(args)}, not to function settings`)
    return { via, args: args as Resolved<sst.aws.FunctionArgs> }
  })
}

/** Whether the module an SST handler string names exports a function under that name. */
async function exportsFunction(handler: string): Promise<boolean> {
  const { file, exportName } = resolveHandler(handler)
  const module: Record<string, unknown> = await import(file)
  return typeof module[exportName] === 'function'
}

/** What the API function reads at load, so its module can be imported here. */
function stubApiEnvironment() {
  vi.stubEnv(
    'AUTH_JWKS_URL',
    `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Rec0rded/.well-known/jwks.json`,
  )
  vi.stubEnv('AUTH_ISSUER', `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Rec0rded`)
  vi.stubEnv('SST_RESOURCE_App', JSON.stringify({ name: 'pendamping', stage: 'test' }))
  vi.stubEnv('SST_RESOURCE_Table', JSON.stringify({ name: 'pendamping-test-Table' }))
  vi.stubEnv(
    'SST_RESOURCE_Bus',
    JSON.stringify({ name: 'pendamping-test-Bus', arn: 'arn:aws:events:::event-bus/x' }),
  )
}

// ---------------------------------------------------------------------------------------------
// API Gateway HTTP API route selection, as API Gateway documents it

/** Whether an HTTP API route key's path (`/v1/requests/{id}`, `/{proxy+}`) matches a request path. */
function pathMatches(pattern: string, path: string): boolean {
  const expected = pattern.split('/').filter(Boolean)
  const actual = path.split('/').filter(Boolean)
  for (const [index, segment] of expected.entries()) {
    if (/^\{[^}]+\+\}$/.test(segment)) return actual.length > index
    const value = actual[index]
    if (value === undefined) return false
    if (!/^\{[^}]+\}$/.test(segment) && segment !== value) return false
  }
  return expected.length === actual.length
}

/**
 * The route API Gateway picks for a request: a full method-and-path match, then `ANY`, then a greedy
 * path, then `$default`; among matches, the one with more literal segments.
 */
function routeFor(routes: RecordedRoute[], method: string, path: string): RecordedRoute | undefined {
  const rank = (route: RecordedRoute) => {
    const [routeMethod = '', routePath = ''] = route.route.split(' ')
    const segments = routePath.split('/').filter(Boolean)
    return [
      segments.some((segment) => segment.endsWith('+}')) ? 1 : 0,
      routeMethod === 'ANY' ? 1 : 0,
      -segments.filter((segment) => !segment.startsWith('{')).length,
    ]
  }
  const matching = routes
    .filter((route) => route.route !== '$default')
    .filter((route) => {
      const [routeMethod, routePath] = route.route.split(' ')
      return (
        (routeMethod === 'ANY' || routeMethod === method) &&
        routePath !== undefined &&
        pathMatches(routePath, path)
      )
    })
    .sort((a, b) => {
      const [x, y] = [rank(a), rank(b)]
      return (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0) || (x[2] ?? 0) - (y[2] ?? 0)
    })
  return matching[0] ?? routes.find((route) => route.route === '$default')
}

/** A request path that a Hono (`/v1/requests/:id`) or OpenAPI (`/v1/requests/{id}`) path matches. */
function samplePath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') || segment === '*' || /^\{.+\}$/.test(segment) ? 'sample1' : segment,
    )
    .join('/')
}

function appForTests(corsOrigins: string[] = []) {
  return createApp({
    store: { doc: createDocumentClient({ region: REGION }), tableName: 'unused' },
    verifyToken: async () => {
      throw new Error('No tokens in these tests')
    },
    corsOrigins,
  })
}

/** Every operation the app serves: its Hono routes and the paths of its OpenAPI document. */
async function appOperations(): Promise<Array<{ method: string; path: string }>> {
  const app = appForTests()
  const routes = app.routes
    .filter((route) => !(route.method === 'ALL' && route.path === '/*'))
    .map((route) => ({ method: route.method, path: route.path }))
  const response = await app.request('/openapi.json')
  expect(response.status).toBe(200)
  const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> }
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  )
  return [...routes, ...documented]
}

function unreachable(routes: RecordedRoute[], operations: Array<{ method: string; path: string }>) {
  return operations.filter(({ method, path }) => {
    const route = routeFor(routes, method === 'ALL' ? 'GET' : method, samplePath(path))
    return (
      !route ||
      resolved(route.handler) === undefined ||
      functionHandler(route.handler) !== wiring.handlers.api
    )
  })
}

function functionHandler(subscriber: sst.aws.Subscriber): string | undefined {
  const args = resolved(subscriber)
  if (typeof args === 'string') return args
  return args && typeof args === 'object' && 'handler' in args ? String(args.handler) : undefined
}

// ---------------------------------------------------------------------------------------------
// Lambda event filtering (the subset of the pattern syntax infra uses)

/** Whether a Lambda event filter pattern matches a record: leaves are lists of accepted values. */
function filterMatches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((accepted) => accepted === value)
  if (!pattern || typeof pattern !== 'object') return false
  if (!value || typeof value !== 'object') return false
  return Object.entries(pattern).every(([key, nested]) =>
    filterMatches(nested, (value as Record<string, unknown>)[key]),
  )
}

function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Record<string, unknown>) {
  const image = marshall(item, { removeUndefinedValues: true })
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }
}

const envelope: EventEnvelope = {
  id: 'evt1',
  type: 'RequestSubmitted',
  version: 1,
  occurredAt: '2025-03-12T08:15:42.000Z',
  detail: { requestId: 'r1' },
}

// ---------------------------------------------------------------------------------------------

describe('Infrastructure (sst.config.ts)', () => {
  it('names the app, keeps production data and deploys to Jakarta', async () => {
    const production = await deploy('production')
    expect(production.app).toMatchObject({
      name: 'pendamping',
      home: 'aws',
      removal: 'retain',
      protect: true,
      providers: { aws: { region: 'ap-southeast-3' } },
    })
    const preview = await deploy('pr-12')
    expect(preview.app).toMatchObject({ removal: 'remove', protect: false })
    expect(preview.outputs).toMatchObject({
      api: expect.stringMatching(/^https:\/\//),
      table: 'pendamping-pr-12-Table',
      userPool: `${REGION}_Rec0rded`,
    })
  })

  describe('the table', () => {
    it('is the shared definition: keys, every index, stream and TTL', async () => {
      const { deployment } = await deploy()
      expect(deployment.tables).toHaveLength(1)
      const [table] = deployment.tables
      const args = resolved(table?.args)
      expect(table?.name).toBe('Table')
      expect(args?.primaryIndex).toEqual({
        hashKey: tableDefinition.partitionKey,
        rangeKey: tableDefinition.sortKey,
      })
      expect(Object.keys(args?.globalIndexes ?? {}).sort()).toEqual(
        Object.keys(tableDefinition.indexes).sort(),
      )
      for (const [name, index] of Object.entries(tableDefinition.indexes)) {
        expect(args?.globalIndexes?.[name]).toEqual({ hashKey: index.hashKey, rangeKey: index.rangeKey })
      }
      expect(args?.fields).toEqual(Object.fromEntries(keyAttributes().map((name) => [name, 'string'])))
      expect(args?.stream).toBe(tableDefinition.stream)
      expect(args?.ttl).toBe(tableDefinition.ttl)
    })

    it('is the same table DynamoDB Local gets from the local bootstrap', async () => {
      const { deployment } = await deploy()
      const args = resolved(deployment.tables[0]?.args)
      const local = createTableInput('local')
      // What SST turns the component's arguments into (platform/src/components/aws/dynamo.ts).
      expect(
        Object.entries(args?.fields ?? {})
          .map(([AttributeName, type]) => ({ AttributeName, AttributeType: type === 'string' ? 'S' : 'N' }))
          .sort((a, b) => a.AttributeName.localeCompare(b.AttributeName)),
      ).toEqual(
        [...(local.AttributeDefinitions ?? [])].sort((a, b) =>
          String(a.AttributeName).localeCompare(String(b.AttributeName)),
        ),
      )
      expect([
        { AttributeName: args?.primaryIndex.hashKey, KeyType: 'HASH' },
        { AttributeName: args?.primaryIndex.rangeKey, KeyType: 'RANGE' },
      ]).toEqual(local.KeySchema)
      expect(
        Object.entries(args?.globalIndexes ?? {}).map(([IndexName, index]) => ({
          IndexName,
          KeySchema: [
            { AttributeName: index.hashKey, KeyType: 'HASH' },
            { AttributeName: index.rangeKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      ).toEqual(local.GlobalSecondaryIndexes)
      expect(args?.stream?.toUpperCase().replaceAll('-', '_')).toBe(local.StreamSpecification?.StreamViewType)
    })

    it('is protected from deletion in production only', async () => {
      expect(resolved((await deploy('production')).deployment.tables[0]?.args.deletionProtection)).toBe(true)
      expect(resolved((await deploy('dev')).deployment.tables[0]?.args.deletionProtection)).toBe(false)
    })
  })

  describe('the functions', () => {
    it('wires every handler wiring.ts declares, and each module exports that function', async () => {
      stubApiEnvironment()
      const { deployment } = await deploy()
      const wired = functionsOf(deployment).map(({ args }) => String(args.handler))
      const declared = [
        ...Object.values(wiring.handlers),
        ...wiring.rules.map((rule) => rule.handler),
        ...wiring.schedules.map((schedule) => schedule.handler),
      ]
      expect([...wired].sort()).toEqual([...declared].sort())
      for (const handler of wired) {
        expect(await exportsFunction(handler), handler).toBe(true)
      }
    })

    it('would notice a handler that names a missing file or export', async () => {
      stubApiEnvironment()
      expect(await exportsFunction('packages/functions/src/api/index.handler')).toBe(true)
      expect(await exportsFunction('packages/functions/src/api/index.notAHandler')).toBe(false)
      expect(() => resolveHandler('packages/functions/src/api/missing.handler')).toThrow(/no .*missing/)
    })

    it('all run Node.js 24 on arm64, bundled like npm run build', async () => {
      const functions = functionsOf((await deploy()).deployment)
      expect(functions.length).toBeGreaterThanOrEqual(2)
      for (const { via, args } of functions) {
        expect(args.runtime, via).toBe('nodejs24.x')
        expect(args.architecture, via).toBe('arm64')
        expect(args.memory, via).toMatch(/^\d+ MB$/)
        expect(args.timeout, via).toMatch(/^\d+ seconds$/)
        expect(args.nodejs, via).toEqual({
          format: 'esm',
          minify: true,
          splitting: lambdaBundle.splitting,
          sourcemap: false,
          esbuild: {
            target: 'node24',
            mainFields: ['module', 'main'],
            keepNames: lambdaBundle.keepNames,
            external: [...lambdaBundle.external],
          },
        })
        // SST writes its own createRequire banner; a second one would declare `require` twice.
        expect(args.nodejs?.banner, via).toBeUndefined()
        expect(args.nodejs?.esbuild?.banner, via).toBeUndefined()
        expect(args.environment, via).toMatchObject({ STAGE: 'test' })
      }
    })

    it('can all read their configuration, as the config module validates it', async () => {
      const functions = functionsOf((await deploy('production')).deployment)
      for (const { via, args } of functions) {
        const settings = readConfig(args.environment ?? {}, 'pendamping-production-Table')
        expect(settings, via).toMatchObject({
          STAGE: 'production',
          LOG_LEVEL: 'INFO',
          PUBLIC_URL: 'https://pendamping.id',
        })
      }
    })
  })

  describe('the API', () => {
    it('serves every route of the Hono app with the API function', async () => {
      const { deployment } = await deploy()
      const operations = await appOperations()
      expect(operations).toContainEqual({ method: 'GET', path: '/health' })
      expect(operations).toContainEqual({ method: 'GET', path: '/openapi.json' })
      expect(unreachable(deployment.routes, operations)).toEqual([])
      // An API with only some routes configured would leave the rest unreachable.
      const partial = deployment.routes.map((route) => ({ ...route, route: 'GET /health' }))
      expect(unreachable(partial, operations)).not.toEqual([])
    })

    it('gives the API function its links and a configuration the app accepts', async () => {
      const { deployment } = await deploy()
      const api = functionsOf(deployment).find(({ args }) => args.handler === wiring.handlers.api)
      expect(api?.args.timeout).toMatch(/^([1-9]|1\d|2\d) seconds$/) // under API Gateway's 30 s
      const components = deployment.components
      expect(api?.args.link).toEqual(
        expect.arrayContaining([
          components.get('Table'),
          components.get('Bus'),
          components.get('Email'),
          components.get('UserPool'),
        ]),
      )
      const environment = api?.args.environment ?? {}
      const issuer = `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Rec0rded`
      expect(environment).toMatchObject({
        AUTH_ISSUER: issuer,
        AUTH_JWKS_URL: `${issuer}/.well-known/jwks.json`,
        AUTH_AUDIENCE: resolved(deployment.clients[0]?.component.id),
        CORS_ORIGINS: 'https://test.pendamping.id',
        PUBLIC_URL: 'https://test.pendamping.id',
      })
      expect(() => readConfig(environment, 'pendamping-test-Table')).not.toThrow()
    })

    it('links the certificate keyring secret to the API and the certificate issuer, and to no other function', async () => {
      const { deployment } = await deploy()
      const secret = deployment.components.get('CertificateKeys')
      expect(secret).toBeDefined()
      const linked = functionsOf(deployment)
        .filter(({ args }) => (args.link as unknown[] | undefined)?.includes(secret))
        .map(({ via }) => via)
        .sort()
      expect(linked).toEqual(['route $default', 'rule CertificateIssuer'])
    })

    it('answers CORS with exactly the policy the app applies, and never to any origin', async () => {
      for (const stage of ['production', 'test']) {
        const { deployment } = await deploy(stage)
        const cors = resolved(deployment.apis[0]?.args?.cors)
        if (!cors || typeof cors !== 'object') throw new Error('The API has no CORS policy')
        const origins = cors.allowOrigins ?? []
        expect(origins).not.toContain('*')
        for (const origin of origins) expect(origin).toMatch(/^https:\/\/([\w-]+\.)?pendamping\.id$/)
        if (stage === 'production') expect(origins).toEqual(['https://pendamping.id'])

        const app = appForTests(origins)
        const origin = origins[0] ?? ''
        const preflight = await app.request('/v1/requests', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
        })
        const list = (header: string | null) =>
          (header ?? '').split(',').map((item) => item.trim().toLowerCase())
        expect(list(preflight.headers.get('access-control-allow-methods')).sort()).toEqual(
          (cors.allowMethods ?? []).map((method) => method.toLowerCase()).sort(),
        )
        expect(list(preflight.headers.get('access-control-allow-headers')).sort()).toEqual(
          (cors.allowHeaders ?? []).map((header) => header.toLowerCase()).sort(),
        )
        expect(`${preflight.headers.get('access-control-max-age')} seconds`).toBe(cors.maxAge)
        const simple = await app.request('/health', { headers: { Origin: origin } })
        expect(simple.headers.get('access-control-allow-origin')).toBe(origin)
        expect(list(simple.headers.get('access-control-expose-headers'))).toEqual(
          (cors.exposeHeaders ?? []).map((header) => header.toLowerCase()),
        )
        expect(cors.allowCredentials).toBe(false)
      }
    })

    it('caps the whole API with stage throttling, tighter outside production', async () => {
      const throttle = async (stage: string) => {
        const transform = resolved((await deploy(stage)).deployment.apis[0]?.args?.transform?.stage)
        if (!transform || typeof transform === 'function') throw new Error('The API stage has no throttling')
        const settings = resolved(transform.defaultRouteSettings)
        if (!settings) throw new Error('The API stage has no default route settings')
        return settings
      }
      const production = await throttle('production')
      expect(production).toEqual({ throttlingRateLimit: 500, throttlingBurstLimit: 1000 })
      const test = await throttle('test')
      expect(test.throttlingRateLimit).toBeLessThan(production.throttlingRateLimit ?? 0)
      for (const settings of [production, test]) {
        expect(settings.throttlingRateLimit).toBeGreaterThan(0)
        expect(settings.throttlingBurstLimit).toBeGreaterThanOrEqual(settings.throttlingRateLimit ?? 0)
      }
    })

    it('lets a browser read the rate-limit answers (exposed headers)', async () => {
      const cors = resolved((await deploy('production')).deployment.apis[0]?.args?.cors)
      if (!cors || typeof cors !== 'object') throw new Error('The API has no CORS policy')
      expect(cors.exposeHeaders).toEqual(
        expect.arrayContaining(['RateLimit', 'RateLimit-Policy', 'Retry-After']),
      )
    })

    it('lets the local web server in under sst dev only', async () => {
      const dev = resolved((await deploy('dev', { dev: true })).deployment.apis[0]?.args?.cors)
      const deployed = resolved((await deploy('dev')).deployment.apis[0]?.args?.cors)
      expect(typeof dev === 'object' && dev.allowOrigins).toContain('http://localhost:3000')
      expect(typeof deployed === 'object' && deployed.allowOrigins).not.toContain('http://localhost:3000')
    })
  })

  describe('accounts and email', () => {
    it('gives users a role and a region they can read but not write', async () => {
      const { deployment } = await deploy()
      const pool = resolved(deployment.userPools[0]?.args)
      const transform = pool?.transform?.userPool
      if (!transform || typeof transform === 'function') throw new Error('The user pool has no schema')
      const attributes = (transform.schemas ?? []).map((schema) => schema.name)
      expect(attributes).toEqual(expect.arrayContaining(['role', 'region']))
      expect(transform.adminCreateUserConfig).toEqual({ allowAdminCreateUserOnly: true })
      const [client] = deployment.clients
      expect(client?.name).toBe('UserPoolClient')
      const settings = resolved(client?.args?.transform?.client)
      if (!settings || typeof settings === 'function') throw new Error('The client has no attribute settings')
      expect(settings.readAttributes).toEqual(expect.arrayContaining(['custom:role', 'custom:region']))
      expect(settings.writeAttributes).not.toContain('custom:role')
      expect(settings.writeAttributes).not.toContain('custom:region')
    })

    it('signs people in through the managed login: authorization code only, the stage’s callback and sign-out URLs', async () => {
      for (const [stage, origin] of [
        ['production', 'https://pendamping.id'],
        ['pr-12', 'https://pr-12.pendamping.id'],
      ] as const) {
        const { deployment } = await deploy(stage)
        expect(deployment.cognitoDomains).toHaveLength(1)
        const domain = resolved(deployment.cognitoDomains[0]?.args)
        expect(domain).toEqual({
          domain: `pendamping-${stage}`,
          userPoolId: `${REGION}_Rec0rded`,
          managedLoginVersion: 2,
        })
        const settings = resolved(deployment.clients[0]?.args?.transform?.client)
        if (!settings || typeof settings === 'function') throw new Error('The client has no OAuth settings')
        expect(settings).toMatchObject({
          generateSecret: true,
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: ['code'],
          allowedOauthScopes: ['openid', 'email', 'profile'],
          supportedIdentityProviders: ['COGNITO'],
          callbackUrls: [`${origin}/auth/callback`],
          logoutUrls: [`${origin}/masuk`, `${origin}/reports`],
          enableTokenRevocation: true,
        })
        expect(resolved(deployment.loginBrandings[0]?.args)).toMatchObject({
          userPoolId: `${REGION}_Rec0rded`,
          clientId: resolved(deployment.clients[0]?.component.id),
        })
        const pool = resolved(deployment.userPools[0]?.args?.transform?.userPool)
        if (!pool || typeof pool === 'function') throw new Error('The user pool has no settings')
        expect(pool.signInPolicy).toEqual({ allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] })
      }
      const dev = resolved(
        (await deploy('dev', { dev: true })).deployment.clients[0]?.args?.transform?.client,
      )
      if (!dev || typeof dev === 'function') throw new Error('The client has no OAuth settings')
      expect(dev.callbackUrls).toContain('http://localhost:3000/auth/callback')
    })

    it('gives the API the client, its secret and the session key, and every function the sign-out URL', async () => {
      const { deployment } = await deploy()
      const [api] = functionsOf(deployment).filter(({ via }) => via === 'route $default')
      const components = deployment.components
      for (const name of ['UserPoolClient', 'SessionSecret']) {
        const linked = functionsOf(deployment)
          .filter(({ args }) => (args.link as unknown[] | undefined)?.includes(components.get(name)))
          .map(({ via }) => via)
        expect(linked, name).toEqual(['route $default'])
      }
      expect(api?.args.environment?.AUTH_LOGOUT_URL).toBe(
        `https://pendamping-test.auth.${REGION}.amazoncognito.com/logout`,
      )
      const secrets = {
        clientId: String(resolved(deployment.clients[0]?.component.id)),
        clientSecret: 'recorded-client-secret',
        sessionSecret: Buffer.alloc(32, 1).toString('base64url'),
      }
      const config = readConfig(
        api?.args.environment ?? {},
        'pendamping-test-Table',
        `${REGION}_Rec0rded`,
        secrets,
      )
      expect(config.signIn).toEqual(secrets)
      expect(config.AUTH_LOGOUT_URL).toContain('/logout')
    })

    it('lets only the suspension consumer act on the user pool’s accounts, besides the API', async () => {
      const { deployment } = await deploy()
      const pool = deployment.components.get('UserPool')
      const linked = functionsOf(deployment)
        .filter(({ args }) => (args.link as unknown[] | undefined)?.includes(pool))
        .map(({ via }) => via)
        .sort()
      expect(linked).toEqual(['route $default', 'rule AccountSuspension'])
    })

    it('sends email from the stage’s own domain', async () => {
      expect(resolved((await deploy('production')).deployment.emails[0]?.args.sender)).toBe('pendamping.id')
      expect(resolved((await deploy('pr-12')).deployment.emails[0]?.args.sender)).toBe('pr-12.pendamping.id')
    })
  })

  describe('WhatsApp and SMS (issue 17)', () => {
    it('links both sending identities to every consumer, and lets each send only from them', async () => {
      const { deployment } = await deploy()
      const whatsapp = deployment.components.get('WhatsAppPhoneNumberId')
      const sms = deployment.components.get('SmsOriginationIdentity')
      expect(whatsapp).toBeDefined()
      expect(sms).toBeDefined()
      const consumers = functionsOf(deployment).filter(({ via }) => via.startsWith('rule '))
      expect(consumers.map(({ via }) => via)).toContain('rule LinkRecovery')
      for (const { via, args } of consumers) {
        expect(args.link as unknown[], via).toEqual(expect.arrayContaining([whatsapp, sms]))
        expect(resolved(args.permissions), via).toEqual(
          expect.arrayContaining([
            {
              actions: ['social-messaging:SendWhatsAppMessage'],
              resources: [
                `arn:aws:social-messaging:${MESSAGING_REGION}:*:phone-number-id/recorded-secret-WhatsAppPhoneNumberId`,
              ],
            },
            { actions: ['sms-voice:SendTextMessage'], resources: ['recorded-secret-SmsOriginationIdentity'] },
          ]),
        )
      }
    })

    it('starts each channel off until its secret is set: the placeholders are what the code treats as unset', async () => {
      const { deployment } = await deploy()
      const placeholderOf = (name: string) =>
        (deployment.components.get(name) as { placeholder?: string } | undefined)?.placeholder
      expect(placeholderOf('WhatsAppPhoneNumberId')).toBe(WHATSAPP_NUMBER_NOT_SET)
      expect(placeholderOf('SmsOriginationIdentity')).toBe(SMS_IDENTITY_NOT_SET)
      expect([isSet(WHATSAPP_NUMBER_NOT_SET), isSet(SMS_IDENTITY_NOT_SET)]).toEqual([false, false])
      expect(isSet('phone-number-id-0123456789abcdef')).toBe(true)
      // An IAM policy takes only ARNs: the SMS placeholder is one, so a stage deploys before SMS is set up.
      expect(SMS_IDENTITY_NOT_SET).toMatch(/^arn:aws:sms-voice:[a-z0-9-]+:\d{12}:phone-number\/[\w-]+$/)
    })

    it('gives the message link key to the API, which opens the links, and every consumer, which signs them', async () => {
      const { deployment } = await deploy()
      // The name the functions read (`packages/functions/src/message-links.ts`).
      const secret = deployment.components.get(MESSAGE_LINK_SECRET)
      expect(secret).toBeDefined()
      // No placeholder: a stage cannot deploy with a guessable key.
      expect((secret as { placeholder?: string }).placeholder).toBeUndefined()
      const functions = functionsOf(deployment)
      const linked = functions.filter(({ args }) => (args.link as unknown[] | undefined)?.includes(secret))
      const consumers = functions.filter(({ via }) => via.startsWith('rule '))
      expect(consumers.length).toBeGreaterThan(0)
      expect(linked.map(({ via }) => via).sort()).toEqual(
        ['route $default', ...consumers.map(({ via }) => via)].sort(),
      )
    })
  })

  describe('the outbox publisher', () => {
    it('reads the table stream with partial failures, bisection, bounded retries and a dead-letter queue', async () => {
      const { deployment } = await deploy()
      expect(deployment.streamSubscriptions).toHaveLength(1)
      const [subscription] = deployment.streamSubscriptions
      expect(functionHandler(subscription?.subscriber ?? '')).toBe(wiring.handlers.publisher)
      const mapping = resolved(subscription?.args?.transform?.eventSourceMapping)
      if (!mapping || typeof mapping === 'function')
        throw new Error('The stream subscription has no settings')
      expect(mapping.functionResponseTypes).toEqual(['ReportBatchItemFailures'])
      expect(mapping.bisectBatchOnFunctionError).toBe(true)
      expect(mapping.maximumRetryAttempts).toBeGreaterThanOrEqual(0)
      expect(mapping.maximumRetryAttempts).toBeLessThanOrEqual(10)
      expect(mapping.maximumRecordAgeInSeconds).toBeLessThanOrEqual(24 * 3600)
      expect(mapping.batchSize).toBeLessThanOrEqual(10)
      const deadLetters = deployment.queues.find((queue) => queue.name === 'DeadLetters')
      expect(mapping.destinationConfig?.onFailure?.destinationArn).toBe(
        resolved(deadLetters && 'arn' in deadLetters.component ? deadLetters.component.arn : undefined),
      )
      const publisher = functionsOf(deployment).find(({ args }) => args.handler === wiring.handlers.publisher)
      expect(publisher?.args.link).toContain(deployment.components.get('Bus'))
      expect(publisher?.args.permissions).toContainEqual({
        actions: ['sqs:SendMessage'],
        resources: [mapping.destinationConfig?.onFailure?.destinationArn],
      })
    })

    it('is invoked for new outbox items and nothing else', async () => {
      const { deployment } = await deploy()
      const filters = resolved(deployment.streamSubscriptions[0]?.args?.filters) ?? []
      expect(filters.length).toBeGreaterThan(0)
      const invoked = (record: object) => filters.some((filter) => filterMatches(filter, record))
      const outboxItem = outboxPut('pendamping-test-Table', envelope).Put?.Item ?? {}
      expect(invoked(streamRecord('INSERT', outboxItem))).toBe(true)
      expect(invoked(streamRecord('MODIFY', outboxItem))).toBe(false)
      expect(invoked(streamRecord('REMOVE', outboxItem))).toBe(false)
      const request = { ...keys.request('r1'), entity: 'request', version: 1, status: 'submitted' }
      expect(invoked(streamRecord('INSERT', request))).toBe(false)
    })
  })

  describe('follow-ups', () => {
    it('subscribes each rule of wiring.ts to its detail-types and schedules each sweeper', async () => {
      const { deployment } = await deploy()
      expectRulesAndSchedules(deployment, wiring.rules, wiring.schedules)
    })

    it('wires whatever wiring.ts declares, rule by rule and schedule by schedule', async () => {
      const rules: wiring.Rule[] = [
        {
          name: 'OfferFollowUps',
          detailTypes: ['OfferMade', 'OfferExpired'],
          handler: wiring.handlers.publisher,
        },
        { name: 'Notifications', detailTypes: ['SessionScheduled'], handler: wiring.handlers.api },
      ]
      const schedules: wiring.Schedule[] = [
        { name: 'Sweeper', expression: 'rate(1 minute)', handler: wiring.handlers.publisher },
      ]
      vi.doMock('../packages/functions/src/wiring.ts', () => ({ ...wiring, rules, schedules }))
      const { deployment } = await deploy()
      expect(deployment.busSubscriptions).toHaveLength(2)
      expect(deployment.crons).toHaveLength(1)
      expectRulesAndSchedules(deployment, rules, schedules)
      for (const name of ['OfferFollowUps', 'Notifications']) {
        const consumer = functionsOf(deployment).find(({ via }) => via === `rule ${name}`)
        expect(consumer?.args.retries).toBe(2)
        expect(consumer?.args.transform?.function).toMatchObject({
          deadLetterConfig: { targetArn: expect.stringContaining('DeadLetters') },
        })
      }
    })

    it('alarms when the sweeper falls behind or stops, on the metric the sweeper publishes', async () => {
      const { deployment } = await deploy()
      const alarm = deployment.alarms.find(({ name }) => name === 'SweepLagAlarm')
      expect(resolved(alarm?.args)).toMatchObject({
        namespace: SWEEPER_METRICS.namespace,
        metricName: SweeperMetric.lag,
        dimensions: { service: SWEEPER_METRICS.serviceName },
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        // A sweeper that does not run publishes nothing: that must alarm too.
        treatMissingData: 'breaching',
      })
      const { threshold = 0, period = 0, evaluationPeriods = 0 } = resolved(alarm?.args) ?? {}
      // Late by more than a quarter of an hour, for a few minutes running.
      expect(threshold).toBeGreaterThanOrEqual(5 * 60)
      expect(threshold).toBeLessThanOrEqual(30 * 60)
      expect(period * evaluationPeriods).toBeLessThanOrEqual(10 * 60)
      // The sweeper publishes exactly that metric, in that namespace, under that service.
      const sweeper = await import('../packages/functions/src/sweeper.ts')
      expect(sweeper.SweeperMetric.lag).toBe(SweeperMetric.lag)
      expect(sweeper.SWEEPER_METRICS).toEqual(SWEEPER_METRICS)
    })

    it('alarms as soon as anything waits in the dead letters', async () => {
      const { deployment } = await deploy()
      const alarm = resolved(deployment.alarms.find(({ name }) => name === 'DeadLettersAlarm')?.args)
      expect(alarm).toMatchObject({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        // The queue the publisher and every consumer send their failures to.
        dimensions: { QueueName: 'pendamping-test-DeadLetters' },
        statistic: 'Maximum',
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      })
      const deadLetters = deployment.queues.find((queue) => queue.name === 'DeadLetters')
      expect(resolved((deadLetters?.component as { arn?: $util.Output<string> })?.arn)).toMatch(
        new RegExp(`:${alarm?.dimensions?.QueueName}$`),
      )
      expect((alarm?.period ?? 0) * (alarm?.evaluationPeriods ?? 0)).toBeLessThanOrEqual(5 * 60)
    })

    it('sends every alarm, going off and clearing, to the operations topic, which mails ALARM_EMAIL', async () => {
      const { deployment } = await deploy('production', { alarmEmail: 'piket@pendamping.id' })
      expect(deployment.topics.map(({ name }) => name)).toEqual(['OpsAlarms'])
      const topic = resolved(deployment.topics[0]?.component.arn)
      expect(topic).toMatch(/^arn:aws:sns:/)
      expect(deployment.alarms.map(({ name }) => name)).toEqual(
        expect.arrayContaining(['SweepLagAlarm', 'DeadLettersAlarm']),
      )
      for (const { name, args } of deployment.alarms) {
        expect(resolved(args.alarmActions), name).toEqual([topic])
        expect(resolved(args.okActions), name).toEqual([topic])
      }
      expect(deployment.topicSubscriptions.map(({ args }) => resolved(args))).toEqual([
        { topic, protocol: 'email', endpoint: 'piket@pendamping.id' },
      ])
    })

    it('without ALARM_EMAIL, keeps the topic unsubscribed on other stages and refuses production', async () => {
      const { deployment } = await deploy('test', { alarmEmail: '' })
      expect(deployment.topics).toHaveLength(1)
      expect(deployment.topicSubscriptions).toEqual([])
      for (const { args } of deployment.alarms) expect(resolved(args.alarmActions)).toHaveLength(1)
      await expect(deploy('production', { alarmEmail: ' ' })).rejects.toThrow(/ALARM_EMAIL/)
    })

    it('refuses a schedule that EventBridge Scheduler would not accept', async () => {
      const schedules: wiring.Schedule[] = [
        { name: 'Sweeper', expression: 'every minute', handler: wiring.handlers.publisher },
      ]
      vi.doMock('../packages/functions/src/wiring.ts', () => ({ ...wiring, schedules }))
      await expect(deploy()).rejects.toThrow(/Sweeper/)
    })
  })
})

function expectRulesAndSchedules(
  deployment: Deployment,
  rules: readonly wiring.Rule[],
  schedules: readonly wiring.Schedule[],
) {
  expect(deployment.busSubscriptions.map((sub) => sub.name).sort()).toEqual(
    rules.map((rule) => rule.name).sort(),
  )
  for (const rule of rules) {
    const subscription = deployment.busSubscriptions.find((sub) => sub.name === rule.name)
    expect(functionHandler(subscription?.subscriber ?? '')).toBe(rule.handler)
    expect(resolved(subscription?.args?.pattern)).toEqual({
      source: [EVENT_SOURCE],
      detailType: [...rule.detailTypes],
    })
  }
  expect(EVENT_SOURCE).toBe('pendamping')
  expect(deployment.crons.map((cron) => cron.name).sort()).toEqual(
    schedules.map((schedule) => schedule.name).sort(),
  )
  for (const schedule of schedules) {
    const cron = deployment.crons.find((candidate) => candidate.name === schedule.name)
    expect(resolved(cron?.args.schedule)).toBe(schedule.expression)
    expect(functionHandler(cron?.args.function ?? '')).toBe(schedule.handler)
  }
}
