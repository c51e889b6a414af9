import {
  cognitoAccountDirectory,
  config,
  createApp,
  createDocumentClient,
  createTokenVerifier,
  handle,
  linkedMessageLinks,
  localAccountDirectory,
  logger,
  rateLimitsOf,
} from './platform.ts'

const settings = config()
logger.setLogLevel(settings.LOG_LEVEL)

/**
 * The API function: API Gateway HTTP API (payload v2) → the Hono app, through the light request and
 * response of `lambda/` (docs/decisions/0012-lazy-lambda-request.md).
 */
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
    // Links in messages open the private pages (docs/contract/channels.md#links-in-messages).
    messageLinks: linkedMessageLinks(),
    signIn: settings.signIn && {
      ...settings.signIn,
      issuer: settings.AUTH_ISSUER,
      publicUrl: settings.PUBLIC_URL,
      logoutUrl: settings.AUTH_LOGOUT_URL,
    },
  }),
)
