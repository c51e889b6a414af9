/**
 * The certificate as an Open Badges image: a PNG badge (a ring in the program's colours around the QR
 * code of the verification page) with the credential baked in, as Open Badges 3.0 says: an `iTXt`
 * chunk with keyword `openbadgecredential` whose text is the VC-JWT. The PNG is written here, by hand,
 * so no image library is needed.
 */
import { crc32, deflateSync } from 'node:zlib'
import QRCode from 'qrcode'

/** The `iTXt` keyword of a baked Open Badges 3.0 credential. */
export const BAKED_KEYWORD = 'openbadgecredential'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

/** An RGBA image as a PNG (8-bit, colour type 6, no interlace). */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const rows = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** The badge image of a verification URL: `size` pixels square. */
export function badgeImage(url: string, size = 360): Buffer {
  const rgba = new Uint8Array(size * size * 4)
  const paint = (x: number, y: number, [r, g, b]: readonly number[]) => {
    const at = (y * size + x) * 4
    rgba[at] = r ?? 0
    rgba[at + 1] = g ?? 0
    rgba[at + 2] = b ?? 0
    rgba[at + 3] = 255
  }
  const centre = (size - 1) / 2
  const teal = [13, 107, 102]
  const gold = [194, 153, 61]
  const white = [255, 255, 255]
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre)
      if (distance <= size * 0.5)
        paint(x, y, distance > size * 0.47 ? gold : distance > size * 0.42 ? teal : white)
    }
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' })
  const cell = Math.floor((size * 0.56) / modules.size)
  const origin = Math.round(centre - (cell * modules.size) / 2)
  for (let row = 0; row < modules.size; row++)
    for (let column = 0; column < modules.size; column++)
      if (modules.get(row, column))
        for (let dy = 0; dy < cell; dy++)
          for (let dx = 0; dx < cell; dx++)
            paint(origin + column * cell + dx, origin + row * cell + dy, [33, 41, 51])
  return encodePng(size, size, rgba)
}

/** The PNG's chunks, in order: type and data. */
function chunksOf(png: Uint8Array): Array<{ type: string; data: Buffer; start: number }> {
  const buffer = Buffer.from(png)
  if (!buffer.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG file')
  const chunks: Array<{ type: string; data: Buffer; start: number }> = []
  for (let at = 8; at + 12 <= buffer.length; ) {
    const length = buffer.readUInt32BE(at)
    const type = buffer.toString('latin1', at + 4, at + 8)
    chunks.push({ type, data: buffer.subarray(at + 8, at + 8 + length), start: at })
    at += 12 + length
  }
  return chunks
}

/** `png` with `credential` baked in (after `IHDR`, replacing a credential baked before). */
export function bakeBadge(png: Uint8Array, credential: string): Buffer {
  const text = Buffer.concat([
    Buffer.from(BAKED_KEYWORD, 'latin1'),
    // null separator, compression flag 0, method 0, empty language tag, empty translated keyword
    Buffer.from([0, 0, 0, 0, 0]),
    Buffer.from(credential, 'utf8'),
  ])
  const parts: Buffer[] = [SIGNATURE]
  for (const { type, data } of chunksOf(png)) {
    if (
      type === 'iTXt' &&
      data.subarray(0, BAKED_KEYWORD.length + 1).toString('latin1') === `${BAKED_KEYWORD}\0`
    )
      continue
    parts.push(chunk(type, data))
    if (type === 'IHDR') parts.push(chunk('iTXt', text))
  }
  return Buffer.concat(parts)
}

/** The credential baked in a PNG, or `undefined` when there is none. */
export function unbakeBadge(png: Uint8Array): string | undefined {
  for (const { type, data } of chunksOf(png)) {
    if (type !== 'iTXt') continue
    const keywordEnd = data.indexOf(0)
    if (data.toString('latin1', 0, keywordEnd) !== BAKED_KEYWORD) continue
    const compressed = data[keywordEnd + 1] === 1
    const languageEnd = data.indexOf(0, keywordEnd + 3)
    const translatedEnd = data.indexOf(0, languageEnd + 1)
    const body = data.subarray(translatedEnd + 1)
    if (compressed) throw new Error('A compressed baked credential is not supported')
    return body.toString('utf8')
  }
  return undefined
}
