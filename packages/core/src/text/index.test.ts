import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { freeText, isPlainText } from './index.ts'

describe('Free text', () => {
  it('keeps what people write: any script, emoji, tabs and line breaks, direction marks', () => {
    for (const text of [
      'Keripik tempe Bu Sri — pedas & gurih 🌶️',
      'Baris satu\nBaris dua\r\n\tmenjorok',
      'مرحبا بالعالم',
      'ꦲꦏ꧀ꦱꦫꦗꦮ (aksara Jawa)',
      'price \u200E100 RM\u200F',
    ])
      expect(isPlainText(text), JSON.stringify(text)).toBe(true)
  })

  it('refuses control characters and bidirectional embeddings, overrides and isolates', () => {
    for (const character of [
      '\u0000',
      '\u0007',
      '\u001B',
      '\u007F',
      '\u0085',
      '\u009F',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ])
      expect(isPlainText(`a${character}b`), `U+${character.charCodeAt(0).toString(16)}`).toBe(false)
  })

  it('is one check every free-text schema carries, with its own message key', () => {
    const result = z.safeParse(freeText(1, 50), 'invoice\u202Efdp.exe')
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('field.control_chars')
    expect(z.parse(freeText(1, 50), '  trimmed  ')).toBe('trimmed')
  })
})
