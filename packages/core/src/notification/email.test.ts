/**
 * Subjects and inbox previews of every message hold nothing a person typed (UU PDP;
 * docs/contract/data-protection.md#messages): each template rendered with hostile values in every
 * parameter, in both languages.
 */
import { describe, expect, it } from 'vitest'
import { EMAIL_PREVIEW_CHARS, renderEmail } from './email.ts'
import { type MessageKind, SUBJECT_PLACEHOLDERS, templates } from './port.ts'

const KINDS = Object.keys(templates) as MessageKind[]

/** A value someone could have typed: markup, a phone, an e-mail, a unique marker per parameter. */
const hostile = (name: string) => `<b onmouseover=x>ZZ${name}ZZ</b> 0812-3456-7890 evil@example.id`

/** What a mail app shows of an HTML message before it is opened: its first characters of text. */
function previewOf(html: string): string {
  const body = html.slice(html.indexOf('<body>') + '<body>'.length)
  return body
    .replace(/<[^>]*>/g, '')
    .replace(/&zwnj;/g, '\u200c')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .slice(0, EMAIL_PREVIEW_CHARS)
}

describe('E-mail subjects and previews', () => {
  it('show nothing a person typed, whatever the values', () => {
    for (const kind of KINDS)
      for (const locale of ['id', 'en'] as const) {
        // The subject's placeholders are worded by the system (a region's name, "tomorrow"); every
        // other parameter may hold what someone typed.
        const typed = templates[kind].params.filter((name) => !SUBJECT_PLACEHOLDERS.includes(name))
        const params = Object.fromEntries(
          templates[kind].params.map((name) => [name, typed.includes(name) ? hostile(name) : `sys-${name}`]),
        )
        const email = renderEmail({ id: 'n', kind, to: { ref: 'x', locale }, params })
        for (const name of typed) {
          expect(email.subject, `${kind} (${locale}) subject: ${name}`).not.toContain(`ZZ${name}ZZ`)
          expect(previewOf(email.html), `${kind} (${locale}) preview: ${name}`).not.toContain(`ZZ${name}ZZ`)
        }
        expect(`${email.subject}${previewOf(email.html)}`).not.toMatch(/0812|evil@/)
        // The message itself holds the values, escaped.
        for (const name of typed) expect(email.html).toContain(`ZZ${name}ZZ`)
        expect(email.html).not.toContain('<b onmouseover')
      }
  })

  it('would see a value in a preview (the check can fail)', () => {
    const email = renderEmail({
      id: 'n',
      kind: 'offer-made',
      to: { ref: 'x', locale: 'id' },
      params: { name: 'ZZnameZZ', city: 'Kota Malang', needs: 'x', expiresAt: 'y', link: 'z' },
    })
    const body = email.html.slice(email.html.indexOf('<p>'))
    expect(previewOf(`<body>${body}`)).toContain('ZZnameZZ')
  })
})
