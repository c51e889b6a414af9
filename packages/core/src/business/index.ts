/**
 * Facts about a small business (UMKM): its phone in E.164, its size class under PP 7/2021 and its
 * sector.
 */
import { createHash } from 'node:crypto'
import type { Locale } from '../i18n/index.ts'

/** Separators people type inside phone numbers: spaces, dashes, dots, parentheses, slashes. */
const SEPARATORS = /[\s\-.()/]/g
/** Mobile: `8` then 8–11 more digits (`0812-3456-789` … `0812-3456-78901`); 080x are toll-free/premium. */
const MOBILE = /^8[1-9]\d{7,10}$/
/** Landline: a 2–4 digit area code starting 2–7 or 9 (021 Jakarta, 0341 Malang, 0967 Jayapura), then the subscriber; 8–10 digits. */
const LANDLINE = /^[2-79]\d{7,9}$/

/**
 * An Indonesian phone number in E.164 (`+6281234567890`), or `undefined` when it isn't one.
 * Accepts `08…`, `62…` and `+62…` (also written `+62 (0)…`) with spaces, dashes, dots and
 * parentheses; mobiles (`+628…`, 8–11 digits after the 8) and landlines (`+62` + area code +
 * subscriber). Everything else — other countries, short codes, letters — is refused.
 *
 * @example
 * normalizePhone('0812-3456-7890') // '+6281234567890'
 * normalizePhone('(0341) 551234') // '+62341551234'
 * normalizePhone('+1 415 555 0100') // undefined
 */
export function normalizePhone(raw: string): string | undefined {
  if (raw.length > 40) return undefined
  const compact = raw
    .trim()
    .replace(/^(\+?62)\s*\(0\)/, '$1')
    .replace(SEPARATORS, '')
  let national: string
  if (compact.startsWith('+62')) national = compact.slice(3)
  else if (compact.startsWith('62')) national = compact.slice(2)
  else if (compact.startsWith('0')) national = compact.slice(1)
  else return undefined
  return MOBILE.test(national) || LANDLINE.test(national) ? `+62${national}` : undefined
}

/** SHA-256 (base64url) of a normalised phone, for keys that must name a person without holding their phone. */
export function hashPhone(e164: string): string {
  return createHash('sha256').update(e164).digest('base64url')
}

/** Whether a phone number is a mobile (WhatsApp-capable) one; expects the E.164 form. */
export function isMobilePhone(e164: string): boolean {
  return e164.startsWith('+628')
}

/** Business size classes of PP 7/2021, smallest first. */
export const SIZE_CLASSES = ['mikro', 'kecil', 'menengah'] as const
export type SizeClass = (typeof SIZE_CLASSES)[number]

/** Upper bounds of annual sales (Rupiah, inclusive) per class, PP 7/2021 art. 35 (3). */
export const SIZE_CLASS_MAX_ANNUAL_SALES: Readonly<Record<SizeClass, number>> = {
  mikro: 2_000_000_000,
  kecil: 15_000_000_000,
  menengah: 50_000_000_000,
}

export function isSizeClass(value: unknown): value is SizeClass {
  return typeof value === 'string' && (SIZE_CLASSES as readonly string[]).includes(value)
}

/**
 * The size class for annual sales in Rupiah: mikro up to Rp 2 billion, kecil up to Rp 15 billion,
 * menengah up to Rp 50 billion (bounds inclusive). Above that the business is not an UMKM, and
 * negative or non-finite sales are not sales: both give `undefined`.
 *
 * @example
 * sizeClassOf(2_000_000_000) // 'mikro'
 * sizeClassOf(2_000_000_001) // 'kecil'
 */
export function sizeClassOf(annualSalesRupiah: number): SizeClass | undefined {
  if (!Number.isFinite(annualSalesRupiah) || annualSalesRupiah < 0) return undefined
  return SIZE_CLASSES.find((size) => annualSalesRupiah <= SIZE_CLASS_MAX_ANNUAL_SALES[size])
}

export const SIZE_CLASS_LABELS: Readonly<Record<SizeClass, Record<Locale, string>>> = {
  mikro: { id: 'Usaha mikro', en: 'Micro business' },
  kecil: { id: 'Usaha kecil', en: 'Small business' },
  menengah: { id: 'Usaha menengah', en: 'Medium business' },
}

/** Sectors, as owners name them. `lainnya` ("other") catches the rest. */
export const SECTORS = [
  'kuliner',
  'fashion',
  'kerajinan',
  'pertanian',
  'perkebunan',
  'peternakan',
  'perikanan',
  'perdagangan',
  'jasa',
  'kecantikan',
  'kesehatan',
  'pendidikan',
  'pariwisata',
  'otomotif',
  'teknologi',
  'lainnya',
] as const
export type Sector = (typeof SECTORS)[number]

export function isSector(value: unknown): value is Sector {
  return typeof value === 'string' && (SECTORS as readonly string[]).includes(value)
}

export const SECTOR_LABELS: Readonly<Record<Sector, Record<Locale, string>>> = {
  kuliner: { id: 'Kuliner (makanan & minuman)', en: 'Food & drink' },
  fashion: { id: 'Fesyen', en: 'Fashion' },
  kerajinan: { id: 'Kerajinan', en: 'Crafts' },
  pertanian: { id: 'Pertanian', en: 'Agriculture' },
  perkebunan: { id: 'Perkebunan (kopi, kakao, dll.)', en: 'Plantation crops (coffee, cocoa…)' },
  peternakan: { id: 'Peternakan', en: 'Livestock' },
  perikanan: { id: 'Perikanan', en: 'Fisheries' },
  perdagangan: { id: 'Perdagangan (toko, warung)', en: 'Retail & trade' },
  jasa: { id: 'Jasa', en: 'Services' },
  kecantikan: { id: 'Kecantikan', en: 'Beauty' },
  kesehatan: { id: 'Kesehatan & jamu', en: 'Health & herbal' },
  pendidikan: { id: 'Pendidikan & kursus', en: 'Education & courses' },
  pariwisata: { id: 'Pariwisata & penginapan', en: 'Tourism & lodging' },
  otomotif: { id: 'Otomotif & bengkel', en: 'Automotive & repair' },
  teknologi: { id: 'Teknologi & digital', en: 'Technology & digital' },
  lainnya: { id: 'Lainnya', en: 'Other' },
}
