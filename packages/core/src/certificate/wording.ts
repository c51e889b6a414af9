/**
 * What a certificate says, in Bahasa Indonesia and English: the PDF, the verification page and the
 * credential all read their words here, so the three never disagree. Pure.
 */
import type { Locale } from '../i18n/index.ts'
import { cityOf, regionLevel, regionName } from '../region/index.ts'
import { topicLabel } from '../topic/index.ts'
import type { CertificateItem, CertificateKind, RevocationReason } from './item.ts'

/**
 * The issuing office of a region: its government (`Pemerintah Kota Malang`, `Pemerintah Provinsi Jawa
 * Timur`), a district office (`Kecamatan Klojen, Kota Malang`), or the ministry for national ones.
 */
export function officeName(region: string, locale: Locale = 'id'): string {
  const en = locale === 'en'
  if (region === '*')
    return en ? 'Ministry of MSMEs of the Republic of Indonesia' : 'Kementerian UMKM Republik Indonesia'
  const level = regionLevel(region)
  const name = regionName(region)
  if (level === 'province')
    return en ? `Provincial Government of ${name ?? region}` : `Pemerintah Provinsi ${name ?? region}`
  if (level === 'city') return en ? `Government of ${name ?? region}` : `Pemerintah ${name ?? region}`
  const city = cityOf(region)
  const cityName = (city && regionName(city)) ?? city ?? region
  const district = regionName(region.slice(0, 8))
  return district
    ? `${en ? 'District' : 'Kecamatan'} ${district}, ${cityName}`
    : en
      ? `Government of ${cityName}`
      : `Pemerintah ${cityName}`
}

/** The region as printed: its name, or "Nasional". */
export function regionLabel(region: string, locale: Locale = 'id'): string {
  if (region === '*') return locale === 'en' ? 'National' : 'Nasional'
  return regionName(region) ?? regionName(cityOf(region) ?? '') ?? region
}

const KIND_HEADINGS: Record<CertificateKind, { id: string; en: string }> = {
  class_participant: { id: 'Sertifikat Pelatihan', en: 'Certificate of Completion' },
  class_trainer: { id: 'Sertifikat Narasumber', en: 'Certificate of Teaching' },
  mentoring_owner: { id: 'Sertifikat Pendampingan', en: 'Certificate of Mentoring' },
  mentoring_mentor: { id: 'Sertifikat Mentor', en: 'Certificate of Mentoring Hours' },
}

const KIND_LINES: Record<CertificateKind, { id: string; en: string }> = {
  class_participant: { id: 'telah menyelesaikan pelatihan', en: 'has completed the training' },
  class_trainer: { id: 'telah menjadi narasumber pelatihan', en: 'has taught the training' },
  mentoring_owner: { id: 'telah menyelesaikan pendampingan', en: 'has completed the mentoring' },
  mentoring_mentor: { id: 'telah mendampingi UMKM dalam', en: 'has mentored a small business in' },
}

const REASONS: Record<RevocationReason, { id: string; en: string }> = {
  issued_in_error: { id: 'Diterbitkan karena kekeliruan', en: 'Issued in error' },
  data_incorrect: { id: 'Data pada sertifikat tidak benar', en: 'The data on the certificate is incorrect' },
  requirements_not_met: { id: 'Syarat kelulusan tidak terpenuhi', en: 'Completion requirements not met' },
  holder_request: { id: 'Atas permintaan pemegang', en: 'At the holder’s request' },
  other: { id: 'Alasan lain', en: 'Other reason' },
}

export const kindHeading = (kind: CertificateKind, locale: Locale) => KIND_HEADINGS[kind][locale]
export const kindLine = (kind: CertificateKind, locale: Locale) => KIND_LINES[kind][locale]
export const reasonLabel = (reason: RevocationReason, locale: Locale) => REASONS[reason][locale]

/** The class title, or for mentoring "Pendampingan Pemasaran Digital: Branding, SEO". */
export function achievementTitle(
  certificate: Pick<CertificateItem, 'title' | 'topics'>,
  locale: Locale,
): string {
  if (certificate.title) return certificate.title
  const topics = certificate.topics.map((topic) => topicLabel(topic, locale)).join(', ')
  const base = locale === 'en' ? 'Digital Marketing Mentoring' : 'Pendampingan Pemasaran Digital'
  return topics ? `${base}: ${topics}` : base
}

/** Hours as people read them: `6 jam`, `7,5 jam` / `6 hours`, `7.5 hours` (half hours kept). */
export function hoursLabel(minutes: number, locale: Locale): string {
  const hours = Math.round((minutes / 60) * 2) / 2
  const number = hours.toLocaleString(locale === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 })
  return locale === 'en' ? `${number} ${hours === 1 ? 'hour' : 'hours'}` : `${number} jam`
}

/** A date in the certificate's zone: `4 Mei 2026` / `4 May 2026`. */
export function dateLabel(iso: string, timeZone: string, locale: Locale): string {
  return new Date(iso).toLocaleDateString(locale === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  })
}

/** `4–5 Mei 2026`, or a single date when both fall on one day. */
export function periodLabel(startedAt: string, endedAt: string, timeZone: string, locale: Locale): string {
  const from = dateLabel(startedAt, timeZone, locale)
  const to = dateLabel(endedAt, timeZone, locale)
  return from === to ? from : `${from} – ${to}`
}

/** Labels of the certificate's fields. */
export const LABELS = {
  number: { id: 'Nomor', en: 'Number' },
  awardedTo: { id: 'Diberikan kepada', en: 'Awarded to' },
  hours: { id: 'Durasi', en: 'Duration' },
  period: { id: 'Tanggal', en: 'Dates' },
  program: { id: 'Program', en: 'Program' },
  region: { id: 'Wilayah', en: 'Region' },
  issuedBy: { id: 'Diterbitkan oleh', en: 'Issued by' },
  issuedOn: { id: 'Tanggal terbit', en: 'Issued on' },
  business: { id: 'Usaha', en: 'Business' },
  verify: { id: 'Periksa keaslian', en: 'Verify' },
  valid: { id: 'Sertifikat sah', en: 'Valid certificate' },
  revoked: { id: 'Sertifikat dicabut', en: 'Certificate revoked' },
  revokedOn: { id: 'Dicabut pada', en: 'Revoked on' },
  reason: { id: 'Alasan', en: 'Reason' },
  openBadge: {
    id: 'Sertifikat ini juga kredensial Open Badges 3.0 yang ditandatangani secara digital.',
    en: 'This certificate is also a digitally signed Open Badges 3.0 credential.',
  },
} as const

export const label = (key: keyof typeof LABELS, locale: Locale) => LABELS[key][locale]
