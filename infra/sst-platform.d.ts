/*
 * The part of SST's platform that `sst.config.ts` and `infra/` use, declared by hand.
 *
 * `sst install` generates the full declarations in `.sst/platform/config.d.ts`, but it downloads the
 * platform and its Pulumi providers, which this repository's checks cannot do offline. These shapes
 * follow SST's own (`platform/src/global.d.ts`, `platform/src/components/aws/*.ts`, SST v3/v4): only
 * the arguments we pass, with the types SST gives them, and for Pulumi resources reached through
 * `transform` only the fields we set. When SST adds or renames something we use, change it here.
 */

declare namespace $util {
  /** A value known once the resource it comes from exists (Pulumi's `Output`). */
  interface Output<T> {
    apply<U>(func: (value: T) => U | Output<U>): Output<U>
  }
  type Input<T> = T | Promise<T> | Output<T>
}

/** Context about the app being run; available inside `run()`. */
declare const $app: Readonly<{
  name: string
  stage: string
  removal: 'remove' | 'retain' | 'retain-all'
  providers: Record<string, unknown> | undefined
  protect: boolean
}>

/** `true` under `sst dev`. */
declare const $dev: boolean

/** String interpolation over Outputs. */
declare function $interpolate(
  literals: TemplateStringsArray,
  ...placeholders: unknown[]
): $util.Output<string>

declare namespace $SstConfig {
  interface AppInput {
    stage: string
  }
  interface App {
    name: string
    home: 'aws' | 'cloudflare' | 'local'
    removal?: 'remove' | 'retain' | 'retain-all'
    protect?: boolean
    providers?: Record<string, Record<string, unknown> | string | boolean>
  }
  interface Config {
    app(input: AppInput): App
    run(): Promise<Record<string, unknown> | undefined>
  }
}

/** Declares the app: `app()` names it and its providers, `run()` creates its resources. */
declare function $config(input: $SstConfig.Config): $SstConfig.Config

declare namespace sst.aws {
  type Input<T> = $util.Input<T>
  type Output<T> = $util.Output<T>

  /** `Partial` args merged into SST's, or a function that edits them in place. */
  type Transform<T> = Partial<T> | ((args: T, opts: unknown, name: string) => undefined)

  type Duration =
    `${number} ${'second' | 'seconds' | 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days'}`
  type Size = `${number} ${'MB' | 'GB'}`
  type FunctionArn = `arn:${string}`
  type ScheduleExpression = `rate(${string})` | `cron(${string})` | `at(${string})`
  type LogRetention =
    | '1 day'
    | '3 days'
    | '1 week'
    | '2 weeks'
    | '1 month'
    | '3 months'
    | '6 months'
    | '1 year'
    | 'forever'

  /** SST's `nodejs.esbuild`: the esbuild options it lets through. */
  interface EsbuildOptions {
    target?: string | string[]
    sourcemap?: boolean | 'linked' | 'inline' | 'external' | 'both'
    keepNames?: boolean
    define?: Record<string, string>
    banner?: Record<string, string>
    external?: string[]
    nodePaths?: string[]
    mainFields?: string[]
    conditions?: string[]
  }

  interface FunctionPermissionArgs {
    effect?: 'allow' | 'deny'
    actions: string[]
    resources: Input<Input<string>[]>
  }

  /** Pulumi `aws.lambda.FunctionArgs`, the fields we set. */
  interface LambdaFunctionResourceArgs {
    deadLetterConfig: Input<{ targetArn: Input<string> }>
    reservedConcurrentExecutions: Input<number>
  }

  interface FunctionArgs {
    handler: Input<string>
    description?: Input<string>
    runtime?: Input<
      | 'nodejs18.x'
      | 'nodejs20.x'
      | 'nodejs22.x'
      | 'nodejs24.x'
      | 'go'
      | 'rust'
      | 'provided.al2'
      | 'provided.al2023'
    >
    architecture?: Input<'x86_64' | 'arm64'>
    memory?: Input<Size>
    timeout?: Input<Duration>
    /** Retries of asynchronous invocations (bus rules), 0–2. */
    retries?: Input<number>
    environment?: Input<Record<string, Input<string>>>
    link?: Input<unknown[]>
    permissions?: Input<FunctionPermissionArgs[]>
    logging?: Input<false | { retention?: Input<LogRetention>; format?: Input<'text' | 'json'> }>
    nodejs?: Input<{
      loader?: Input<Record<string, string>>
      install?: Input<string[]>
      banner?: Input<string>
      esbuild?: Input<EsbuildOptions>
      minify?: Input<boolean>
      format?: Input<'cjs' | 'esm'>
      sourcemap?: Input<boolean>
      splitting?: Input<boolean>
    }>
    transform?: { function?: Transform<LambdaFunctionResourceArgs> }
  }

