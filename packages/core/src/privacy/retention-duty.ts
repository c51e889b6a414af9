/**
 * The retention duty's step, kept apart from the rest of `privacy/` so the modules that create people
 * (requests, registrations, applications) import only this.
 */
import { FollowUp } from '../adapters/dynamo/entities/follow-up.ts'
import type { TransactItem } from '../adapters/dynamo/index.ts'
import type { FollowUpItem } from '../followup/item.ts'

/** Whose data a retention duty is about. */
export interface PersonRef {
  person: 'owner' | 'participant' | 'mentor'
  /** The request's id for an owner, else the participant's or mentor's id. */
  personId: string
}

/** Months personal data is kept after a person's last activity, unless their program says otherwise. */
export const DEFAULT_RETENTION_MONTHS = 12

/** The follow-up subject of a person's retention duty: `owner~<requestId>`. */
export const retentionSubject = (ref: PersonRef) => `${ref.person}~${ref.personId}`

/** The person a retention duty's subject names, or `undefined` for a subject that is not one. */
export function personOfSubject(subject: string): PersonRef | undefined {
  const [person, personId] = subject.split('~')
  if (!personId || (person !== 'owner' && person !== 'participant' && person !== 'mentor')) return undefined
  return { person, personId }
}

/** `at` plus `months` calendar months (UTC). */
export function addMonths(at: Date, months: number): Date {
  const due = new Date(at)
  due.setUTCMonth(due.getUTCMonth() + months)
  return due
}

/**
 * The `Put` of a person's retention duty, due `months` after `from`: a step of the transaction that
 * creates the person (or that moves the duty after fresh activity; a fired duty is re-armed).
 */
export function retentionStep(ref: PersonRef, from: Date, months = DEFAULT_RETENTION_MONTHS): TransactItem {
  const subjectId = retentionSubject(ref)
  const dueAt = addMonths(from, months).toISOString()
  const item: FollowUpItem = {
    entity: 'followUp',
    version: 1,
    id: `retention:${subjectId}`,
    kind: 'retention',
    subjectId,
    dueAt,
    status: 'pending',
  }
  return FollowUp.put(item, { when: FollowUp.rearmable(dueAt) })
}
