import * as z from 'zod/mini'
import { normalizePhone, SECTORS, SIZE_CLASSES } from '../business/index.ts'
import { idField } from '../id/index.ts'
import { CONTACT_CHANNELS } from '../notification/channels.ts'
import { PageLimit, RegionCode, SLUG } from '../program/index.ts'
import { regionLevel } from '../region/index.ts'
import { freeText } from '../text/index.ts'
import { TIME_ZONES } from '../time/index.ts'
import { isTopic } from '../topic/index.ts'
import { REQUEST_STATUSES, WEEKDAYS } from './item.ts'

/** Languages a business owner may ask to be mentored in (ISO 639): Indonesian, English and regional ones. */
export const LANGUAGES = [
  'id',
  'en',
  'jv',
  'su',
  'mad',
  'ban',
  'min',
  'bug',
  'bjn',
  'ace',
  'bbc',
  'mak',
  'sas',
  'zh',
  'ar',
] as const

/** Where a business already sells or shows itself. */
export const CHANNELS = [
  'offline_store',
  'whatsapp',
  'instagram',
  'facebook',
  'tiktok',
  'youtube',
  'shopee',
  'tokopedia',
  'tiktok_shop',
  'lazada',
  'blibli',
  'gofood',
  'grabfood',
  'shopeefood',
  'website',
] as const

export const MODES = ['online', 'offline', 'either'] as const

const unique = <T>(items: T[]) => new Set(items).size === items.length
/** Free text: trimmed, bounded, no control or bidirectional-override characters. */
const text = freeText
const slug = z.string().check(z.maxLength(40), z.regex(SLUG, 'field.slug'))
/** `HH:MM`, 24-hour; `24:00` ends a day. */
const Time = z.string().check(z.maxLength(5), z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'field.time'))

const BusinessInput = z.strictObject({
  name: text(2, 120),
  ownerName: text(2, 120),
  /** Any Indonesian way of writing it (`0812-3456-7890`, `+62 812…`); stored as `+62…`. */
  phone: z.string().check(
    z.maxLength(40),
    z.refine((raw) => normalizePhone(raw) !== undefined, 'field.phone'),
  ),
  email: z.optional(z.email({ error: 'field.email' }).check(z.maxLength(254))),
  /**
   * Issue 17: how the owner wants to hear from us — `whatsapp` (the default), `sms` or `email` (which
   * needs `email`). The other channels they gave an address for are the fallbacks.
   */
  channel: z.optional(z.enum(CONTACT_CHANNELS, 'field.channel')),
  /** Kemendagri code of the regency/city (`35.73`) or district (`35.73.01`). */
  region: RegionCode.check(
    z.refine(
      (code) => regionLevel(code) === 'city' || regionLevel(code) === 'district',
      'field.region_level',
    ),
  ),
  sector: z.enum(SECTORS),
  /** Annual sales in Rupiah; gives the size class (PP 7/2021). */
  annualSales: z.optional(z.int().check(z.gte(0), z.lte(1_000_000_000_000_000))),
  /** When sales are not given. */
  sizeClass: z.optional(z.enum(SIZE_CLASSES)),
  currentChannels: z._default(
    z.array(z.enum(CHANNELS)).check(z.maxLength(CHANNELS.length), z.refine(unique, 'field.duplicate')),
    [],
  ),
})

export const AvailabilityInput = z
  .strictObject({ day: z.enum(WEEKDAYS), from: Time, to: Time })
  .check(z.refine((slot) => slot.from < slot.to, { message: 'field.time_order', path: ['to'] }))

/**
 * What an owner submits, by JSON or HTML form. Program-specific needs are allowed only with a program
 * (and checked against its topics when the request is written); without one, needs are standard topics.
 */
export const NewRequest = z
  .strictObject({
    business: BusinessInput,
    needs: z.array(slug).check(z.minLength(1), z.maxLength(5), z.refine(unique, 'field.duplicate')),
    description: text(1, 2000),
    mode: z.enum(MODES),
    languages: z
      .array(z.enum(LANGUAGES))
      .check(z.minLength(1), z.maxLength(5), z.refine(unique, 'field.duplicate')),
    /** Weekly slots in `timeZone`. */
    availability: z.array(AvailabilityInput).check(z.minLength(1), z.maxLength(21)),
    /** Defaults to the zone of the business's province. */
    timeZone: z.optional(z.enum(TIME_ZONES, 'field.time_zone')),
    programId: z.optional(idField('field.program')),
    segment: z.optional(slug),
    consent: z.strictObject({
      /** Matching and contact: the request cannot be served without it. */
      accepted: z.literal(true, 'field.consent'),
      /** The version of the privacy notice the owner was shown: refused unless it is the one in force. */
      purposeVersion: text(1, 32),
      /** The optional purposes, each given on its own (absent: not given). */
      purposes: z.optional(
        z.strictObject({
          reminders: z._default(z.boolean(), false),
          program_reports: z._default(z.boolean(), false),
          follow_on_invitations: z._default(z.boolean(), false),
        }),
      ),
    }),
  })
  .check(
    z.refine((input) => input.programId === undefined || input.segment !== undefined, {
      message: 'field.required',
      path: ['segment'],
    }),
    z.refine((input) => input.business?.channel !== 'email' || input.business.email !== undefined, {
      message: 'field.channel_email',
      path: ['business', 'channel'],
    }),
    z.refine((input) => input.segment === undefined || input.programId !== undefined, {
      message: 'field.required',
      path: ['programId'],
    }),
    z.refine(
      (input) => input.programId !== undefined || !Array.isArray(input.needs) || input.needs.every(isTopic),
      {
        message: 'field.topic',
        path: ['needs'],
      },
    ),
  )
export type NewRequest = z.infer<typeof NewRequest>

/** The query of the staff's request list. */
export const RequestListQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES),
  program: z.optional(idField('field.program')),
  segment: z.optional(slug),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(PageLimit),
})
export type RequestListQuery = z.infer<typeof RequestListQuery>