  type Subscriber = Input<string | FunctionArgs | FunctionArn>

  interface DynamoArgs {
    fields: Input<Record<string, 'string' | 'number' | 'binary'>>
    primaryIndex: Input<{ hashKey: Input<string>; rangeKey?: Input<string> }>
    globalIndexes?: Input<
      Record<
        string,
        Input<{
          hashKey: Input<string>
          rangeKey?: Input<string>
          projection?: Input<'all' | 'keys-only' | Input<string>[]>
        }>
      >
    >
    stream?: Input<'keys-only' | 'new-image' | 'old-image' | 'new-and-old-images'>
    ttl?: Input<string>
    deletionProtection?: Input<boolean>
  }

  /** Pulumi `aws.lambda.EventSourceMappingArgs`, the fields we set. */
  interface EventSourceMappingArgs {
    startingPosition: Input<'LATEST' | 'TRIM_HORIZON'>
    batchSize: Input<number>
    maximumBatchingWindowInSeconds: Input<number>
    bisectBatchOnFunctionError: Input<boolean>
    maximumRetryAttempts: Input<number>
    maximumRecordAgeInSeconds: Input<number>
    parallelizationFactor: Input<number>
    functionResponseTypes: Input<Input<'ReportBatchItemFailures'>[]>
    destinationConfig: Input<{ onFailure?: Input<{ destinationArn: Input<string> }> }>
  }

  interface DynamoSubscriberArgs {
    /** Lambda event filter patterns, ORed; at most 5. */
    filters?: Input<Input<Record<string, unknown>>[]>
    transform?: { eventSourceMapping?: Transform<EventSourceMappingArgs> }
  }

  class DynamoLambdaSubscriber {
    readonly nodes: { function: Output<unknown>; eventSourceMapping: unknown }
  }

  class Dynamo {
    constructor(name: string, args: DynamoArgs)
    readonly name: Output<string>
    readonly arn: Output<string>
    readonly nodes: { table: unknown }
    subscribe(
      name: string,
      subscriber: Subscriber,
      args?: DynamoSubscriberArgs,
    ): Output<DynamoLambdaSubscriber>
  }

  interface BusArgs {
    logging?: Input<{ level?: Input<'off' | 'error' | 'info' | 'trace'>; detail?: Input<boolean> }>
  }

  interface BusSubscriberArgs {
    pattern?: Input<{
      source?: (string | Record<string, unknown>)[]
      detail?: Record<string, unknown>
      detailType?: (string | Record<string, unknown>)[]
    }>
  }

  class BusLambdaSubscriber {
    readonly nodes: { function: Output<unknown>; rule: unknown; target: unknown }
  }

  class Bus {
    constructor(name: string, args?: BusArgs)
    readonly name: Output<string>
    readonly arn: Output<string>
    readonly nodes: { bus: unknown }
    subscribe(name: string, subscriber: Subscriber, args?: BusSubscriberArgs): Output<BusLambdaSubscriber>
  }

  interface EmailArgs {
    /** An address, or a domain whose DKIM records SST adds through `dns`. */
    sender: Input<string>
    /** DMARC policy record; only for a domain sender. */
    dmarc?: Input<string>
  }

  class Email {
    constructor(name: string, args: EmailArgs)
    readonly sender: Output<string>
    readonly configSet: Output<string>
    readonly nodes: { identity: unknown; configurationSet: unknown }
  }

