/**
 * Every key of every item, spelled here and nowhere else. Call sites ask for `keys.request(id)`;
 * they never write `'REQUEST#' + id` by hand. Index keys are built by the `index*` helpers beside
 * the entity they belong to, so an item's membership of a list is declared in one place.
 *
 * Entity ids are opaque, URL-safe and unguessable (see `newId`); region codes are Kemendagri codes.
 */
export const keys = {
  program: (id: string) => ({ pk: `PROGRAM#${id}`, sk: 'PROGRAM' }),
  /** One counter item per program segment: `admitted` against `quota`, plus the arrival sequence. */
  programSegment: (programId: string, segment: string) => ({
    pk: `PROGRAM#${programId}`,
    sk: `SEGMENT#${segment}`,
  }),
  request: (id: string) => ({ pk: `REQUEST#${id}`, sk: 'REQUEST' }),
  /** The hash of a request's tracking token, pointing back at the request (revocable by deleting it). */
  trackingToken: (hash: string) => ({ pk: `TRACKING#${hash}`, sk: 'TRACKING' }),
  mentor: (id: string) => ({ pk: `MENTOR#${id}`, sk: 'MENTOR' }),
  /** Links an account's token `sub` to the mentor it belongs to. */
  account: (sub: string) => ({ pk: `ACCOUNT#${sub}`, sk: 'ACCOUNT' }),
  /**
   * A mentor's entry in the matching directory for one topic (sparse `byTopic` index): present while
   * the mentor is active, with the profile matching needs, so candidates come from an index query.
   */
  mentorTopic: (mentorId: string, topic: string) => ({ pk: `MENTOR#${mentorId}`, sk: `TOPIC#${topic}` }),
  /** A mentor's load counter: `active` engagements against `capacity` (invariant 1). */
  mentorLoad: (mentorId: string) => ({ pk: `MENTOR#${mentorId}`, sk: 'LOAD' }),
  offer: (id: string) => ({ pk: `OFFER#${id}`, sk: 'OFFER' }),
  /** At most one accepted offer per request (invariant 2): the accept transaction puts this with a condition. */
  requestAcceptance: (requestId: string) => ({ pk: `REQUEST#${requestId}`, sk: 'ACCEPTED' }),
  engagement: (id: string) => ({ pk: `ENGAGEMENT#${id}`, sk: 'ENGAGEMENT' }),
  session: (id: string) => ({ pk: `SESSION#${id}`, sk: 'SESSION' }),
  /**
   * A mentor's booked time, one item per 15-minute slot a session covers (invariant 4): two sessions
   * that overlap would put the same slot, and the condition `attribute_not_exists(pk)` refuses it.
   */
  mentorSlot: (mentorId: string, slotStartIso: string) => ({
    pk: `MENTOR#${mentorId}`,
    sk: `SLOT#${slotStartIso}`,
  }),
  feedback: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'FEEDBACK' }),
  /** The stored first answer to a POST with an `Idempotency-Key` (invariant 7). */
  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' }),
  /** An event waiting in the outbox; the stream publishes it (invariant 5). */
  outbox: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  /** Marks that a consumer has acted on an event (invariant 6). */
  processed: (consumer: string, eventId: string) => ({
    pk: `PROCESSED#${consumer}#${eventId}`,
    sk: 'PROCESSED',
  }),
  followUp: (id: string) => ({ pk: `FOLLOWUP#${id}`, sk: 'FOLLOWUP' }),
  /** The sweeper's watermark: the last hour bucket of `byDue` it swept to the end. */
  sweepWatermark: () => ({ pk: 'SWEEP#followUps', sk: 'WATERMARK' }),
  /**
   * A cohort plan staff looked at and may commit (kept a day): its own partition, out of the
   * program's (whose partition is read whole), with its assignments in chunk items beside it.
   */
  cohortPlan: (planId: string) => ({ pk: `COHORTPLAN#${planId}`, sk: 'PLAN' }),
  /** One chunk of a cohort plan's assignments: a 2 000-request plan stays far from the 400 KB item limit. */
  cohortPlanChunk: (planId: string, chunk: number) => ({
    pk: `COHORTPLAN#${planId}`,
    sk: `CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  /** Marks that a set of demo data was seeded, so `npm start` seeds once. */
  seedMarker: (name: string) => ({ pk: `SEED#${name}`, sk: 'SEED' }),
  /**
   * One month of a report scope's counters (`report/`): `scope` is `all`, `PROGRAM#<id>` or
   * `REGION#<code>`, `month` is `yyyy-mm` in Asia/Jakarta; a report is one `Query` between two months.
   */
  reportMonth: (scope: string, month: string) => ({ pk: `REPORT#${scope}`, sk: `MONTH#${month}` }),
  /**
   * One write shard of a scope's month (`REPORT#<scope>#<shard>`), for a scope every event writes (the
   * national `all`): each event adds to one of the shards, and a report sums them. Partitions of their
   * own, so the scope's writes spread over several partitions instead of queueing on one item.
   */
  reportMonthShard: (scope: string, shard: number, month: string) => ({
    pk: `REPORT#${scope}#${shard}`,
    sk: `MONTH#${month}`,
  }),
  /** A class (kelas) of a program; its partition also holds its seat counters, meetings and draw. */
  class: (id: string) => ({ pk: `CLASS#${id}`, sk: 'CLASS' }),
  /** A class segment's seat counter: `admitted` against `quota`, and the waitlist's length. */
  classSegment: (classId: string, segment: string) => ({ pk: `CLASS#${classId}`, sk: `SEGMENT#${segment}` }),
  /** One meeting of a class: its check-in code and its groups. */
  classMeeting: (classId: string, meetingId: string) => ({
    pk: `CLASS#${classId}`,
    sk: `MEETING#${meetingId}`,
  }),
  /** One chunk of a class's published lottery order. */
  classDraw: (classId: string, chunk: number) => ({
    pk: `CLASS#${classId}`,
    sk: `DRAW#${String(chunk).padStart(4, '0')}`,
  }),
  /**
   * One seat per person per class: the claim of a normalised phone's hash, put with
   * `attribute_not_exists` in the registering transaction. Its own partition per phone, so a burst of
   * registrations into one class spreads over the table's partitions.
   */
  classPhone: (classId: string, phoneHash: string) => ({
    pk: `CLASSPHONE#${classId}#${phoneHash}`,
    sk: 'CLASSPHONE',
  }),
  /**
   * One open request per person per program: the claim of a normalised phone's hash, put with
   * `attribute_not_exists` in the submitting transaction and deleted when the request is cancelled or
   * erased (one that became unmatched or completed is taken over by the next submission).
   */
  programPhone: (programId: string, phoneHash: string) => ({
    pk: `PROGRAMPHONE#${programId}#${phoneHash}`,
    sk: 'PROGRAMPHONE',
  }),
  /**
   * One fixed window of a rate limit: `rule` names the policy (`client`, `phone`, `account`),
   * `subject` is a hash of who is counted (never an IP, phone or account id in clear), `window` the
   * window's start in epoch seconds. TTL removes it shortly after the window ends.
   */
  rateLimit: (rule: string, subject: string, window: number) => ({
    pk: `RATELIMIT#${rule}#${subject}`,
    sk: `WINDOW#${window}`,
  }),
  /**
   * One message sent to a person (`ref` `owner:<requestId>`, `participant:<id>`, `mentor:<id>`): its
   * kind, channel and time, never its text or address. Their export lists these; erasure deletes them.
   */
  sentMessage: (ref: string, at: string, id: string) => ({ pk: `SENT#${ref}`, sk: `MESSAGE#${at}#${id}` }),
  /** A person registered for classes, holding the hash of their private link's token. */
  participant: (id: string) => ({ pk: `PARTICIPANT#${id}`, sk: 'PARTICIPANT' }),
  /** One person's place in one class. */
  registration: (id: string) => ({ pk: `REGISTRATION#${id}`, sk: 'REGISTRATION' }),
  /** An e-certificate (its id is random, 128 bits: the verification page's URL). */
  certificate: (id: string) => ({ pk: `CERTIFICATE#${id}`, sk: 'CERTIFICATE' }),
  /**
   * What a certificate was issued for (`class:<classId>:registration:<id>`, `engagement:<id>:mentor`…),
   * put with `attribute_not_exists` beside the certificate: a redelivered event puts nothing.
   */
  certificateSource: (source: string) => ({ pk: `CERTIFICATEFOR#${source}`, sk: 'CERTIFICATEFOR' }),
  /** The certificate numbers of an issuing region and year: `ADD next 1` hands out the next. */
  certificateCounter: (region: string, year: string) => ({
    pk: `CERTIFICATECOUNTER#${region}#${year}`,
    sk: 'CERTIFICATECOUNTER',
  }),
  /**
   * A topic a program added to the standard ones (`ekspor`, `halal_certification`): present once any
   * program lists it, so mentors may name it as a skill (and the matching directory covers it).
   */
  programTopic: (topic: string) => ({ pk: `TOPIC#${topic}`, sk: 'TOPIC' }),
  /** A published Bitstring Status List: the indexes revoked in it. */
  statusList: (listId: string) => ({ pk: `STATUSLIST#${listId}`, sk: 'STATUSLIST' }),
  /** One taken index of a status list (indexes are drawn at random; this makes each one unique). */
  statusListIndex: (listId: string, index: number) => ({
    pk: `STATUSLIST#${listId}`,
    sk: `INDEX#${String(index).padStart(7, '0')}`,
  }),
  /**
   * Issue 17 (docs/contract/channels.md): an address a channel refused for good (an invalid number,
   * an opted-out phone), by a hash of the address: never tried on that channel again.
   */
  contactStatus: (channel: string, addressHash: string) => ({
    pk: `CONTACT#${channel}#${addressHash}`,
    sk: 'CONTACT',
  }),
  /** A staff member listed under the region they cover, so a region's alerts reach every one of them. */
  staffRegion: (region: string, sub: string) => ({ pk: `STAFFREGION#${region}`, sk: sub }),
  /** Where a phone's (or e-mail's) hash holds a private link: one item per request or participant. */
  contactLink: (addressHash: string, holder: string) => ({ pk: `CONTACTLINK#${addressHash}`, sk: holder }),
  /** A link-recovery challenge: the hash of its one-time code and what it may replace. */
  linkRecovery: (id: string) => ({ pk: `LINKRECOVERY#${id}`, sk: 'LINKRECOVERY' }),
  /**
   * The stale-request alerts of a region on one day (WIB): the day's count, and one marker per
   * request counted (`DAY#<day>#<requestId>`), so a redelivery counts nothing twice.
   */
  staleAlerts: (region: string, day: string, requestId?: string) => ({
    pk: `STALEALERTS#${region}`,
    sk: requestId === undefined ? `DAY#${day}` : `DAY#${day}#${requestId}`,
  }),
} as const

/** The scopes report counters are kept for (`keys.reportMonth`): everything, a program, a region. */
export const reportScope = {
  all: 'all',
  program: (programId: string) => `PROGRAM#${programId}`,
  region: (code: string) => `REGION#${code}`,
} as const

/** `byRegion` index keys: a collection listed by region prefix (`begins_with(byRegionSk, '35.73')`). */
export const byRegion = (collection: string, region: string, at: string, id: string) => ({
  byRegionPk: collection,
  byRegionSk: `${region}#${at}#${id}`,
})

/**
 * The write shard, among `shards`, of the item `id` names: FNV-1a of the id, so it never changes for
 * an item's life (a status change moves it from `REQUEST#<a>#<k>` to `REQUEST#<b>#<k>`) and random ids
 * fall evenly on the shards.
 */
export function listShardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193)
  return (hash >>> 0) % shards
}

