/**
 * Mentoring requests: what a business owner asks for, their seat in a program, their tracking token.
 *
 * The contract other modules build on (offers, engagements, sessions, matching) is in `item.ts` and
 * re-exported here: {@link RequestItem}, {@link parseRequest}, {@link getRequest},
 * {@link requestTransition}, {@link RequestStatus}, {@link OPEN_STATUSES}.
 */

export { exportRequest, listRequests, openRequest, type RequestReader, readRequest } from './access.ts'
export { cancelRequest, eraseRequest, revokeTrackingToken, rotateTrackingToken } from './change.ts'
export { RequestEvents } from './events.ts'
export { CHANNELS, LANGUAGES, MODES, NewRequest, RequestListQuery } from './input.ts'
export {
  AvailabilitySlot,
  BusinessProfile,
  ConsentRecord,
  getRequest,
  OPEN_STATUSES,
  parseRequest,
  REQUEST_STATUSES,
  RequestItem,
  type RequestStatus,
  requestIndexKeys,
  requestTransition,
  SEATED_STATUSES,
  segmentSeatRelease,
  type TransactItem,
  type TransitionExtras,
  WEEKDAYS,
} from './item.ts'
export { promoteNextWaitlisted, requestFacts, submitRequest } from './submit.ts'
export { hashTrackingToken, newTrackingToken, trackingTokenMatches } from './token.ts'
export { Info, Submitted, Summary, toInfo, toSummary } from './view.ts'
