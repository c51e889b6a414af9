/** What a mentor sends about sessions, validated at the HTTP edge (zod/mini) and typed from here. */
import * as z from 'zod/mini'
import { hasMessage, registerMessages } from '../i18n/index.ts'
import { SLUG } from '../program/index.ts'
import { freeText } from '../text/index.ts'
import { TIME_ZONES } from '../time/index.ts'
import { OUTCOMES } from '../topic/index.ts'

registerMessages(
  Object.fromEntries(
    Object.entries({
      'field.datetime_utc': {
        id: 'Waktu harus UTC ISO 8601 berakhiran Z (contoh 2026-03-02T02:00:00Z)',
        en: 'Times must be UTC ISO 8601 ending in Z (e.g. 2026-03-02T02:00:00Z)',
      },
      'field.https_url': {
        id: 'Tautan harus alamat https (contoh https://meet.google.com/abc-defg-hij)',
        en: 'The link must be an https address (e.g. https://meet.google.com/abc-defg-hij)',
      },
    }).filter(([key]) => !hasMessage(key)),
  ),
)

const unique = <T>(items: T[]) => new Set(items).size === items.length
/** Free text: trimmed, bounded, no control or bidirectional-override characters. */
const text = freeText

/** UTC only (`…Z`): a session's instant never depends on the sender's clock settings. */
const UtcDateTime = z.iso.datetime({ error: 'field.datetime_utc' }).check(z.maxLength(40))
const MeetingUrl = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'field.https_url' })
  .check(z.maxLength(500))
const Place = text(2, 300)
const Topics = z
  .array(z.string().check(z.maxLength(40), z.regex(SLUG, 'field.slug')))
  .check(z.minLength(1), z.maxLength(5), z.refine(unique, 'field.duplicate'))
const Mode = z.enum(['online', 'offline'])

interface VenueFields {
  mode?: 'online' | 'offline' | undefined
  meetingUrl?: string | undefined
  place?: string | undefined
}

/** Online needs its link, offline its place (the other one, if sent, is dropped). */
const venueRules = [
  z.refine<VenueFields>((input) => input.mode !== 'online' || !!input.meetingUrl, {
    message: 'field.meeting_url',
    path: ['meetingUrl'],
  }),
  z.refine<VenueFields>((input) => input.mode !== 'offline' || !!input.place, {
    message: 'field.place',
    path: ['place'],
  }),
] as const

/** `POST /v1/engagements/{id}/sessions`: times in UTC on quarter hours, at most 4 hours. */
export const NewSessionInput = z
  .strictObject({
    startsAt: UtcDateTime,
    endsAt: UtcDateTime,
    /** How people read the times; the program's zone by default. */
    timeZone: z.optional(z.enum(TIME_ZONES, 'field.time_zone')),
    mode: Mode,
    /** Required online: an https meeting link. */
    meetingUrl: z.optional(MeetingUrl),
    /** Required offline: where to meet. */
    place: z.optional(Place),
    topics: Topics,
  })
  .check(...venueRules)
export type NewSessionInput = z.infer<typeof NewSessionInput>

/** `PATCH /v1/sessions/{id}`: new times, and optionally a new zone, venue or topics. */
export const SessionChangeInput = z
  .strictObject({
    startsAt: UtcDateTime,
    endsAt: UtcDateTime,
    timeZone: z.optional(z.enum(TIME_ZONES, 'field.time_zone')),
    mode: z.optional(Mode),
    meetingUrl: z.optional(MeetingUrl),
    place: z.optional(Place),
    topics: z.optional(Topics),
  })
  .check(...venueRules)
export type SessionChangeInput = z.infer<typeof SessionChangeInput>

/** `POST /v1/sessions/{id}/complete`: `no_show` when the owner did not come. */
export const CompletionInput = z.strictObject({
  attendance: z.enum(['attended', 'no_show']),
  notes: z.optional(text(0, 2000)),
  outcomes: z._default(
    z.array(z.enum(OUTCOMES)).check(z.maxLength(OUTCOMES.length), z.refine(unique, 'field.duplicate')),
    [],
  ),
})
export type CompletionInput = z.infer<typeof CompletionInput>