/** The partition of a `byRegion` collection spread over write shards: `REQUEST#matching#3`. */
export const byRegionShard = (collection: string, shard: number) => `${collection}#${shard}`

/**
 * `byRegion` index keys of a collection spread over `shards` partitions by {@link listShardOf}: the
 * same sort key as {@link byRegion}, so each shard is in the same order and a read merges them
 * (`queryMerged`). For a collection every status change of a busy entity writes (`REQUEST#<status>`).
 */
export const byRegionSpread = (
  collection: string,
  shards: number,
  region: string,
  at: string,
  id: string,
) => ({
  byRegionPk: byRegionShard(collection, listShardOf(id, shards)),
  byRegionSk: `${region}#${at}#${id}`,
})

/** `byOwner` index keys: a parent's children of one kind in time order. */
export const byOwner = (owner: string, kind: string, at: string, id: string) => ({
  byOwnerPk: owner,
  byOwnerSk: `${kind}#${at}#${id}`,
})

/**
 * `byProgram` index keys: a program's requests per state, by segment then arrival, so
 * `begins_with(byProgramSk, 'umum#')` under `PROGRAM#<id>#waitlisted` is that segment's queue, oldest first.
 */
export const byProgram = (programId: string, state: string, segment: string, at: string, id: string) => ({
  byProgramPk: `PROGRAM#${programId}#${state}`,
  byProgramSk: `${segment}#${at}#${id}`,
})

