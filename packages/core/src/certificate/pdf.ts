/**
 * The printable certificate: an A4 landscape PDF (pdf-lib, Noto Sans embedded through fontkit, subset to
 * the letters used), with a QR code of its verification page and its Open Badges credential embedded
 * twice: as the attached file `credential.jwt` and in the document information (`OpenBadgeCredential`).
 * Heavy (pdf-lib, fontkit and the fonts weigh ~1.5 MB): import this module only to render a PDF.
 */
import fontkit from '@pdf-lib/fontkit'
import {
  AFRelationship,
  type PDFDocument as Document,
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFPage,
  PDFRawStream,
  PDFString,
  rgb,
} from 'pdf-lib'
import QRCode from 'qrcode'
import type { Locale } from '../i18n/index.ts'
import { CREDENTIAL_MEDIA_TYPE } from './credential.ts'
import { NOTO_SANS } from './generated/fonts.ts'
import type { CertificateItem } from './item.ts'
import { verificationUrl } from './urls.ts'
import {
  achievementTitle,
  dateLabel,
  hoursLabel,
  kindHeading,
  kindLine,
  label,
  officeName,
  periodLabel,
  regionLabel,
} from './wording.ts'

/** A4 landscape, in PDF points. */
export const PAGE_SIZE: [number, number] = [841.89, 595.28]

const INK = rgb(0.13, 0.16, 0.2)
const MUTED = rgb(0.38, 0.42, 0.47)
const ACCENT = rgb(0.05, 0.42, 0.4)
const GOLD = rgb(0.76, 0.6, 0.24)

type Weight = keyof typeof NOTO_SANS

/** One weight of Noto Sans as embedded fonts, Latin first, with fontkit's glyph coverage of each. */
interface Face {
  fonts: PDFFont[]
  covers: Array<(codePoint: number) => boolean>
}

async function embedFace(doc: Document, weight: Weight): Promise<Face> {
  const fonts: PDFFont[] = []
  const covers: Face['covers'] = []
  for (const base64 of NOTO_SANS[weight]) {
    const bytes = Buffer.from(base64, 'base64')
    fonts.push(await doc.embedFont(bytes, { subset: true }))
    const parsed = fontkit.create(bytes)
    covers.push((codePoint) => parsed.hasGlyphForCodePoint(codePoint))
  }
  return { fonts, covers }
}

/** `text` cut into runs, each in the first subset that has its letters (Latin, else Latin Extended). */
function runs(face: Face, text: string): Array<{ text: string; font: PDFFont }> {
  const out: Array<{ text: string; font: PDFFont }> = []
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0
    let index = face.covers.findIndex((covers) => covers(codePoint))
    // A letter neither subset has (another script) prints as a question mark rather than failing.
    const shown = index === -1 ? '?' : char
    if (index === -1) index = 0
    const font = face.fonts[index] as PDFFont
    const last = out.at(-1)
    if (last && last.font === font) last.text += shown
    else out.push({ text: shown, font })
  }
  return out
}

class Writer {
  constructor(
    private readonly page: PDFPage,
    private readonly faces: Record<Weight, Face>,
  ) {}

  width(text: string, size: number, weight: Weight = 'regular'): number {
    return runs(this.faces[weight], text).reduce(
      (sum, run) => sum + run.font.widthOfTextAtSize(run.text, size),
      0,
    )
  }

  /** Draws `text` with its left edge at `x`, or centred on `x` when `center`. */
  text(
    text: string,
    x: number,
    y: number,
    size: number,
    options: { weight?: Weight; color?: ReturnType<typeof rgb>; center?: boolean } = {},
  ) {
    const weight = options.weight ?? 'regular'
    let at = options.center ? x - this.width(text, size, weight) / 2 : x
    for (const run of runs(this.faces[weight], text)) {
      this.page.drawText(run.text, { x: at, y, size, font: run.font, color: options.color ?? INK })
      at += run.font.widthOfTextAtSize(run.text, size)
    }
  }

