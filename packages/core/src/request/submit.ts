import { Program, Segment } from '../adapters/dynamo/entities/program.ts'
import { ProgramPhone } from '../adapters/dynamo/entities/program-phone.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { get, query, type Step, transact } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { hashPhone, normalizePhone, sizeClassOf } from '../business/index.ts'
import { ConflictError, type FieldIssue, ValidationError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { answerSecret, type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { firstConsent, requireCurrentNotice } from '../privacy/consent.ts'
import { retentionStep } from '../privacy/retention-duty.ts'
import { NATIONAL, ProgramNotRunningError, parseProgram, regionAncestors } from '../program/index.ts'
import type { Clock, Store } from '../store.ts'
import { zoneOfRegion } from '../time/index.ts'
import { isTopic } from '../topic/index.ts'
import { RequestEvents } from './events.ts'
import type { NewRequest } from './input.ts'
import { CLAIMING_STATUSES, type ProgramPhoneItem, type RequestItem } from './item.ts'
import './messages.ts'
import { contactLinks } from './recovery-links.ts'
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

/** The phone's claim on the program was refused: `holder` is the request holding it. */
class PhoneClaimedError extends Error {
  constructor(readonly holder: string | undefined) {
    super('Phone already claimed in this program')
  }
}

/**
 * A phone that already holds an open (or active) request in the program: the owner should follow
 * that request through its tracking link instead of asking again.
 */
export class PhoneHasRequestError extends ConflictError {
  constructor() {
    super('This phone already has an open request in this program', 'phone-has-request')
  }
}

/** Why the program refused the request, read from the program item returned with the cancellation. */
function programRefusal(
  program: Record<string, unknown> | undefined,
  request: RequestItem,
  extras: string[],
  now: Date,
): Error {
  if (program?.entity !== 'program') return new ValidationError([{ path: 'programId', key: 'field.program' }])
  const parsed = parseProgram(program)
  if (parsed.status !== 'open') return new ConflictError('Program not open', 'program-not-open')
  const at = now.toISOString()
  if (at < parsed.startsAt || at >= parsed.endsAt) return new ProgramNotRunningError(parsed)
  if (![NATIONAL, ...regionAncestors(request.region)].includes(parsed.region))
    return new ValidationError([{ path: 'business.region', key: 'field.region_outside' }])
  const issues = extras
    .filter((topic) => !parsed.topics.includes(topic))
    .map((topic) => ({ path: `needs.${request.needs.indexOf(topic)}`, key: 'field.topic' }))
  return new ValidationError(issues.length > 0 ? issues : [{ path: 'programId', key: 'field.program' }])
}

/** The consent a request records: matching and contact always, the other purposes as given. */
function consentRecord(consent: NewRequest['consent'], at: string): RequestItem['consent'] {
  const purposes = {
    matching_contact: true,
    reminders: consent.purposes?.reminders ?? false,
    program_reports: consent.purposes?.program_reports ?? false,
    follow_on_invitations: consent.purposes?.follow_on_invitations ?? false,
  }
  return {
    accepted: true,
    purposeVersion: consent.purposeVersion,
    recordedAt: at,
    purposes,
    history: firstConsent(purposes, consent.purposeVersion, at),
  }
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
 * One person, one seat: with a program, the same transaction puts the phone's claim on the program
 * (`ProgramPhone`, `attribute_not_exists`), so of any number of concurrent submissions with one phone
 * exactly one commits. A claim whose request no longer holds it (unmatched, completed; cancelled and
 * erased requests delete theirs) is taken over, conditioned on its holder, at the cost of one
 * `GetItem` and one more transaction.
 *
 * @throws ValidationError for facts the schema cannot judge alone (size class, program topics, segment)
 * @throws ConflictError `program-not-open`; ProgramNotRunningError `program-not-running` outside its dates
 * @throws PhoneHasRequestError `phone-has-request` when the phone holds an open request in the program
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
  requireCurrentNotice(input.consent.purposeVersion)

  const now = clock.now()
  const submittedAt = now.toISOString()
  const id = newId()
  const secret = answerSecret(options.idempotency)
  const { token, hash } = newTrackingToken(secret)
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
      channel: input.business.channel ?? 'whatsapp',
    },
    description: input.description,
    consent: consentRecord(input.consent, submittedAt),
    erasedAt: null,
  }
  // Taking the seat is one transaction; a full segment is told apart from other refusals by this.
  const full = new ConflictError('Segment full', 'segment-full')
  const claim: ProgramPhoneItem | undefined =
    base.programId === null
      ? undefined
      : {
          entity: 'programPhone',
          version: 1,
          programId: base.programId,
          phoneHash: hashPhone(phone),
          requestId: id,
        }
  /** The request whose stale claim this submission takes over, once it has read it. */
  let takingOver: string | undefined

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
            [
              'program',
              Program.admits(programId, [NATIONAL, ...regionAncestors(request.region)], extras, now),
            ],
          ]
    const phoneClaim: Step[] = claim ? [['phone', ProgramPhone.claim(claim, takingOver)]] : []
    const steps: Step[] = [
      ['request', Request.put(request)],
      ...program,
      ...phoneClaim,
      // Issue 17: where link recovery finds this request by the owner's phone (and e-mail).
      ...contactLinks(base),
      ['retention', retentionStep({ person: 'owner', personId: request.id }, now)],
      ['event', outbox(event)],
    ]
    await transact(store, steps, {
      idempotency: storeAnswer(options.idempotency, { status: 201, body: answer }, now, secret),
      explain: ({ conditions, items }) => {
        if (conditions.has('program')) return programRefusal(items.program, base, extras, now)
        if (conditions.has('seat') && !items.seat)
          return new ValidationError([{ path: 'segment', key: 'field.segment' }])
        if (conditions.has('phone')) {
          const holder = items.phone?.requestId
          return new PhoneClaimedError(typeof holder === 'string' ? holder : undefined)
        }
        if (conditions.has('seat') && status === 'matching') return full
        return new ConflictError('Too many concurrent changes; try again', 'stale')
      },
    })
    return answer
  }

  /** Places the request, taking over the phone's claim once if the request holding it holds it no more. */
  const placed = async (status: Placement): Promise<Submitted> => {
    for (let round = 0; ; round++) {
      try {
        return await attempt(status)
      } catch (error) {
        if (!(error instanceof PhoneClaimedError)) throw error
        if (round > 0 || error.holder === undefined) throw new PhoneHasRequestError()
        const holder = await get(store, Request, { id: error.holder })
        if (holder && holder.business !== null && CLAIMING_STATUSES.includes(holder.status))
          throw new PhoneHasRequestError()
        takingOver = error.holder
      }
    }
  }

  try {
    return await placed('matching')
  } catch (error) {
    if (error !== full) throw error
    return placed('waitlisted')
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
    // Its matching window starts now, not at its submission.
    const at = now.toISOString()
    const promoted: RequestItem = { ...request, status: 'matching', updatedAt: at, eligibleSince: at }
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
              { set: { status: 'matching', updatedAt: at, eligibleSince: at } },
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