/**
 * `byTopic` index keys: the matching directory, one entry per active mentor and skill, ordered by the
 * mentor's home region so `begins_with(byTopicSk, '35')` finds the topic's mentors in Jawa Timur first.
 */
export const byTopic = (topic: string, region: string, mentorId: string) => ({
  byTopicPk: `TOPIC#${topic}`,
  byTopicSk: `${region}#${mentorId}`,
})

/**
 * A class's registrations per status, by segment then queue order, in the `byProgram` index (a class
 * is part of a program; its lists sit beside the program's under `CLASS#<id>#<status>`), so
 * `begins_with(byProgramSk, 'umum#')` under `CLASS#<id>#waitlisted` is that segment's queue.
 */
export const byClass = (classId: string, status: string, segment: string, queue: string, id: string) => ({
  byProgramPk: `CLASS#${classId}#${status}`,
  byProgramSk: `${segment}#${queue}#${id}`,
})

/**
 * The public class catalog, in the `byTopic` directory index (the other directory people browse):
 * one partition of listed classes ordered by their first meeting. Present only while a class is open,
 * full or running.
 */
export const classCatalog = (firstMeetingAt: string, id: string) => ({
  byTopicPk: 'CATALOG#class',
  byTopicSk: `${firstMeetingAt}#${id}`,
})

/**
 * Requests waiting for a mentor (`matching`), in the `byTopic` directory beside the mentors they wait
 * for: one partition ordered by the moment each became eligible, so a mentor who frees up is offered
 * the longest-waiting requests first.
 */
export const waitingRequest = (eligibleSince: string, id: string) => ({
  byTopicPk: 'WAITING#request',
  byTopicSk: `${eligibleSince}#${id}`,
})

/**
 * The public list of open programs, in the `byTopic` directory index (beside the class catalog): one
 * partition of open programs ordered by their start. Present only while a program is open.
 */
export const programCatalog = (startsAt: string, id: string) => ({
  byTopicPk: 'CATALOG#program',
  byTopicSk: `${startsAt}#${id}`,
})

/** `byDue` index keys: hourly bucket of the due time, then the due time itself. */
export const byDue = (dueAt: string, id: string) => ({
  byDuePk: `DUE#${dueAt.slice(0, 13)}`,
  byDueSk: `${dueAt}#${id}`,
})

/** A new opaque id: 128 random bits, base64url (22 characters). */
export function newId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')
}
