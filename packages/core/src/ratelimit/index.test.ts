import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { rateLimitsOf, Settings } from '../config/index.ts'
import { DEFAULT_RATE_LIMITS, rateLimitSubject } from './index.ts'

const base = { AUTH_JWKS_URL: 'http://localhost/jwks.json', AUTH_ISSUER: 'local' }

describe('Rate-limit configuration', () => {
  it('has sane defaults, the same as the code’s', () => {
    expect(rateLimitsOf(v.parse(Settings, base))).toEqual(DEFAULT_RATE_LIMITS)
  })

  it('reads quotas written <hits>/<seconds>, and can be turned off', () => {
    const settings = v.parse(Settings, {
      ...base,
      RATE_LIMIT_CLIENT: '100/10',
      RATE_LIMIT_PHONE: '2/86400',
      RATE_LIMIT_READ: '50/1',
    })
    expect(rateLimitsOf(settings)).toMatchObject({
      client: { name: 'client', limit: 100, windowSeconds: 10 },
      phone: { name: 'phone', limit: 2, windowSeconds: 86400 },
      read: { name: 'read', limit: 50, windowSeconds: 1 },
    })
    expect(rateLimitsOf(v.parse(Settings, { ...base, RATE_LIMITS: 'off' }))).toBe(false)
  })

  it('refuses a quota it cannot read, at start', () => {
    for (const quota of ['30', '0/60', '30/0', 'ten/60', '30/60/1'])
      expect(v.safeParse(Settings, { ...base, RATE_LIMIT_CLIENT: quota }).success, quota).toBe(false)
  })
})

describe('Who is counted', () => {
  it('is stored as a hash: no address or phone in clear, and one subject per rule', () => {
    const subject = rateLimitSubject(DEFAULT_RATE_LIMITS.phone, 'phone:+6281234567890')
    expect(subject).toMatch(/^[\w-]{32}$/)
    expect(subject).not.toContain('6281234567890')
    expect(rateLimitSubject(DEFAULT_RATE_LIMITS.client, 'phone:+6281234567890')).not.toBe(subject)
  })
})
