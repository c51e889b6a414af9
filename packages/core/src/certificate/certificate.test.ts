import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXAMPLE_BASE_URL, exampleCertificate } from '@pendamping/scripts/testing/certificate-example'
import { describe, expect, it } from 'vitest'
import { badgeImage, bakeBadge, unbakeBadge } from './badge.ts'
import { decodeCredential, OB_CONTEXT, signCredential, VC_CONTEXT, verifyCredential } from './credential.ts'
import { renderCertificatePdf } from './pdf.ts'
import { CertificateKeys, generateKeyring, rotateKeyring } from './signing.ts'
import { encodeStatusList, STATUS_LIST_SIZE, statusBit, statusListCredential } from './status-list.ts'

const issuedAt = new Date('2026-05-06T03:00:00Z')

async function authority(keyring?: Awaited<ReturnType<typeof generateKeyring>>) {
  const ring = keyring ?? (await generateKeyring(new Date('2026-01-01T00:00:00Z')))
  return { baseUrl: EXAMPLE_BASE_URL, keys: await CertificateKeys.from(ring), keyring: ring }
}

const work = mkdtempSync(join(tmpdir(), 'certificate-'))

/** Width, height and the share of non-white pixels of a PNG that pdftoppm wrote (8-bit RGB). */
function pngFacts(file: string) {
  const png = readFileSync(file)
  const width = png.readUInt32BE(16)
  const height = png.readUInt32BE(20)
  return { width, height, bytes: png.length }
}

describe('The printed certificate (PDF)', () => {
  it('renders an A4 landscape page with the name, number, hours and QR code, and the credential attached', async () => {
    const ca = await authority()
    const certificate = await exampleCertificate(ca)
    const pdf = await renderCertificatePdf(certificate, { baseUrl: ca.baseUrl })
    const file = join(work, 'certificate.pdf')
    writeFileSync(file, pdf)

    execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, join(work, 'page')])
    const page = pngFacts(join(work, 'page.png'))
    // A4 landscape at 50 dpi: 11.69 × 8.27 inches.
    expect(page.width).toBeGreaterThan(page.height)
    expect(page.width).toBeCloseTo(585, -1)
    expect(page.height).toBeCloseTo(413, -1)
    // The same page as a PGM (`P5 <width> <height> 255`, then a byte per pixel): a blank page is all white.
    const gray = execFileSync('pdftoppm', ['-gray', '-r', '20', '-singlefile', file])
    const [, w = '0', h = '0'] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(gray.toString('latin1', 0, 32)) ?? []
    const pixels = gray.subarray(gray.length - Number(w) * Number(h))
    expect(pixels.length).toBeGreaterThan(10_000)
    const dark = pixels.filter((value) => value < 128).length
    expect(dark / pixels.length).toBeGreaterThan(0.03)

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('Ni Luh Putu Ayu Ṣaraswatī')
    expect(text).toContain('00042/PDP/35.73/2026')
    expect(text).toContain('Sertifikat Pelatihan')
    expect(text).toContain('6,5 jam')
    expect(text).toContain('Pemerintah Kota Malang')
    expect(text).toContain('Malang Digital 2026')

    const attached = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' })
    expect(attached).toContain('credential.jwt')
    execFileSync('pdfdetach', ['-save', '1', '-o', join(work, 'credential.jwt'), file])
    expect(readFileSync(join(work, 'credential.jwt'), 'utf8')).toBe(certificate.credential)
  })

  it('prints in English on request', async () => {
    const ca = await authority()
    const pdf = await renderCertificatePdf(await exampleCertificate(ca), {
      baseUrl: ca.baseUrl,
      locale: 'en',
    })
    const file = join(work, 'certificate-en.pdf')
    writeFileSync(file, pdf)
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('Certificate of Completion')
    expect(text).toContain('6.5 hours')
    expect(text).toContain('Government of Kota Malang')
  })
})

