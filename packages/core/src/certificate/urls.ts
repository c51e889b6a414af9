/**
 * Every public URL of a certificate, spelled once: what the QR code, the credential, the status list
 * and the pages point at. `baseUrl` is the product's public URL (`PUBLIC_URL`), without a trailing `/`.
 */
import type { Locale } from '../i18n/index.ts'

/** The verification page: `/sertifikat/{id}`, or `/en/certificate/{id}` in English. */
export const verificationUrl = (baseUrl: string, id: string, locale: Locale = 'id') =>
  locale === 'en' ? `${baseUrl}/en/certificate/${id}` : `${baseUrl}/sertifikat/${id}`

export const pdfUrl = (baseUrl: string, id: string, locale: Locale = 'id') =>
  `${baseUrl}/v1/certificates/${id}/pdf${locale === 'en' ? '?lang=en' : ''}`

/** The Open Badges credential alone (a VC-JWT). */
export const credentialUrl = (baseUrl: string, id: string) => `${baseUrl}/v1/certificates/${id}/credential`

/** The badge image with the credential baked in. */
export const badgeUrl = (baseUrl: string, id: string) => `${baseUrl}/v1/certificates/${id}/badge.png`

export const statusListUrl = (baseUrl: string, listId: string) => `${baseUrl}/v1/status-lists/${listId}`

/** The issuing office's Open Badges profile: one per region, `nasional` for national certificates. */
export const issuerId = (baseUrl: string, region: string) =>
  `${baseUrl}/openbadges/issuers/${region === '*' ? 'nasional' : region}`
