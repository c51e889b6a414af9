/**
 * The bounds of what the API answers, written into the OpenAPI document (docs/contract/api.md#bounds):
 * zod leaves an answer's strings and lists unbounded, and the OWASP ruleset asks every string for a
 * `maxLength` and every array for a `maxItems`, so clients know what to expect. A field is bounded by
 * what it holds: what a person typed has the bound its input was validated with (a business name 120,
 * a class description 4 000…), what the app makes has its own (ids 64, timestamps 40, tokens 64…), and a
 * list with no cap of its own (a report's mentors, a draw's order) has the ceiling of the answer
 * itself: Lambda answers at most 6 MiB. Only the document changes; the answers are what they were.
 *
 * A field of an answer found in none of the tables keeps no bound, and the OWASP test names it:
 * a new field is given its bound here.
 */

import './platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { PAGE_MAX } from '@pendamping/core/dynamo'

/** Lambda's largest synchronous answer, the ceiling of anything the API sends. */
const ANSWER_MAX_BYTES = 6 * 1024 * 1024
/** A list with no cap of its own: as many of its smallest element (`{}` or `""` and a comma) as fit in an answer. */
const UNCAPPED = Math.floor(ANSWER_MAX_BYTES / 3)

const ID = 64
const SUB = 128
const TIME = 40
const SLUG = 40
const REGION = 13
const LINK = 2048

/**
 * String bounds by the field's name, or `parent.name` where one name means two things; `name[]` is a
 * list's element, `name{}` a record's keys and `name{}=` its values.
 */
const STRINGS: Record<string, number> = {
  // Ids of ours (`idField`), and account subjects (the token claim's bound).
  id: ID,
  classId: ID,
  programId: ID,
  requestId: ID,
  offerId: ID,
  engagementId: ID,
  mentorId: ID,
  participantId: ID,
  meetingId: ID,
  sessionId: ID,
  planId: ID,
  followOnOf: ID,
  'registrationIds[]': ID,
  'unassigned[]': ID,
  'attendance{}': ID,
  sub: SUB,
  mentorSub: SUB,
  createdBy: SUB,
  invitedBy: SUB,
  // Times: ISO 8601 in UTC, `HH:MM` in availability, and the local time spelled out for people.
  startsAt: TIME,
  endsAt: TIME,
  'local.startsAt': 80,
  'local.endsAt': 80,
  from: TIME,
  to: TIME,
  at: TIME,
  validFrom: TIME,
  validUntil: TIME,
  month: 7,
  timeZone: 64,
  // Codes: Kemendagri regions, slugs, marks.
  region: REGION,
  code: REGION,
  'regions[]': REGION,
  'regionsServed[]': REGION,
  sector: SLUG,
  segment: SLUG,
  interest: SLUG,
  'needs[]': SLUG,
  'languages[]': SLUG,
  'currentChannels[]': SLUG,
  'attendance{}=': SLUG,
  'seats{}': SLUG,
  'segments{}': SLUG,
  'byStatus{}': SLUG,
  'bySector{}': SLUG,
  'bySegment{}': SLUG,
  'bySizeClass{}': SLUG,
  'byKind{}': SLUG,
  'outcomes{}': SLUG,
  'breakdown{}': SLUG,
  'consent{}': SLUG,
  'purposes{}': SLUG,
  purpose: SLUG,
  purposeVersion: 32,
  noticeVersion: 32,
  // Topics: slugs, or a program's own topics (up to 120 characters).
  topic: 120,
  'topics[]': 120,
  'byTopic{}': 120,
  // What people typed: the bounds their inputs are validated with.
  name: 160,
  'business.name': 120,
  'names[]': 160,
  title: 160,
  programName: 160,
  ownerName: 120,
  business: 120,
  businessName: 120,
  phone: 40,
  email: 254,
  description: 4000,
  bio: 1000,
  note: 1000,
  notes: 2000,
  comment: 1000,
  place: 300,
  meetingUrl: 500,
  // Official names of regions and offices.
  regionName: 200,
  office: 200,
  // What the app makes: certificate numbers, lottery seeds (SHA-256 in hex), tokens, cursors, links.
  number: 64,
  seed: 64,
  seedHash: 64,
  trackingToken: 64,
  participantToken: 64,
  nextCursor: LINK,
  page: LINK,
  pdf: LINK,
  credential: LINK,
  badge: LINK,
  privatePath: LINK,
  // A whole CSV report.
  '': ANSWER_MAX_BYTES,
}

/** List bounds by the field's name: the cap its input or its domain sets, else {@link UNCAPPED}. */
const ARRAYS: Record<string, number> = {
  items: PAGE_MAX,
  availability: 21,
  currentChannels: 15,
  languages: 5,
  meetings: 12,
  modes: 3,
  needs: 5,
  outcomes: 12,
  regionsServed: 10,
  // The home region, then the regions served.
  regions: 11,
  skills: 10,
  topics: 50,
  trainers: 5,
  progress: 100,
  segments: 20,
  // One group per meeting of a class.
  groups: 12,
  buckets: 20,
  byRegion: UNCAPPED,
  mentors: UNCAPPED,
  monthly: UNCAPPED,
  names: UNCAPPED,
  registrations: UNCAPPED,
  registrationIds: UNCAPPED,
  assignments: UNCAPPED,
  // Every consent given or withdrawn, kept with the person.
  history: UNCAPPED,
  unassigned: UNCAPPED,
}

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null

const typeOf = (schema: Node, type: string) =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type))

/** Times are named `…At` (`submittedAt`, `revokedAt`): ISO 8601 in UTC. */
const AT = /^[a-z]\w*At$/

const boundOf = (table: Record<string, number>, parent: string, name: string) =>
  table[`${parent}.${name}`] ?? table[name] ?? (table === STRINGS && AT.test(name) ? TIME : undefined)

/**
 * Gives every unbounded string and array of an answer's schema its bound from the tables, in place.
 *
 * @example
 * for (const response of Object.values(operation.responses)) bound(response.content[type].schema)
 */
export function bound(schema: unknown, name = '', parent = ''): void {
  if (!isNode(schema)) return
  if (typeOf(schema, 'string') && schema.maxLength === undefined && schema.enum === undefined) {
    const max = boundOf(STRINGS, parent, name)
    if (max !== undefined && schema.const === undefined) schema.maxLength = max
  }
  if (typeOf(schema, 'array') && schema.maxItems === undefined) {
    const max = boundOf(ARRAYS, parent, name)
    if (max !== undefined) schema.maxItems = max
  }
  for (const variant of [...asList(schema.anyOf), ...asList(schema.oneOf), ...asList(schema.allOf)])
    bound(variant, name, parent)
  if (isNode(schema.properties))
    for (const [property, child] of Object.entries(schema.properties)) bound(child, property, name)
  if (schema.items !== undefined) bound(schema.items, `${name}[]`, parent)
  if (schema.propertyNames !== undefined) bound(schema.propertyNames, `${name}{}`, parent)
  if (isNode(schema.additionalProperties)) bound(schema.additionalProperties, `${name}{}=`, parent)
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
