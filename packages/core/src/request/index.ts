/**
 * Mentoring requests: what a business owner asks for, their seat in a program, their tracking token.
 *
 * The contract other modules build on (offers, engagements, sessions, matching) is re-exported here:
 * {@link RequestItem}, {@link parseRequest}, {@link getRequest}, {@link requestTransition},
 * {@link RequestStatus}, {@link OPEN_STATUSES}.
 */

export {
  exportRequest,
  getRequest,
  listRequests,
  openRequest,
  type RequestReader,
  readRequest,
} from './access.ts'
export {
  cancelRequest,
  eraseRequest,
  eraseRequestItem,
  releaseWaitlist,
  requestTransition,
  revokeTrackingToken,
  revokeTrackingTokenAsStaff,
  rotateTrackingToken,
  type TransitionExtras,
} from './change.ts'
export { RequestEvents } from './events.ts'
export { CHANNELS, LANGUAGES, MODES, NewRequest, RequestListQuery } from './input.ts'
export {
  AvailabilitySlot,
  BusinessProfile,
  CLAIMING_STATUSES,
  ConsentRecord,
  consents,
  eligibleSince,
  OPEN_STATUSES,
  parseRequest,
  REQUEST_STATUSES,
  RequestItem,
  type RequestStatus,
  SEATED_STATUSES,
  WEEKDAYS,
} from './item.ts'
export { REQUEST_LIST_SHARDS, respreadRequestLists } from './respread.ts'
export { PhoneHasRequestError, promoteNextWaitlisted, requestFacts, submitRequest } from './submit.ts'
export {
  hashTrackingToken,
  newTrackingToken,
  type PrivateKey,
  trackingTokenMatches,
} from './token.ts'
export { Info, MatchedMentor, Submitted, Summary, toInfo, toSummary } from './view.ts'