  /** `text` broken into lines no wider than `maxWidth`, at most `maxLines` (the last one shortened). */
  wrap(text: string, size: number, maxWidth: number, weight: Weight = 'regular', maxLines = 2): string[] {
    const lines: string[] = []
    let line = ''
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word
      if (this.width(candidate, size, weight) <= maxWidth || !line) line = candidate
      else {
        lines.push(line)
        line = word
      }
    }
    if (line) lines.push(line)
    if (lines.length <= maxLines) return lines
    const kept = lines.slice(0, maxLines)
    let last = kept[maxLines - 1] ?? ''
    while (last && this.width(`${last}…`, size, weight) > maxWidth) last = last.slice(0, -1)
    kept[maxLines - 1] = `${last}…`
    return kept
  }
}

/** The QR code of `url` as dark squares, `size` points wide, with its top-left corner at (`x`, `top`). */
function drawQr(page: PDFPage, url: string, x: number, top: number, size: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' })
  const quiet = 2
  const cell = size / (modules.size + quiet * 2)
  page.drawRectangle({ x, y: top - size, width: size, height: size, color: rgb(1, 1, 1) })
  for (let row = 0; row < modules.size; row++)
    for (let column = 0; column < modules.size; column++)
      if (modules.get(row, column))
        page.drawRectangle({
          x: x + (column + quiet) * cell,
          y: top - (row + quiet + 1) * cell,
          width: cell + 0.05,
          height: cell + 0.05,
          color: INK,
        })
}

export interface RenderOptions {
  baseUrl: string
  /** Bahasa Indonesia by default; English on request. */
  locale?: Locale
}

/**
 * The certificate as a PDF: name, class or mentoring, hours, dates, program, issuing region and office,
 * number, the QR code of its verification page, and its Open Badges credential embedded. Deterministic
 * for a certificate and language (dates in the document come from the certificate, not the clock).
 */
