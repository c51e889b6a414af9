import {
  endEngagementOfRequest,
  eraseMentorRecords,
  eraseOwnerRecords,
  eraseParticipantRecords,
  PrivacyEvents,
} from '@pendamping/core/privacy'
import { RequestEvents } from '@pendamping/core/request'
import { logger } from '../logger.ts'
import { consumer, isEvent } from './consume.ts'

/**
 * The mentoring and class part of a person's erasure (UU PDP; docs/contract/data-protection.md#erasure):
 * the person's own item was erased in the transaction that wrote `PersonErased`; here a running
 * engagement ends (mentor told, seat freed), sessions lose places and notes, engagement notes, feedback
 * comments and decline notes are erased, a participant's registrations give back their places and keep
 * only anonymous facts; a mentor's open offers are withdrawn, their businesses handed to another mentor
 * (owners told), their decline notes and owners' comments on their sessions erased. Certificates,
 * messages and the mentor's sign-in account are handled by their own consumers. On
 * `ConsentWithdrawn` of matching and contact, a running engagement ends as well.
 */
export const handler = consumer('Erasure', async (event, { store, clock }) => {
  if (isEvent(event, PrivacyEvents.PersonErased)) {
    const { person, personId } = event.detail
    if (person === 'owner') {
      const erased = await eraseOwnerRecords(store, clock, personId)
      logger.info('erased', { person, personId, ...erased })
    } else if (person === 'participant') {
      const registrations = await eraseParticipantRecords(store, clock, personId)
      logger.info('erased', { person, personId, registrations })
    } else {
      const erased = await eraseMentorRecords(store, clock, personId)
      logger.info('erased', { person, personId, ...erased })
    }
  } else if (isEvent(event, RequestEvents.Deleted)) {
    // An erasure written before `PersonErased` existed: the same walk.
    const erased = await eraseOwnerRecords(store, clock, event.detail.requestId)
    logger.info('erased', { person: 'owner', personId: event.detail.requestId, ...erased })
  } else if (isEvent(event, PrivacyEvents.ConsentWithdrawn)) {
    const { person, personId, purpose } = event.detail
    if (person === 'owner' && purpose === 'matching_contact') {
      const ended = await endEngagementOfRequest(store, clock, personId, 'consent-withdrawn')
      logger.info('consent withdrawn', { person, personId, purpose, engagementEnded: ended })
    }
  }
})
