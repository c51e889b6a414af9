import { describe, expect, it } from 'vitest'
import { trackingTokenMatches } from '../request/token.ts'
import { type LinkKey, MESSAGE_LINK_DAYS, MESSAGE_LINK_TOKEN, MessageLinks } from './index.ts'

const links = MessageLinks.fromSecret(Buffer.alloc(32, 9).toString('base64url'))
const now = new Date('2026-03-02T01:00:00Z')
const later = (days: number) => new Date(now.getTime() + days * 86_400_000)
const hash = 'k3Hn0sTJ2a0uE0eYJm9fJ3bGq0wQq1y3gGQv2m8P1cA'

function keyOf(token: string, at = now, kind: 'request' | 'participant' = 'request', id = 'r1'): LinkKey {
  const presented = links.read(kind, id, token, at)
  if (!presented || !('key' in presented)) throw new Error(`not a key: ${JSON.stringify(presented)}`)
  return presented.key
}

describe('Links in messages', () => {
  it('open the page they were signed for while its token hash is the same, for 30 days', () => {
    const token = links.sign('request', 'r1', hash, now) ?? ''
    expect(token).toMatch(MESSAGE_LINK_TOKEN)
    const key = keyOf(token, later(MESSAGE_LINK_DAYS - 1))
    expect(key.expiresAt).toEqual(later(MESSAGE_LINK_DAYS))
    expect(trackingTokenMatches(hash, key)).toBe(true)
    // The private link changed (a new one, a recovery) or was revoked: the link opens nothing.
    expect(trackingTokenMatches('another-hash', key)).toBe(false)
    expect(trackingTokenMatches(null, key)).toBe(false)
  })

  it('are expired after 30 days, known without reading the page', () => {
    const token = links.sign('participant', 'p1', hash, now) ?? ''
    expect(links.read('participant', 'p1', token, later(MESSAGE_LINK_DAYS))).toEqual({ expired: true })
  })

  it('open nothing when tampered with, or presented for another page or kind', () => {
    const token = links.sign('request', 'r1', hash, now) ?? ''
    const [expires = '', mac = ''] = token.split('.')
    const flipped = `${expires}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`
    const extended = `${(Number.parseInt(expires, 36) + 86_400).toString(36)}.${mac}`
    expect(trackingTokenMatches(hash, keyOf(flipped))).toBe(false)
    expect(trackingTokenMatches(hash, keyOf(extended))).toBe(false)
    expect(trackingTokenMatches(hash, keyOf(token, now, 'request', 'r2'))).toBe(false)
    expect(trackingTokenMatches(hash, keyOf(token, now, 'participant', 'r1'))).toBe(false)
    const otherSecret = MessageLinks.fromSecret(MessageLinks.newSecret())
    const foreign = otherSecret.read('request', 'r1', token, now)
    expect(foreign && 'key' in foreign && trackingTokenMatches(hash, foreign.key)).toBe(false)
  })

  it('are told from private tokens and garbage, and none is made for a revoked link', () => {
    expect(links.read('request', 'r1', 'x'.repeat(43), now)).toBeUndefined()
    expect(links.read('request', 'r1', 'zzzzzzzzzz.short', now)).toBeUndefined()
    expect(links.sign('request', 'r1', null, now)).toBeUndefined()
  })

  it('take only a 32-byte base64url secret', () => {
    expect(() => MessageLinks.fromSecret('too-short')).toThrow(/32 random bytes/)
    // Padded base64 is refused too: the secret is set exactly as `openssl rand … | tr +/ -_ | tr -d =` prints it.
    expect(() => MessageLinks.fromSecret(Buffer.alloc(32).toString('base64'))).toThrow(/base64url/)
    expect(MessageLinks.newSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})
