import * as v from 'valibot'

/** Shared pieces of event details. */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64))
export const Iso = v.pipe(v.string(), v.isoTimestamp())
export const RegionCode = v.pipe(v.string(), v.regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/))
export const Topic = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{1,39}$/))
export const Mode = v.picklist(['online', 'offline', 'either'])
