import { Program, Segment } from '../adapters/dynamo/entities/program.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { query, type Step, transact } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { normalizePhone, sizeClassOf } from '../business/index.ts'
import { ConflictError, type FieldIssue, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { NATIONAL, parseProgram, regionAncestors } from '../program/index.ts'
import type { Clock, Store } from '../store.ts'
import { zoneOfRegion } from '../time/index.ts'
import { isTopic } from '../topic/index.ts'
import { RequestEvents } from './events.ts'
import type { NewRequest } from './input.ts'
import type { RequestItem } from './item.ts'
import { newTrackingToken } from './token.ts'
import type { Submitted } from './view.ts'

/** The anonymous facts every request event carries (no names, phones or free text). */
export function requestFacts(request: RequestItem) {
  return {
    requestId: request.id,
    programId: request.programId,
    segment: request.segment,
    region: request.region,
    sector: request.sector,
    sizeClass: request.sizeClass,
    needs: request.needs,
  }
}

/** Size class from sales when given (they must agree with a class also given), else the class given. */
function sizeClassFor(business: NewRequest['business'], issues: FieldIssue[]): RequestItem['sizeClass'] {
  if (business.annualSales !== undefined) {
    const derived = sizeClassOf(business.annualSales)
    if (!derived) issues.push({ path: 'business.annualSales', key: 'field.not_umkm' })
    else if (business.sizeClass && business.sizeClass !== derived)
      issues.push({ path: 'business.sizeClass', key: 'field.size_class_mismatch' })
    return derived ?? 'menengah'
  }
  if (!business.sizeClass) issues.push({ path: 'business.sizeClass', key: 'field.size_class' })
  return business.sizeClass ?? 'mikro'
}

type Placement = 'matching' | 'waitlisted'

/** Why the program refused the request, read from the program item returned with the cancellation. */
function programRefusal(
  program: Record<string, unknown> | undefined,
  request: RequestItem,
  extras: string[],
): Error {
  if (program?.entity !== 'program') return new ValidationError([{ path: 'programId', key: 'field.program' }])
  const parsed = parseProgram(program)
  if (parsed.status !== 'open') return new ConflictError('Program not open', 'program-not-open')
  if (![NATIONAL, ...regionAncestors(request.region)].includes(parsed.region))
    return new ValidationError([{ path: 'business.region', key: 'field.region_outside' }])
  const issues = extras
    .filter((topic) => !parsed.topics.includes(topic))
    .map((topic) => ({ path: `needs.${request.needs.indexOf(topic)}`, key: 'field.topic' }))
  return new ValidationError(issues.length > 0 ? issues : [{ path: 'programId', key: 'field.program' }])
}

/**
 * Writes a new mentoring request and answers `{ id, status, trackingToken }`.
 *
 * Without a program it goes straight to `matching`. With one, the seat is taken in the same
 * transaction as the request's `Put` (`admitted < quota`, nobody waiting, program open and covering the
 * business's region and its program-specific needs). If the segment is full a second transaction
 * writes it `waitlisted` and counts it; its place in the queue is its server-assigned `submittedAt`
 * and id. `RequestSubmitted` is written in the same transaction either way; matching runs later
 * from that event. At most two `TransactWriteItems` (each retried on a `TransactionConflict`).
 *
 * @throws ValidationError for facts the schema cannot judge alone (size class, program topics, segment)
 * @throws ConflictError `program-not-open`
 * @throws IdempotencyRaceLostError when a concurrent retry with the same key committed first
 */
export async function submitRequest(
  store: Store,
  clock: Clock,
  input: NewRequest,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<Submitted> {
  const issues: FieldIssue[] = []
  const sizeClass = sizeClassFor(input.business, issues)
  const extras = input.needs.filter((need) => !isTopic(need))
  if (input.programId === undefined)
    for (const topic of extras)
      issues.push({ path: `needs.${input.needs.indexOf(topic)}`, key: 'field.topic' })
  const phone = normalizePhone(input.business.phone)
  if (!phone) issues.push({ path: 'business.phone', key: 'field.phone' })
  if (issues.length > 0 || !phone) throw new ValidationError(issues)

  const now = clock.now()
  const submittedAt = now.toISOString()
  const id = newId()
  const { token, hash } = newTrackingToken()
  const base: RequestItem = {
    entity: 'request',
    version: 1,
    id,
    status: 'matching',
    programId: input.programId ?? null,
    segment: input.programId === undefined ? null : (input.segment ?? null),
    region: input.business.region,
    sector: input.business.sector,
    sizeClass,
    needs: input.needs,
    mode: input.mode,
    languages: input.languages,
    availability: input.availability,
    timeZone: input.timeZone ?? zoneOfRegion(input.business.region),
    submittedAt,
    updatedAt: submittedAt,
    excludedMentorIds: [],
    offerCount: 0,
    tokenHash: hash,
    business: {
      name: input.business.name,
      ownerName: input.business.ownerName,
      phone,
      email: input.business.email ?? null,
      annualSales: input.business.annualSales ?? null,
      currentChannels: input.business.currentChannels,
    },
    description: input.description,
    consent: { accepted: true, purposeVersion: input.consent.purposeVersion, recordedAt: submittedAt },
    erasedAt: null,
  }
  // Taking the seat is one transaction; a full segment is told apart from other refusals by this.
  const full = new ConflictError('Segment full', 'segment-full')

  const attempt = async (status: Placement): Promise<Submitted> => {
    const request: RequestItem = { ...base, status }
    const answer: Submitted = { id, status, trackingToken: token }
    const event = createEvent(
      RequestEvents.Submitted,
      { ...requestFacts(request), mode: request.mode, languages: request.languages, status, submittedAt },
      now,
    )
    const { programId, segment } = request
    const program: Step[] =
      programId === null || segment === null
        ? []
        : [
            [
              'seat',
              status === 'matching'
                ? Segment.takeSeat(programId, segment)
                : Segment.joinWaitlist(programId, segment),
            ],
            // A national program (`*`) admits every region.
            ['program', Program.admits(programId, [NATIONAL, ...regionAncestors(request.region)], extras)],
          ]
    await transact(store, [['request', Request.put(request)], ...program, ['event', outbox(event)]], {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: answer }, now),
      explain: ({ conditions, items }) => {
        if (conditions.has('program')) return programRefusal(items.program, base, extras)
        if (conditions.has('seat') && !items.seat)
          return new ValidationError([{ path: 'segment', key: 'field.segment' }])
        if (conditions.has('seat') && status === 'matching') return full
        return new ConflictError('Too many concurrent changes; try again', 'stale')
      },
    })
    return answer
  }

  try {
    return await attempt('matching')
  } catch (error) {
    if (error !== full) throw error
    return attempt('waitlisted')
  }
}

