/**
 * Free text people type (names, descriptions, notes, comments): one check refuses what no honest
 * text holds and what could make it read differently from what it is — control characters (C0 but
 * tab, line feed and carriage return; DEL; C1) and the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069) that reorder how a line is shown ("Trojan Source").
 * Letter-level marks (LRM, RLM, ALM) stay allowed: Arabic and mixed-script text needs them.
 */
import * as z from 'zod/mini'
import { hasMessage, registerMessages } from '../i18n/index.ts'

if (!hasMessage('field.control_chars'))
  registerMessages({
    'field.control_chars': {
      id: 'Berisi karakter kontrol atau pembalik arah teks yang tidak diizinkan',
      en: 'Contains control or text-direction override characters, which are not allowed',
    },
  })

/** Whether one UTF-16 code unit is refused in free text. */
function refused(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a && code !== 0x0d
  if (code >= 0x7f && code <= 0x9f) return true
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)
}

/** Whether `value` holds no control and no bidirectional-override character. */
export function isPlainText(value: string): boolean {
  for (let index = 0; index < value.length; index++) if (refused(value.charCodeAt(index))) return false
  return true
}

/**
 * The check every free-text field carries (message key `field.control_chars`).
 *
 * @example
 * const comment = z.string().check(z.trim(), z.maxLength(1000), plainText())
 */
export const plainText = () => z.refine<string>(isPlainText, 'field.control_chars')

/**
 * Free text of `min`–`max` characters after trimming, with the {@link plainText} check.
 *
 * @example
 * const NewRequest = z.strictObject({ description: freeText(1, 2000) })
 */
export const freeText = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max), plainText())
