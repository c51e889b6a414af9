import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { translate } from '../i18n/index.ts'
import {
  type MessageKind,
  renderMessage,
  SUBJECT_PLACEHOLDERS,
  templates,
  whatsappParameters,
} from './port.ts'

const KINDS = Object.keys(templates) as MessageKind[]
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => name ?? '')

describe('The message catalog', () => {
  it('renders every template in both languages with every parameter filled', () => {
    for (const kind of KINDS)
      for (const locale of ['id', 'en'] as const) {
        const params = Object.fromEntries(templates[kind].params.map((name) => [name, `<${name}>`]))
        const { subject, body } = renderMessage({ id: 'n', kind, to: { ref: 'x', locale }, params })
        expect(`${subject} ${body}`, `${kind} (${locale})`).not.toMatch(/\{\w+\}/)
        for (const name of templates[kind].params)
          expect(body, `${kind} (${locale}) ${name}`).toContain(`<${name}>`)
      }
  })

  it('names each WhatsApp template’s parameters exactly as both bodies use them', () => {
    for (const kind of KINDS) {
      const { body, params, whatsapp } = templates[kind]
      expect(whatsapp, kind).toMatch(/^pendamping_[a-z_]+$/)
      expect(new Set(placeholders(body.id)), kind).toEqual(new Set(params))
      expect(new Set(placeholders(body.en)), kind).toEqual(new Set(params))
      expect(new Set(params).size, kind).toBe(params.length)
    }
    expect(new Set(KINDS.map((kind) => templates[kind].whatsapp)).size).toBe(KINDS.length)
  })

  it('fills WhatsApp parameters in the template’s order', () => {
    expect(
      whatsappParameters({
        id: 'n',
        kind: 'class-reminder',
        to: { ref: 'x', locale: 'id' },
        params: {
          link: 'L',
          where: '',
          startsAt: 'Senin, 5 Mei 2025 pukul 14.30 WITA',
          title: 'T\nU',
          name: 'Sari',
        },
      }),
    ).toEqual(['Sari', 'T U', 'Senin, 5 Mei 2025 pukul 14.30 WITA', '-', 'L'])
  })

  it('keeps e-mail subjects free of anything a person typed', () => {
    for (const kind of KINDS)
      for (const locale of ['id', 'en'] as const)
        expect(
          placeholders(translate(locale, `notification.${kind}.subject`)).filter(
            (name) => !SUBJECT_PLACEHOLDERS.includes(name),
          ),
          `${kind} (${locale})`,
        ).toEqual([])
  })

  it('gives every time a zone label: its time parameters are filled by formatLocal (WIB, WITA, WIT)', () => {
    const times = [
      ...new Set(KINDS.flatMap((kind) => templates[kind].params).filter((name) => /At$/.test(name))),
    ]
    expect(times.sort()).toEqual(['expiresAt', 'startsAt'])
    // Where the consumers fill them (`packages/functions/src/consumers`): each value is `formatLocal(…)`.
    const consumers = new URL('../../../functions/src/consumers/', import.meta.url)
    const filled = readdirSync(consumers)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .flatMap((file) => [
        ...readFileSync(new URL(file, consumers), 'utf8').matchAll(
          /\b(expiresAt|startsAt): (?!string\b)(.*)$/gm,
        ),
      ])
    expect(filled.length).toBeGreaterThanOrEqual(4)
    for (const [line, , value] of filled) expect(value, line).toMatch(/^formatLocal\(/)
  })
})
