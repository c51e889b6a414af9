import { Logger } from '@aws-lambda-powertools/logger'

/**
 * The one structured JSON logger (Powertools). Log ids, routes, codes and timings; never names,
 * phones, emails, tokens or free text that people typed.
 */
export const logger = new Logger({ serviceName: 'pendamping' })
