/**
 * Indonesia's three time zones. Times are stored in UTC (ISO-8601); programs and sessions carry an
 * IANA zone, and people read local time labelled WIB, WITA or WIT. Indonesia keeps no daylight
 * saving, so each zone is a fixed offset from UTC.
 */
import type { Locale } from '../i18n/index.ts'

export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const
export type TimeZone = (typeof TIME_ZONES)[number]

const LABELS: Readonly<Record<TimeZone, string>> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
}

const OFFSET_MINUTES: Readonly<Record<TimeZone, number>> = {
  'Asia/Jakarta': 7 * 60,
  'Asia/Makassar': 8 * 60,
  'Asia/Jayapura': 9 * 60,
}

export function isTimeZone(value: unknown): value is TimeZone {
  return typeof value === 'string' && (TIME_ZONES as readonly string[]).includes(value)
}

/** `WIB` (Waktu Indonesia Barat, UTC+7), `WITA` (Tengah, UTC+8) or `WIT` (Timur, UTC+9). */
export function zoneLabel(zone: TimeZone): string {
  return LABELS[zone]
}

/** Minutes ahead of UTC: 420, 480 or 540. */
export function zoneOffsetMinutes(zone: TimeZone): number {
  return OFFSET_MINUTES[zone]
}

/** Provinces on WITA (UU/Keppres 41/1987): Bali, Nusa Tenggara, the south/east/north of Kalimantan and Sulawesi. */
const WITA_PROVINCES = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76'])

/**
 * The zone of a region from its province code: WIT for Maluku and Papua (`8x`, `9x`), WITA for the
 * provinces above, WIB for the rest (Sumatra, Java, western and central Kalimantan).
 *
 * @example
 * zoneOfRegion('35.73') // 'Asia/Jakarta'
 * zoneOfRegion('51.71') // 'Asia/Makassar'
 */
export function zoneOfRegion(code: string): TimeZone {
  const province = code.slice(0, 2)
  if (province[0] === '8' || province[0] === '9') return 'Asia/Jayapura'
  return WITA_PROVINCES.has(province) ? 'Asia/Makassar' : 'Asia/Jakarta'
}

/** Building an Intl formatter costs far more than using one, so keep one per zone and language. */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(zone: TimeZone, locale: Locale): Intl.DateTimeFormat {
  const key = `${zone} ${locale}`
  let formatter = formatters.get(key)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(key, formatter)
  }
  return formatter
}

/**
 * A UTC instant as people in `zone` read it, labelled with the zone.
 * Throws a `RangeError` when `isoUtc` is not a date.
 *
 * @example
 * formatLocal('2025-05-05T07:30:00Z', 'Asia/Jakarta', 'id') // 'Senin, 5 Mei 2025 pukul 14.30 WIB'
 * formatLocal('2025-05-05T07:30:00Z', 'Asia/Jayapura', 'en') // 'Monday, 5 May 2025 at 16:30 WIT'
 */
export function formatLocal(isoUtc: string, zone: TimeZone, locale: Locale): string {
  const date = new Date(isoUtc)
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${isoUtc}`)
  return `${formatterFor(zone, locale).format(date)} ${LABELS[zone]}`
}
