import { handlers } from '../packages/functions/src/wiring.ts'
import { userPool } from './auth.ts'
import { bus } from './bus.ts'
import { email } from './email.ts'
import { lambda } from './function.ts'
import { webOrigins } from './stage.ts'
import { table } from './table.ts'

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
    exposeHeaders: ['X-Request-Id'],
    maxAge: '600 seconds',
    allowCredentials: false,
  },
  accessLog: { retention: '1 month' },
})

api.route(
  '$default',
  lambda(handlers.api, {
    description: 'Pendamping HTTP API (Hono)',
    // More memory is more CPU: registration bursts make every cold start count.
    memory: '1024 MB',
    // API Gateway gives up after 30 s; a request that needs more is a bug.
    timeout: '10 seconds',
    link: [table, bus, email, userPool],
    environment: { CORS_ORIGINS: webOrigins.join(',') },
  }),
)
