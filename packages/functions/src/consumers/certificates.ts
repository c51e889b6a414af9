import {
  eraseCertificatesOf,
  issueForEngagement,
  issueForParticipant,
  issueForTrainers,
} from '@pendamping/core/certificate'
import { ClassEvents } from '@pendamping/core/class'
import { OfferEvents } from '@pendamping/core/offer'
import { PrivacyEvents } from '@pendamping/core/privacy'
import { configuredCertificateAuthority } from '../certificates.ts'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * Issues e-certificates (docs/contract/classes-and-certificates.md): a participant's when they complete a class, each trainer's when a
 * class finishes, the owner's and the mentor's when a 1:1 engagement is completed. Idempotent twice
 * over: the consumer's claim on the event, and each certificate's claim on its source.
 */
export const handler = consumer('CertificateIssuer', async (event, runtime) => {
  const { store, clock } = runtime
  if (isEvent(event, PrivacyEvents.PersonErased)) {
    // The certificates' part of an erasure: revoked and anonymised (certificate/erase.ts says why).
    const { person, personId } = event.detail
    const reached = await eraseCertificatesOf(store, clock, { kind: person, id: personId })
    logger.info('certificates erased', { person, personId, reached })
    return
  }
  const authority = runtime.certificates ?? (await configuredCertificateAuthority())
  const outcome = isEvent(event, ClassEvents.ParticipantCompleted)
    ? await issueForParticipant(store, clock, authority, event.detail)
    : isEvent(event, ClassEvents.Finished)
      ? await issueForTrainers(store, clock, authority, event.detail)
      : isEvent(event, OfferEvents.EngagementEnded)
        ? await issueForEngagement(store, clock, authority, event.detail)
        : undefined
  if (outcome)
    logger.info('certificates', {
      issued: outcome.issued.length,
      existing: outcome.existing.length,
      ...(outcome.skipped ? { skipped: outcome.skipped } : {}),
    })
})