/**
 * Gives a freed seat of `segment` to its oldest waitlisted request: one transaction takes the seat
 * (`admitted < quota`), moves the request `waitlisted → matching` and writes `RequestPromoted`. Run from
 * `RequestCancelled` (with `freedSeat`) and `ProgramUpdated` (raised quota); a second delivery finds
 * no free seat and does nothing, so it is safe to repeat.
 *
 * The queue is read from the `byProgram` index (eventually consistent): a head already promoted or
 * cancelled fails its status condition and the next candidate is tried. At most one `Query` and two
 * `TransactWriteItems`.
 *
 * @returns the promoted request, or `undefined` when no seat is free or nobody waits
 */
export async function promoteNextWaitlisted(
  store: Store,
  clock: Clock,
  programId: string,
  segment: string,
): Promise<RequestItem | undefined> {
  const queue = await query(store, Request.inProgram(programId, 'waitlisted', segment), { limit: 2 })
  // A head already promoted or cancelled fails its status condition: then the next one is tried.
  const skip = new Error('Not waitlisted any more')
  const noSeat = new Error('No free seat')
  for (const request of queue.items) {
    const now = clock.now()
    const event = createEvent(
      RequestEvents.Promoted,
      { ...requestFacts(request), promotedAt: now.toISOString() },
      now,
    )
    const promoted: RequestItem = { ...request, status: 'matching', updatedAt: now.toISOString() }
    try {
      await transact(
        store,
        [
          ['seat', Segment.promote(programId, segment)],
          // Only the status is checked: what the index copy may lag on (updatedAt) does not matter here.
          [
            'request',
            Request.update(
              request,
              { set: { status: 'matching', updatedAt: promoted.updatedAt } },
              { when: Request.inStatus(request.status) },
            ),
          ],
          ['event', outbox(event)],
        ],
        {
          explain: ({ conditions }) =>
            conditions.has('seat')
              ? noSeat
              : conditions.has('request')
                ? skip
                : new ConflictError('Stale', 'stale'),
        },
      )
      return promoted
    } catch (error) {
      if (error === noSeat) return undefined
      if (error !== skip) throw error
    }
  }
  return undefined
}
