import { localAccountDirectory } from '@pendamping/core/account/directory'
import { cognitoAccountDirectory } from '@pendamping/core/adapters/cognito'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { createTokenVerifier } from '@pendamping/core/auth/index'
import { config, rateLimitsOf } from '@pendamping/core/config/index'
import { handle } from 'hono/aws-lambda'
import { logger } from '../logger.ts'
import { createApp } from './app.ts'

const settings = config()
logger.setLogLevel(settings.LOG_LEVEL)

/** The API function: API Gateway HTTP API (payload v2) → the Hono app. */
export const handler = handle(
  createApp({
    store: {
      doc: createDocumentClient({ endpoint: settings.DYNAMODB_ENDPOINT, region: settings.AWS_REGION }),
      tableName: settings.tableName,
    },
    accounts: settings.userPoolId
      ? cognitoAccountDirectory({ userPoolId: settings.userPoolId, region: settings.AWS_REGION })
      : localAccountDirectory(),
    verifyToken: createTokenVerifier({
      jwksUrl: settings.AUTH_JWKS_URL,
      issuer: settings.AUTH_ISSUER,
      audience: settings.AUTH_AUDIENCE,
    }),
    corsOrigins: settings.CORS_ORIGINS,
    rateLimits: rateLimitsOf(settings),
    signIn: settings.signIn && {
      ...settings.signIn,
      issuer: settings.AUTH_ISSUER,
      publicUrl: settings.PUBLIC_URL,
      logoutUrl: settings.AUTH_LOGOUT_URL,
    },
  }),
)