  /** Pulumi `aws.cognito.UserPoolArgs`, the fields we set. */
  interface UserPoolResourceArgs {
    schemas: Input<
      Input<{
        name: Input<string>
        attributeDataType: Input<'String' | 'Number' | 'DateTime' | 'Boolean'>
        mutable?: Input<boolean>
        required?: Input<boolean>
        stringAttributeConstraints?: Input<{ minLength?: Input<string>; maxLength?: Input<string> }>
      }>[]
    >
    adminCreateUserConfig: Input<{ allowAdminCreateUserOnly?: Input<boolean> }>
    passwordPolicy: Input<{
      minimumLength?: Input<number>
      requireLowercase?: Input<boolean>
      requireNumbers?: Input<boolean>
      requireSymbols?: Input<boolean>
      requireUppercase?: Input<boolean>
      temporaryPasswordValidityDays?: Input<number>
    }>
    deletionProtection: Input<'ACTIVE' | 'INACTIVE'>
    userPoolTier?: Input<'LITE' | 'ESSENTIALS' | 'PLUS'>
    signInPolicy?: Input<{
      allowedFirstAuthFactors?: Input<Input<'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN'>[]>
    }>
  }

  interface CognitoUserPoolArgs {
    usernames?: Input<Input<'email' | 'phone'>[]>
    aliases?: Input<Input<'email' | 'phone' | 'preferred_username'>[]>
    transform?: { userPool?: Transform<UserPoolResourceArgs> }
  }

  /** Pulumi `aws.cognito.UserPoolClientArgs`, the fields we set. */
  interface UserPoolClientResourceArgs {
    generateSecret?: Input<boolean>
    allowedOauthFlowsUserPoolClient?: Input<boolean>
    allowedOauthFlows?: Input<Input<'code' | 'implicit' | 'client_credentials'>[]>
    allowedOauthScopes?: Input<Input<string>[]>
    supportedIdentityProviders?: Input<Input<string>[]>
    callbackUrls?: Input<Input<string>[]>
    logoutUrls?: Input<Input<string>[]>
    explicitAuthFlows: Input<Input<string>[]>
    readAttributes: Input<Input<string>[]>
    writeAttributes: Input<Input<string>[]>
    preventUserExistenceErrors: Input<'ENABLED' | 'LEGACY'>
    enableTokenRevocation: Input<boolean>
    accessTokenValidity: Input<number>
    idTokenValidity: Input<number>
    refreshTokenValidity: Input<number>
    tokenValidityUnits: Input<{
      accessToken?: Input<'seconds' | 'minutes' | 'hours' | 'days'>
      idToken?: Input<'seconds' | 'minutes' | 'hours' | 'days'>
      refreshToken?: Input<'seconds' | 'minutes' | 'hours' | 'days'>
    }>
  }

  interface CognitoUserPoolClientArgs {
    transform?: { client?: Transform<UserPoolClientResourceArgs> }
  }

  class CognitoUserPoolClient {
    readonly id: Output<string>
    readonly secret: Output<string>
    readonly nodes: { client: unknown }
  }

  class CognitoUserPool {
    constructor(name: string, args?: CognitoUserPoolArgs)
    readonly id: Output<string>
    readonly arn: Output<string>
    readonly nodes: { userPool: unknown }
    addClient(name: string, args?: CognitoUserPoolClientArgs): CognitoUserPoolClient
  }

  interface ApiGatewayV2CorsArgs {
    allowCredentials?: Input<boolean>
    allowHeaders?: Input<Input<string>[]>
    allowOrigins?: Input<Input<string>[]>
    allowMethods?: Input<Input<'*' | 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT'>[]>
    exposeHeaders?: Input<Input<string>[]>
    maxAge?: Input<Duration>
  }

  /** Pulumi `aws.apigatewayv2.StageArgs`, the fields we set. */
  interface StageResourceArgs {
    defaultRouteSettings: Input<{
      throttlingBurstLimit?: Input<number>
      throttlingRateLimit?: Input<number>
    }>
  }

  interface ApiGatewayV2Args {
    link?: FunctionArgs['link']
    cors?: Input<boolean | ApiGatewayV2CorsArgs>
    accessLog?: Input<{ retention?: Input<LogRetention> }>
    transform?: { stage?: Transform<StageResourceArgs> }
  }

  interface ApiGatewayV2RouteArgs {
    auth?: Input<
      | false
      | { iam?: Input<boolean>; jwt?: Input<{ authorizer: Input<string>; scopes?: Input<Input<string>[]> }> }
    >
  }

  class ApiGatewayV2LambdaRoute {
    readonly nodes: { function: Output<unknown>; route: unknown; integration: unknown }
  }

  class ApiGatewayV2 {
    constructor(name: string, args?: ApiGatewayV2Args)
    readonly url: Output<string>
    readonly nodes: { api: unknown }
    /** `rawRoute` is `$default`, or `METHOD /path` with `{param}` and a trailing `{proxy+}`. */
    route(rawRoute: string, handler: Subscriber, args?: ApiGatewayV2RouteArgs): ApiGatewayV2LambdaRoute
  }

