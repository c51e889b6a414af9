import type { AccountDirectory } from '@pendamping/core/account/directory'
import { cognitoAccountDirectory } from '@pendamping/core/adapters/cognito'
import { createDocumentClient } from '@pendamping/core/adapters/dynamo/client'
import { SesNotifier } from '@pendamping/core/adapters/ses'
import type { CertificateAuthority } from '@pendamping/core/certificate/signing'
import { config } from '@pendamping/core/config/index'
import type { Notifier } from '@pendamping/core/notification/index'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { Resource } from 'sst/resource'
import { logger } from './logger.ts'

/** What the event consumers and the sweeper work with: the ports, wired once per process. */
export interface Runtime {
  store: Store
  clock: Clock
  notifier: Notifier
  /** Base URL of the pages people open from a message. */
  publicUrl: string
  /** Where accounts live (Cognito on AWS, the local provider's accounts on `npm start`): suspension disables them. */
  accounts?: AccountDirectory | undefined
  /** Signs certificates; on AWS read from the linked secret when first needed (`certificates.ts`). */
  certificates?: CertificateAuthority
}

let current: Runtime | undefined

/**
 * The composition root of the non-HTTP functions. On AWS it is built from configuration the first
 * time a handler runs (SES, the linked table); the local stack provides its own (DynamoDB Local, the
 * local notifier, a clock tests can move) with {@link provideRuntime} before any event flows.
 */
export function useRuntime(): Runtime {
  if (!current) {
    const settings = config()
    current = {
      store: {
        doc: createDocumentClient({ endpoint: settings.DYNAMODB_ENDPOINT, region: settings.AWS_REGION }),
        tableName: settings.tableName,
      },
      clock: systemClock,
      notifier: new SesNotifier({
        // The linked Email component is a domain identity: any address at it may send.
        from: `Pendamping <noreply@${Resource.Email.sender}>`,
        configurationSet: Resource.Email.configSet,
        onUnreachable: (notification) =>
          logger.warn('no email channel for recipient', {
            kind: notification.kind,
            ref: notification.to.ref,
          }),
      }),
      publicUrl: settings.PUBLIC_URL,
      accounts: settings.userPoolId
        ? cognitoAccountDirectory({ userPoolId: settings.userPoolId, region: settings.AWS_REGION })
        : undefined,
    }
  }
  return current
}

export function provideRuntime(runtime: Runtime): void {
  current = runtime
}
