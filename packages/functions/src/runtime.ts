import type { CertificateAuthority } from '@pendamping/core/certificate'
import { cognitoAccountDirectory } from '@pendamping/core/cognito'
import { config } from '@pendamping/core/config'
import type { AccountDirectory } from '@pendamping/core/directory'
import { createDocumentClient } from '@pendamping/core/dynamo'
import type { MessageLinks } from '@pendamping/core/link'
import { type Notifier, recordSends } from '@pendamping/core/notification'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { linkedMessageLinks } from './message-links.ts'
import { awsNotifier } from './notifier.ts'

/** What the event consumers and the sweeper work with: the ports, wired once per process. */
export interface Runtime {
  store: Store
  clock: Clock
  notifier: Notifier
  /** Base URL of the pages people open from a message. */
  publicUrl: string
  /**
   * Signs the links to private pages that messages carry (`consumers/links.ts`); without it they are
   * plain page links, opened only by a browser that holds the page's cookie.
   */
  messageLinks?: MessageLinks | undefined
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
    const store: Store = {
      doc: createDocumentClient({ endpoint: settings.DYNAMODB_ENDPOINT, region: settings.AWS_REGION }),
      tableName: settings.tableName,
    }
    current = {
      store,
      clock: systemClock,
      // By each person's channel: WhatsApp, SMS, e-mail, with fallback (docs/contract/channels.md).
      notifier: awsNotifier(store, systemClock),
      publicUrl: settings.PUBLIC_URL,
      messageLinks: linkedMessageLinks(),
      accounts: settings.userPoolId
        ? cognitoAccountDirectory({ userPoolId: settings.userPoolId, region: settings.AWS_REGION })
        : undefined,
    }
    current = withSentRecords(current)
  }
  return current
}

export function provideRuntime(runtime: Runtime): void {
  current = withSentRecords(runtime)
}

/** Every message to a person leaves a record for their export, and erasure can forget it (UU PDP). */
function withSentRecords(runtime: Runtime): Runtime {
  return { ...runtime, notifier: recordSends(runtime.store, runtime.clock, runtime.notifier) }
}