  /** Pulumi `aws.sqs.QueueArgs`, the fields we set. */
  interface QueueResourceArgs {
    messageRetentionSeconds: Input<number>
  }

  interface QueueArgs {
    visibilityTimeout?: Input<Duration>
    transform?: { queue?: Transform<QueueResourceArgs> }
  }

  class Queue {
    constructor(name: string, args?: QueueArgs)
    readonly arn: Output<string>
    readonly url: Output<string>
    readonly nodes: { queue: unknown }
  }

  interface SnsTopicArgs {
    fifo?: Input<boolean>
  }

  class SnsTopic {
    constructor(name: string, args?: SnsTopicArgs)
    readonly arn: Output<string>
    readonly name: Output<string>
    readonly nodes: { topic: unknown }
  }

  interface CronArgs {
    function?: Subscriber
    schedule: Input<ScheduleExpression>
    timezone?: Input<string>
    enabled?: Input<boolean>
    retry?: Input<{ attempts?: Input<number>; maxAge?: Input<Duration> }>
    dlq?: Input<string>
  }

  class Cron {
    constructor(name: string, args: CronArgs)
    readonly nodes: { function: Output<unknown>; schedule: unknown }
  }
}

declare namespace sst {
  /**
   * A secret set with `sst secret set <Name> <value> --stage <stage>`: stored encrypted by SST, linked
   * to the functions that read it (`Resource.<Name>.value`), never in code or in the environment.
   */
  class Secret {
    constructor(name: string, placeholder?: $util.Input<string>)
    readonly name: string
    readonly value: $util.Output<string>
  }
}

/** Pulumi's AWS provider, the resources SST has no component for (the fields we set). */
declare namespace aws.cognito {
  interface UserPoolDomainArgs {
    domain: $util.Input<string>
    userPoolId: $util.Input<string>
    /** 2: the managed login; 1: the classic hosted UI. */
    managedLoginVersion?: $util.Input<1 | 2>
  }
  class UserPoolDomain {
    constructor(name: string, args: UserPoolDomainArgs)
    readonly domain: $util.Output<string>
  }

  interface ManagedLoginBrandingArgs {
    userPoolId: $util.Input<string>
    clientId: $util.Input<string>
    useCognitoProvidedValues?: $util.Input<boolean>
  }
  class ManagedLoginBranding {
    constructor(name: string, args: ManagedLoginBrandingArgs)
  }
}

declare namespace aws.cloudwatch {
  /** Pulumi `aws.cloudwatch.MetricAlarmArgs`, the fields we set. */
  interface MetricAlarmArgs {
    alarmDescription?: $util.Input<string>
    namespace: $util.Input<string>
    metricName: $util.Input<string>
    dimensions?: $util.Input<Record<string, $util.Input<string>>>
    statistic: $util.Input<'Average' | 'Maximum' | 'Minimum' | 'Sum' | 'SampleCount'>
    /** Seconds. */
    period: $util.Input<number>
    evaluationPeriods: $util.Input<number>
    datapointsToAlarm?: $util.Input<number>
    threshold: $util.Input<number>
    comparisonOperator: $util.Input<
      | 'GreaterThanThreshold'
      | 'GreaterThanOrEqualToThreshold'
      | 'LessThanThreshold'
      | 'LessThanOrEqualToThreshold'
    >
    treatMissingData?: $util.Input<'missing' | 'ignore' | 'breaching' | 'notBreaching'>
    alarmActions?: $util.Input<$util.Input<string>[]>
    okActions?: $util.Input<$util.Input<string>[]>
  }
  class MetricAlarm {
    constructor(name: string, args: MetricAlarmArgs)
    readonly arn: $util.Output<string>
  }
}

declare namespace aws.sns {
  /** Pulumi `aws.sns.TopicSubscriptionArgs`, the fields we set. */
  interface TopicSubscriptionArgs {
    topic: $util.Input<string>
    protocol: $util.Input<'email' | 'email-json' | 'sqs' | 'lambda' | 'https'>
    endpoint: $util.Input<string>
  }
  class TopicSubscription {
    constructor(name: string, args: TopicSubscriptionArgs)
    readonly arn: $util.Output<string>
  }
}
