/**
 * Consent per purpose (UU PDP; docs/contract/data-protection.md#consent): the purposes, the version of
 * the privacy notice in force, and the history every consent and withdrawal leaves behind.
 */
import * as z from 'zod/mini'
import { ValidationError } from '../errors/index.ts'
import { registerMessages } from '../i18n/index.ts'

/**
 * The privacy notice in force (`/privasi`): a consent is recorded against the version its form showed,
 * and refused when that is not this one. Change it whenever the notice's wording changes.
 */
export const PRIVACY_NOTICE_VERSION = '2026-11'

/** The purposes a person consents to one by one. */
export const CONSENT_PURPOSES = [
  'matching_contact',
  'reminders',
  'program_reports',
  'follow_on_invitations',
] as const
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number]

export const ConsentPurposes = z.object({
  matching_contact: z.boolean(),
  reminders: z.boolean(),
  program_reports: z.boolean(),
  follow_on_invitations: z.boolean(),
})
export type ConsentPurposes = z.infer<typeof ConsentPurposes>

/** One entry of a consent's history: a purpose given or withdrawn, when, against which notice. */
export const ConsentChange = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  given: z.boolean(),
  noticeVersion: z.string(),
  at: z.string(),
})
export type ConsentChange = z.infer<typeof ConsentChange>

/** The body of `POST …/consent`: one purpose given or withdrawn, against the notice shown. */
export const ConsentInput = z.strictObject({
  purpose: z.enum(CONSENT_PURPOSES, 'field.consent_purpose'),
  given: z.boolean(),
  /** The version of the privacy notice the page showed; required to give, recorded with a withdrawal. */
  purposeVersion: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
})
export type ConsentInput = z.infer<typeof ConsentInput>

/**
 * The body of a mentor's `DELETE /v1/me/data`: erasure cannot be undone, so it is confirmed in the
 * body and a stray `DELETE` (a retried script, a crawler) does nothing. The page sends it from a checkbox.
 */
export const MentorErasureInput = z.strictObject({ confirm: z.literal('erase', 'field.erase_confirm') })
export type MentorErasureInput = z.infer<typeof MentorErasureInput>

registerMessages({
  'field.erase_confirm': {
    id: 'Centang konfirmasi bahwa semua data Anda akan dihapus',
    en: 'Confirm that all your data will be erased',
  },
  'field.notice_version': {
    id: 'Kebijakan privasi sudah diperbarui: muat ulang halaman dan baca versi terbaru',
    en: 'The privacy notice has changed: reload the page and read the current version',
  },
  'field.consent_purpose': { id: 'Tujuan persetujuan tidak dikenal', en: 'Unknown consent purpose' },
})

/**
 * Refuses a consent given against a notice other than the one in force: the person agreed to wording
 * that no longer applies (a stale form, an old client). A 400 at `path`.
 */
export function requireCurrentNotice(version: string | undefined, path = 'consent.purposeVersion'): void {
  if (version !== PRIVACY_NOTICE_VERSION) throw new ValidationError([{ path, key: 'field.notice_version' }])
}

/** The history a first consent starts with: one entry per purpose, given or not. */
export function firstConsent(purposes: ConsentPurposes, noticeVersion: string, at: string): ConsentChange[] {
  return CONSENT_PURPOSES.map((purpose) => ({ purpose, given: purposes[purpose], noticeVersion, at }))
}

/**
 * What a consent recorded before purposes existed stands for: the one notice then covered matching,
 * contact, reminders and anonymous reports, never invitations.
 */
export const LEGACY_PURPOSES: ConsentPurposes = {
  matching_contact: true,
  reminders: true,
  program_reports: true,
  follow_on_invitations: false,
}
