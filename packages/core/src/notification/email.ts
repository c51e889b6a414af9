/**
 * A notification as an e-mail: subject, plain text and an HTML part whose inbox preview is worded by
 * the system alone (UU PDP; docs/contract/data-protection.md#messages). Mail apps show the subject and
 * the first characters of the message on a list or a lock screen, where anyone near the phone reads
 * them; subjects hold only system-worded placeholders (`SUBJECT_PLACEHOLDERS`), and the preview is
 * the subject again followed by invisible filler, so nothing a person typed (a name, a place, a title)
 * is shown before the message is opened.
 */
import { type Notification, renderMessage } from './port.ts'

/** How many characters of a message mail apps show as its preview, at most (Gmail ~100–140, iOS ~140). */
export const EMAIL_PREVIEW_CHARS = 160

/** Zero-width joiner + no-break space: takes up the preview without showing anything. */
const FILLER = '&zwnj;&nbsp;'.repeat(EMAIL_PREVIEW_CHARS)

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)

/** Links in the text become clickable; everything else is escaped text. */
const linked = (text: string) =>
  escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

/** The e-mail of a notification, in its recipient's language. */
export function renderEmail(notification: Notification): RenderedEmail {
  const { subject, body } = renderMessage(notification)
  const paragraphs = body
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${linked(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')
  const html =
    `<!doctype html><html lang="${notification.to.locale}"><head><meta charset="utf-8"></head><body>` +
    `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(subject)}${FILLER}</div>` +
    `${paragraphs}</body></html>`
  return { subject, text: body, html }
}
