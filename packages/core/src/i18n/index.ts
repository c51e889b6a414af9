/**
 * Messages people read, in Bahasa Indonesia (the default) and English. Keys are stable; the text may
 * change. Parameters are written `{name}`.
 */
export type Locale = 'id' | 'en'

type Catalog = Record<string, { id: string; en: string }>

const messages = {
  'problem.validation': { id: 'Data yang dikirim tidak valid', en: 'The submitted data is invalid' },
  'problem.validation.detail': {
    id: 'Periksa kembali isian berikut: {fields}.',
    en: 'Please check these fields: {fields}.',
  },
  'problem.malformed-body': {
    id: 'Isi permintaan tidak dapat dibaca',
    en: 'The request body could not be read',
  },
  'problem.malformed-body.detail': {
    id: 'Isi permintaan harus JSON atau formulir yang valid.',
    en: 'The request body must be valid JSON or a valid form.',
  },
  'problem.unauthorized': { id: 'Perlu masuk', en: 'Sign-in required' },
  'problem.unauthorized.detail': {
    id: 'Token akses tidak ada, kedaluwarsa, atau tidak sah.',
    en: 'The access token is missing, expired or invalid.',
  },
  'problem.forbidden': { id: 'Akses ditolak', en: 'Access denied' },
  'problem.forbidden.detail': {
    id: 'Anda tidak berhak melakukan tindakan ini.',
    en: 'You are not allowed to do this.',
  },
  'problem.not-found': { id: 'Tidak ditemukan', en: 'Not found' },
  'problem.not-found.detail': {
    id: 'Alamat atau data yang diminta tidak ada.',
    en: 'The requested address or record does not exist.',
  },
  'problem.conflict': { id: 'Terjadi konflik', en: 'Conflict' },
  'problem.conflict.detail': {
    id: 'Permintaan bertentangan dengan keadaan data saat ini.',
    en: 'The request conflicts with the current state of the data.',
  },
  'problem.payload-too-large': { id: 'Data terlalu besar', en: 'Payload too large' },
  'problem.payload-too-large.detail': {
    id: 'Isi permintaan melebihi batas {limit} byte.',
    en: 'The request body exceeds the {limit}-byte limit.',
  },
  'problem.unsupported-media-type': { id: 'Jenis isi tidak didukung', en: 'Unsupported media type' },
  'problem.unsupported-media-type.detail': {
    id: 'Kirim application/json atau formulir.',
    en: 'Send application/json or a form.',
  },
  'problem.rate-limited': { id: 'Terlalu banyak permintaan', en: 'Too many requests' },
  'problem.rate-limited.detail': {
    id: 'Coba lagi dalam {seconds} detik.',
    en: 'Try again in {seconds} seconds.',
  },
  'problem.service-unavailable': {
    id: 'Layanan sedang sibuk',
    en: 'The service is busy',
  },
  'problem.service-unavailable.detail': {
    id: 'Kami sedang mengalami gangguan sementara. Data Anda aman; silakan coba lagi dalam satu menit.',
    en: 'We are having a temporary problem. Your data is safe; please try again in a minute.',
  },
  'problem.internal': { id: 'Terjadi kesalahan di server', en: 'Internal server error' },
  'problem.internal.detail': {
    id: 'Maaf, terjadi kesalahan. Coba lagi nanti.',
    en: 'Sorry, something went wrong. Please try again later.',
  },
  'field.required': { id: 'Wajib diisi', en: 'Required' },
  'field.invalid': { id: 'Tidak valid', en: 'Invalid' },
  'field.invalid_type': {
    id: 'Jenis data salah (diharapkan {expected})',
    en: 'Wrong type (expected {expected})',
  },
  'field.too_long': { id: 'Terlalu panjang (maksimal {maximum})', en: 'Too long (at most {maximum})' },
  'field.too_short': { id: 'Terlalu pendek (minimal {minimum})', en: 'Too short (at least {minimum})' },
  'field.too_big': { id: 'Terlalu besar (maksimal {maximum})', en: 'Too large (at most {maximum})' },
  'field.too_small': { id: 'Terlalu kecil (minimal {minimum})', en: 'Too small (at least {minimum})' },
  'field.unrecognized_keys': { id: 'Isian tidak dikenal: {keys}', en: 'Unknown fields: {keys}' },
  'field.invalid_value': { id: 'Pilihan tidak valid', en: 'Not one of the allowed values' },
  'field.invalid_format': { id: 'Format tidak valid', en: 'Invalid format' },
} satisfies Catalog

const catalog: Catalog = messages

/** Adds a domain's messages to the catalog; keys must not collide. */
export function registerMessages(more: Catalog): void {
  for (const [key, text] of Object.entries(more)) {
    if (key in catalog) throw new Error(`Message key ${key} is registered twice`)
    catalog[key] = text
  }
}

/** The message for `key` in `locale`, with `{params}` filled in; the key itself when unknown. */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const entry = catalog[key]
  const text = entry ? entry[locale] : key
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function hasMessage(key: string): boolean {
  return key in catalog
}

/**
 * Picks `id` or `en` from an `Accept-Language` header by quality; Bahasa Indonesia when neither is
 * asked for, as the default language of the program.
 */
export function negotiateLocale(header: string | null | undefined): Locale {
  if (!header) return 'id'
  let best: { locale: Locale; q: number } | undefined
  for (const part of header.split(',')) {
    const [tag = '', ...attributes] = part.trim().toLowerCase().split(';')
    const q = Number(
      attributes
        .find((a) => a.trim().startsWith('q='))
        ?.trim()
        .slice(2) ?? 1,
    )
    const primary = tag.split('-')[0]
    const locale: Locale | undefined =
      primary === 'id' || primary === 'in' ? 'id' : primary === 'en' ? 'en' : undefined
    if (locale && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { locale, q }
  }
  return best?.locale ?? 'id'
}
