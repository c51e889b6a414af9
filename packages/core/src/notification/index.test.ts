import { describe, expect, it } from 'vitest'
import { translate } from '../i18n/index.ts'
import { type MessageKind, renderMessage, SUBJECT_PLACEHOLDERS } from './port.ts'

const KINDS: MessageKind[] = [
  'offer-made',
  'offer-accepted',
  'session-reminder',
  'check-in',
  'stale-request',
  'request-unmatched',
  'class-cancelled',
  'class-promoted',
  'class-drawn',
  'class-reminder',
  'class-invitation',
]

describe('E-mail subjects', () => {
  it('hold no text a person typed: only the city and the time the system words', () => {
    for (const kind of KINDS)
      for (const locale of ['id', 'en'] as const) {
        const subject = translate(locale, `notification.${kind}.subject`)
        const placeholders = [...subject.matchAll(/\{(\w+)\}/g)].map(([, name]) => name)
        expect(
          placeholders.filter((name) => !SUBJECT_PLACEHOLDERS.includes(name ?? '')),
          `${kind} (${locale})`,
        ).toEqual([])
      }
  })

  it('tells a mentor where the new request is, not whose business it is', () => {
    const message = renderMessage({
      id: 'e1:mentor:m1:offer-made',
      kind: 'offer-made',
      to: { ref: 'mentor:m1', locale: 'en' },
      params: { city: 'Kota Malang', name: 'Sari', needs: 'branding', expiresAt: '…', link: 'http://x' },
    })
    expect(message.subject).toBe('A new mentoring request in Kota Malang')
    expect(
      renderMessage({
        id: 'e2:mentor:m1:offer-made',
        kind: 'offer-made',
        to: { ref: 'mentor:m1', locale: 'id' },
        params: { city: 'Kota Malang' },
      }).subject,
    ).toBe('Tawaran pendampingan baru di Kota Malang')
  })
})
