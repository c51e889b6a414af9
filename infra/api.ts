import { handlers } from '../packages/functions/src/wiring.ts'
import { sessionSecret, userPool, userPoolClient } from './auth.ts'
import { bus } from './bus.ts'
import { certificateKeys } from './certificates.ts'
import { email } from './email.ts'
import { lambda } from './function.ts'
import { messageLinkSecret } from './messaging.ts'
import { isProduction, webOrigins } from './stage.ts'
import { table } from './table.ts'

/**
 * API Gateway's cap on the whole API, every client together (requests per second, and the burst its
 * token bucket holds), before any Lambda runs. Sized for a registration rush — thousands of people a
 * minute, each a few page loads and a post — while keeping DynamoDB's bill and Lambda's concurrency
 * bounded; per-client limits are the app's own (`middleware/rate-limit.ts`, kept in the table).
 * Stages other than production get a tenth.
 */
export const apiThrottle = isProduction
  ? { throttlingRateLimit: 500, throttlingBurstLimit: 1000 }
  : { throttlingRateLimit: 50, throttlingBurstLimit: 100 }

/**
 * The HTTP API: one `$default` route, so every path and method reaches the Hono app, which does its
 * own routing, 404s and problems. API Gateway answers CORS preflights itself with the same policy
 * the app applies (`CORS_ORIGINS`); a test holds the two together.
 */
export const api = new sst.aws.ApiGatewayV2('Api', {
  cors: {
    allowOrigins: webOrigins,
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Tracking-Token', 'Accept-Language'],
    exposeHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
    maxAge: '600 seconds',
    allowCredentials: false,
  },
  accessLog: { retention: '1 month' },
  // The `$default` stage's default route settings apply to every route of the API.
  transform: { stage: { defaultRouteSettings: apiThrottle } },
})

api.route(
  '$default',
  lambda(handlers.api, {
    description: 'Pendamping HTTP API (Hono)',
    // More memory is more CPU: registration bursts make every cold start count.
    memory: '1024 MB',
    // API Gateway gives up after 30 s; a request that needs more is a bug.
    timeout: '10 seconds',
    link: [table, bus, email, userPool, userPoolClient, sessionSecret, certificateKeys, messageLinkSecret],
    environment: { CORS_ORIGINS: webOrigins.join(',') },
  }),
)