describe('The Open Badges 3.0 credential', () => {
  it('is a VC-JWT (EdDSA, vc+jwt) of an OpenBadgeCredential that verifies with the published keys only', async () => {
    const ca = await authority()
    const certificate = await exampleCertificate(ca)
    const [header] = certificate.credential.split('.')
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({
      alg: 'EdDSA',
      typ: 'vc+jwt',
      kid: expect.stringMatching(/^https:\/\/pendamping\.example\.id\/openbadges\/keys\/[\w-]{43}$/),
    })
    const credential = decodeCredential(certificate.credential)
    expect(credential).toMatchObject({
      '@context': [VC_CONTEXT, OB_CONTEXT],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      id: `${EXAMPLE_BASE_URL}/sertifikat/${certificate.id}`,
      issuer: {
        id: `${EXAMPLE_BASE_URL}/openbadges/issuers/35.73`,
        type: ['Profile'],
        name: 'Pemerintah Kota Malang',
      },
      validFrom: certificate.issuedAt,
      iss: `${EXAMPLE_BASE_URL}/openbadges/issuers/35.73`,
      jti: `${EXAMPLE_BASE_URL}/sertifikat/${certificate.id}`,
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          { type: 'IdentityObject', identityHash: certificate.name, identityType: 'name', hashed: false },
        ],
        achievement: {
          type: ['Achievement'],
          name: certificate.title,
          criteria: { narrative: expect.any(String) },
        },
      },
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '4242',
        statusListCredential: `${EXAMPLE_BASE_URL}/v1/status-lists/35.73-2026`,
      },
    })
    const verified = await verifyCredential(certificate.credential, {
      keys: ca.keys.published(ca.baseUrl),
      now: issuedAt,
    })
    expect(verified).toMatchObject({ valid: true, revoked: null, problems: [] })
  })

  it('is refused when changed, or checked against another issuer’s keys', async () => {
    const ca = await authority()
    const certificate = await exampleCertificate(ca)
    const [header, payload, signature] = certificate.credential.split('.')
    const forged = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    forged.credentialSubject.identifier[0].identityHash = 'Someone Else'
    const tampered = [header, Buffer.from(JSON.stringify(forged)).toString('base64url'), signature].join('.')
    const keys = ca.keys.published(ca.baseUrl)
    expect((await verifyCredential(tampered, { keys, now: issuedAt })).valid).toBe(false)
    const stranger = await authority()
    const verdict = await verifyCredential(certificate.credential, {
      keys: stranger.keys.published(ca.baseUrl),
      now: issuedAt,
    })
    expect(verdict.valid).toBe(false)
  })

  it('keeps verifying after the key is rotated, while the retired key signs nothing new', async () => {
    const ca = await authority()
    const certificate = await exampleCertificate(ca)
    const rotated = await authority(await rotateKeyring(ca.keyring, new Date('2026-06-01T00:00:00Z')))
    const keys = rotated.keys.published(ca.baseUrl)
    expect(keys).toHaveLength(2)
    expect(keys[0]?.validUntil).toBe('2026-06-01T00:00:00.000Z')
    expect(
      (await verifyCredential(certificate.credential, { keys, now: new Date('2027-01-01T00:00:00Z') })).valid,
    ).toBe(true)
    // A credential dated after the old key's window, signed with that old key, is refused.
    const late = await exampleCertificate(ca, { issuedAt: '2026-07-01T00:00:00.000Z' })
    const verdict = await verifyCredential(late.credential, { keys, now: new Date('2027-01-01T00:00:00Z') })
    expect(verdict.problems).toContain('the key was not valid for signing when the credential was issued')
    expect(rotated.keys.signingKey(new Date('2026-07-01T00:00:00Z'), ca.baseUrl).kid).toBe(keys[1]?.kid)
  })

  it('reads its revocation from the signed status list', async () => {
    const ca = await authority()
    const certificate = await exampleCertificate(ca)
    const keys = ca.keys.published(ca.baseUrl)
    const list = (revoked: number[]) =>
      signCredential(
        statusListCredential({
          baseUrl: ca.baseUrl,
          listId: '35.73-2026',
          region: '35.73',
          revoked,
          updatedAt: issuedAt.toISOString(),
        }),
        ca.keys.signingKey(issuedAt, ca.baseUrl),
      )
    const clear = await list([1, 4241, 4243])
    const revoked = await list([4242])
    const fetching = (jwt: string) => async (url: string) => {
      expect(url).toBe(`${EXAMPLE_BASE_URL}/v1/status-lists/35.73-2026`)
      return jwt
    }
    expect(
      await verifyCredential(certificate.credential, {
        keys,
        now: issuedAt,
        fetchStatusList: fetching(clear),
      }),
    ).toMatchObject({ valid: true, revoked: false })
    expect(
      await verifyCredential(certificate.credential, {
        keys,
        now: issuedAt,
        fetchStatusList: fetching(revoked),
      }),
    ).toMatchObject({ valid: false, revoked: true })
  })
})

describe('The Bitstring Status List', () => {
  it('is a GZIP-compressed multibase base64url bitstring, index 0 the left-most bit', () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_SIZE - 1])
    expect(encoded.startsWith('u')).toBe(true)
    expect(encoded.length).toBeLessThan(200)
    expect([0, 1, 8, 9, 10, STATUS_LIST_SIZE - 1].map((index) => statusBit(encoded, index))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ])
    const bytes = execFileSync('gzip', ['-dc'], { input: Buffer.from(encoded.slice(1), 'base64url') })
    expect(bytes.length).toBe(STATUS_LIST_SIZE / 8)
    expect(bytes[0]).toBe(0x80)
    expect(bytes[1]).toBe(0x40)
  })
})

describe('The baked badge (PNG)', () => {
  it('carries the credential in an iTXt chunk with keyword openbadgecredential', async () => {
    const ca = await authority()
    const certificate = await exampleCertificate(ca)
    const png = bakeBadge(
      badgeImage(`${EXAMPLE_BASE_URL}/sertifikat/${certificate.id}`),
      certificate.credential,
    )
    expect(unbakeBadge(png)).toBe(certificate.credential)
    expect(png.includes(Buffer.from('iTXtopenbadgecredential\0\0\0\0\0'))).toBe(true)
    // Baking again replaces, never duplicates.
    expect(unbakeBadge(bakeBadge(png, 'x.y.z'))).toBe('x.y.z')
    const file = join(work, 'badge.png')
    writeFileSync(file, png)
    expect(pngFacts(file)).toMatchObject({ width: 360, height: 360 })
  })
})