export async function renderCertificatePdf(
  certificate: CertificateItem,
  options: RenderOptions,
): Promise<Uint8Array> {
  const locale = options.locale ?? 'id'
  const issued = new Date(certificate.issuedAt)
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.registerFontkit(fontkit)
  const faces = { regular: await embedFace(doc, 'regular'), bold: await embedFace(doc, 'bold') }
  const page = doc.addPage(PAGE_SIZE)
  const [width, height] = PAGE_SIZE
  const write = new Writer(page, faces)
  const centre = width / 2

  // Frame: a coloured band and a thin gold rule inside the margin.
  page.drawRectangle({ x: 0, y: height - 14, width, height: 14, color: ACCENT })
  page.drawRectangle({ x: 0, y: 0, width, height: 14, color: ACCENT })
  page.drawRectangle({
    x: 28,
    y: 28,
    width: width - 56,
    height: height - 56,
    borderColor: GOLD,
    borderWidth: 1.2,
  })

  const office = officeName(certificate.region, locale)
  write.text(office.toUpperCase(), centre, height - 66, 11, { weight: 'bold', color: ACCENT, center: true })
  if (certificate.programName)
    write.text(`${label('program', locale)} ${certificate.programName}`, centre, height - 84, 10, {
      color: MUTED,
      center: true,
    })
  write.text(kindHeading(certificate.kind, locale), centre, height - 130, 30, {
    weight: 'bold',
    center: true,
  })
  write.text(`${label('number', locale)}: ${certificate.number}`, centre, height - 152, 10.5, {
    color: MUTED,
    center: true,
  })

  write.text(label('awardedTo', locale), centre, height - 192, 11, { color: MUTED, center: true })
  const nameSize = write.width(certificate.name, 28, 'bold') > width - 160 ? 22 : 28
  write.text(certificate.name, centre, height - 228, nameSize, { weight: 'bold', center: true })
  page.drawLine({
    start: { x: centre - 200, y: height - 240 },
    end: { x: centre + 200, y: height - 240 },
    thickness: 0.8,
    color: GOLD,
  })
  let y = height - 260
  if (certificate.business) {
    write.text(`${label('business', locale)}: ${certificate.business}`, centre, y, 11, {
      color: MUTED,
      center: true,
    })
    y -= 20
  }
  write.text(kindLine(certificate.kind, locale), centre, y - 4, 12, { center: true })
  y -= 26
  for (const line of write.wrap(achievementTitle(certificate, locale), 17, width - 260, 'bold')) {
    write.text(line, centre, y, 17, { weight: 'bold', color: ACCENT, center: true })
    y -= 22
  }

  // Facts, two columns on the left; the QR code on the right.
  const facts: Array<[string, string]> = [
    [label('hours', locale), hoursLabel(certificate.minutes, locale)],
    [
      label('period', locale),
      periodLabel(certificate.startedAt, certificate.endedAt, certificate.timeZone, locale),
    ],
    ...(certificate.programName
      ? [[label('program', locale), certificate.programName] as [string, string]]
      : []),
    [label('region', locale), regionLabel(certificate.region, locale)],
    [label('issuedBy', locale), office],
    [label('issuedOn', locale), dateLabel(certificate.issuedAt, certificate.timeZone, locale)],
  ]
  let factY = 178
  for (const [name, value] of facts) {
    write.text(name, 70, factY, 9.5, { color: MUTED })
    write.text(write.wrap(value, 10.5, 380, 'regular', 1)[0] ?? '', 170, factY, 10.5)
    factY -= 18
  }
  const url = verificationUrl(options.baseUrl, certificate.id, locale)
  const qrSize = 112
  drawQr(page, url, width - 70 - qrSize, 196, qrSize)
  write.text(label('verify', locale), width - 70 - qrSize / 2, 70, 9, {
    weight: 'bold',
    color: ACCENT,
    center: true,
  })
  const shortUrl = url.replace(/^https?:\/\//, '')
  for (const [index, line] of write.wrap(shortUrl.replace(/\//g, '/ '), 7, 190, 'regular', 2).entries())
    write.text(line.replace(/\/ /g, '/'), width - 70 - qrSize / 2, 58 - index * 9, 7, {
      color: MUTED,
      center: true,
    })
  write.text(label('openBadge', locale), 70, 48, 8, { color: MUTED })

  const title = `${kindHeading(certificate.kind, locale)} ${certificate.number} — ${certificate.name}`
  doc.setTitle(title, { showInWindowTitleBar: true })
  doc.setAuthor(office)
  doc.setSubject(achievementTitle(certificate, locale))
  doc.setKeywords(['sertifikat', 'certificate', 'Open Badges 3.0', certificate.number])
  doc.setCreator('Pendamping')
  doc.setProducer('Pendamping (pdf-lib)')
  doc.setLanguage(locale === 'en' ? 'en-GB' : 'id-ID')
  doc.setCreationDate(issued)
  doc.setModificationDate(issued)
  // The document information dictionary (where the setters above write) also carries the credential.
  doc.context
    .lookup(doc.context.trailerInfo.Info, PDFDict)
    .set(PDFName.of('OpenBadgeCredential'), PDFString.of(certificate.credential))
  await doc.attach(Buffer.from(certificate.credential, 'utf8'), 'credential.jwt', {
    mimeType: CREDENTIAL_MEDIA_TYPE,
    description: 'Open Badges 3.0 credential (VC-JWT)',
    creationDate: issued,
    modificationDate: issued,
    afRelationship: AFRelationship.Data,
  })
  return await doc.save()
}

/** The credential a PDF carries: its attached `credential.jwt`, else its `OpenBadgeCredential` info entry. */
export async function credentialOfPdf(bytes: Uint8Array): Promise<string | undefined> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)
  const files = names
    ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)
    ?.lookupMaybe(PDFName.of('Names'), PDFArray)
  for (let index = 0; files && index + 1 < files.size(); index += 2) {
    const name = files.lookup(index)
    const title = name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : ''
    if (!title.endsWith('.jwt')) continue
    const stream = files
      .lookup(index + 1, PDFDict)
      .lookup(PDFName.of('EF'), PDFDict)
      .lookup(PDFName.of('F'))
    if (stream instanceof PDFRawStream)
      return new TextDecoder().decode(decodePDFRawStream(stream).decode()).trim()
  }
  const info = doc.context.lookupMaybe(doc.context.trailerInfo.Info, PDFDict)
  const entry = info?.lookupMaybe(PDFName.of('OpenBadgeCredential'), PDFString, PDFHexString)
  return entry?.decodeText()
}
