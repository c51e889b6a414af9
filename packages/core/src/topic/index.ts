/**
 * What owners ask help with and mentors are good at (topics), and what a session can achieve
 * (outcomes), with labels in plain words an owner understands. A program may add topics of its own;
 * those are validated by shape at the edge and shown by their key.
 */
import type { Locale } from '../i18n/index.ts'

type Labels<K extends string> = Readonly<Record<K, Readonly<Record<Locale, string>>>>

export const TOPICS = [
  'branding',
  'seo',
  'packaging',
  'social_media',
  'content',
  'marketplace',
  'website',
  'ads',
  'copywriting',
  'finance_literacy',
] as const
export type Topic = (typeof TOPICS)[number]

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value)
}

export const TOPIC_LABELS: Labels<Topic> = {
  branding: { id: 'Logo & merek', en: 'Logo & brand' },
  seo: { id: 'Mudah ditemukan di Google', en: 'Getting found on Google' },
  packaging: { id: 'Kemasan', en: 'Packaging' },
  social_media: { id: 'Media sosial (Instagram, Facebook, WhatsApp)', en: 'Social media' },
  content: { id: 'Foto & video produk (TikTok, YouTube)', en: 'Product photos & videos' },
  marketplace: { id: 'Jualan di marketplace', en: 'Selling on marketplaces' },
  website: { id: 'Website usaha', en: 'Business website' },
  ads: { id: 'Iklan online', en: 'Online ads' },
  copywriting: { id: 'Menulis promosi yang menarik', en: 'Writing sales copy' },
  finance_literacy: { id: 'Pembukuan & keuangan usaha', en: 'Bookkeeping & business finance' },
}

/** The label of a topic; a program's own topic shows as its key. */
export function topicLabel(topic: string, locale: Locale): string {
  return isTopic(topic) ? TOPIC_LABELS[topic][locale] : topic
}

/** What a session can achieve, recorded by the mentor and counted in reports. */
export const OUTCOMES = [
  'instagram_business_account',
  'whatsapp_business_catalog',
  'google_business_profile',
  'marketplace_listing',
  'new_logo',
  'new_packaging',
  'product_photos',
  'website_live',
  'first_ad_campaign',
  'first_online_sale',
  'bookkeeping_started',
  'halal_or_pirt_application',
] as const
export type Outcome = (typeof OUTCOMES)[number]

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value)
}

export const OUTCOME_LABELS: Labels<Outcome> = {
  instagram_business_account: { id: 'Akun bisnis Instagram dibuat', en: 'Instagram business account set up' },
  whatsapp_business_catalog: {
    id: 'Katalog WhatsApp Business dibuat',
    en: 'WhatsApp Business catalogue set up',
  },
  google_business_profile: { id: 'Usaha terdaftar di Google Maps', en: 'Business listed on Google Maps' },
  marketplace_listing: { id: 'Produk tayang di marketplace', en: 'Products listed on a marketplace' },
  new_logo: { id: 'Logo baru', en: 'New logo' },
  new_packaging: { id: 'Kemasan baru', en: 'New packaging' },
  product_photos: { id: 'Foto produk baru', en: 'New product photos' },
  website_live: { id: 'Website sudah tayang', en: 'Website live' },
  first_ad_campaign: { id: 'Iklan online pertama berjalan', en: 'First online ad running' },
  first_online_sale: { id: 'Penjualan online pertama', en: 'First online sale' },
  bookkeeping_started: { id: 'Mulai mencatat keuangan', en: 'Bookkeeping started' },
  halal_or_pirt_application: {
    id: 'Pengajuan sertifikat halal / PIRT',
    en: 'Halal / home-industry (PIRT) permit applied for',
  },
}

export function outcomeLabel(outcome: string, locale: Locale): string {
  return isOutcome(outcome) ? OUTCOME_LABELS[outcome][locale] : outcome
}
