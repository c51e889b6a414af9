import type { Report } from './index.ts'

/** UTF-8 byte order mark: Excel then reads Indonesian names (and `—`) as UTF-8. */
const BOM = '\uFEFF'

/** The CSV columns: one long, tidy table in which each row is one number. */
export const CSV_HEADER = ['section', 'key', 'metric', 'value'] as const

type Row = [section: string, key: string, metric: string, value: number | string | null]

/**
 * A report as CSV for spreadsheets: one tidy table (`section,key,metric,value`), one row per number,
 * so a pivot table or a filter on `section` gives each section's table. Numbers are written raw (dot
 * decimals, no thousands separators); an absent number (no rating yet) is an empty cell. UTF-8 with a
 * BOM, CRLF line ends (RFC 4180).
 *
 * @example
 * section,key,metric,value
 * requests_by_status,matching,count,12
 * monthly,2026-03,sessions_completed,40
 */
export function toCsv(report: Report): string {
  const rows: Row[] = []
  const scope = report.scope
  rows.push(['scope', scope.kind, 'id', scope.id ?? ''])
  rows.push(['scope', scope.kind, 'from', report.from])
  rows.push(['scope', scope.kind, 'to', report.to])
  rows.push(['scope', scope.kind, 'time_zone', report.timeZone])
  const r = report.requests
  for (const [metric, value] of [
    ['submitted', r.submitted],
    ['matched', r.matched],
    ['promoted', r.promoted],
    ['erased', r.erased],
  ] as const)
    rows.push(['requests', 'all', metric, value])
  const counts = (section: string, values: Record<string, number>) => {
    for (const [key, value] of Object.entries(values)) rows.push([section, key, 'count', value])
  }
  counts('requests_by_status', r.byStatus)
  counts('requests_by_topic', r.byTopic)
  counts('requests_by_sector', r.bySector)
  counts('requests_by_size_class', r.bySizeClass)
  counts('requests_by_segment', r.bySegment)
  for (const { code, count } of r.byRegion) rows.push(['requests_by_region', code, 'count', count])
  if (report.seats) {
    for (const s of report.seats.segments) {
      rows.push(['seats', s.segment, 'quota', s.quota])
      rows.push(['seats', s.segment, 'used', s.used])
      rows.push(['seats', s.segment, 'waitlist', s.waitlist])
    }
  }
  rows.push(['matching', 'all', 'match_rate', report.matchRate])
  rows.push(['matching', 'all', 'time_to_match_median_hours', report.timeToMatch.medianHours])
  rows.push(['matching', 'all', 'time_to_match_p90_hours', report.timeToMatch.p90Hours])
  for (const bucket of report.timeToMatch.buckets) {
    rows.push([
      'time_to_match',
      bucket.upToHours === null ? 'longer' : String(bucket.upToHours),
      'count',
      bucket.count,
    ])
  }
  for (const [metric, value] of Object.entries(report.offers)) rows.push(['offers', 'all', metric, value])
  rows.push(['sessions', 'all', 'scheduled', report.sessions.scheduled])
  rows.push(['sessions', 'all', 'completed', report.sessions.completed])
  rows.push(['sessions', 'all', 'cancelled', report.sessions.cancelled])
  rows.push(['sessions', 'all', 'no_show', report.sessions.noShow])
  rows.push(['sessions', 'all', 'mentoring_hours', report.mentoringHours])
  rows.push(['engagements', 'all', 'completed', report.engagements.completed])
  rows.push(['engagements', 'all', 'ended', report.engagements.ended])
  counts('outcomes', report.outcomes)
  rows.push(['rating', 'all', 'count', report.rating.count])
  rows.push(['rating', 'all', 'average', report.rating.average])
  for (const m of report.mentors) {
    if (m.name) rows.push(['mentors', m.mentorId, 'name', m.name])
    rows.push(['mentors', m.mentorId, 'engagements', m.engagements])
    rows.push(['mentors', m.mentorId, 'sessions', m.sessions])
    rows.push(['mentors', m.mentorId, 'hours', m.hours])
  }
  const k = report.classes
  for (const [metric, value] of [
    ['registrations', k.registrations],
    ['waitlisted', k.waitlisted],
    ['lottery_entries', k.lotteryEntries],
    ['promoted', k.promoted],
    ['cancelled', k.cancelled],
    ['filled', k.filled],
    ['time_to_fill_median_hours', k.timeToFill.medianHours],
    ['time_to_fill_p90_hours', k.timeToFill.p90Hours],
    ['attendance_rate', k.attendanceRate],
    ['finishers', k.completion.finishers],
    ['completed', k.completion.completed],
    ['completion_rate', k.completion.rate],
  ] as const)
    rows.push(['classes', 'all', metric, value])
  counts('class_registrations_by_segment', k.bySegment)
  for (const { code, count } of k.byRegion) rows.push(['class_registrations_by_region', code, 'count', count])
  rows.push(['certificates', 'all', 'issued', report.certificates.issued])
  rows.push(['certificates', 'all', 'revoked', report.certificates.revoked])
  counts('certificates_by_kind', report.certificates.byKind)
  for (const p of report.monthly) {
    rows.push(['monthly', p.month, 'requests_submitted', p.requestsSubmitted])
    rows.push(['monthly', p.month, 'requests_matched', p.requestsMatched])
    rows.push(['monthly', p.month, 'sessions_scheduled', p.sessionsScheduled])
    rows.push(['monthly', p.month, 'sessions_completed', p.sessionsCompleted])
    rows.push(['monthly', p.month, 'mentoring_hours', p.mentoringHours])
  }
  const lines = [CSV_HEADER.join(','), ...rows.map((row) => row.map(cell).join(','))]
  return `${BOM}${lines.join('\r\n')}\r\n`
}

function cell(value: number | string | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  // A leading =, +, - or @ would run as a formula in a spreadsheet: quote and neutralise it.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value
  return /[",\r\n']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
