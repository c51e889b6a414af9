/**
 * The owner's and mentor's pages as people use them: headless Chromium at phone width on the local
 * stack fills each form with mistakes first, reads the errors, corrects, and follows the request
 * through offer, acceptance, a session and its rating to the erasure of the owner's data.
 */

import { fileURLToPath } from 'node:url'
import { createDocumentClient } from '@pendamping/core/dynamo'
import { getMentor } from '@pendamping/core/mentor'
import { getOffer } from '@pendamping/core/offer'
import { getRequest } from '@pendamping/core/request'
import type { Store } from '@pendamping/core/store'
import { LOCAL_PASSWORD } from '@pendamping/scripts/local/accounts'
import { type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import {
  axeViolations,
  connectChromium,
  PHONE,
  recordRequests,
  screenshot,
} from '@pendamping/scripts/testing/browser'
import { dynamoEndpoint } from '@pendamping/scripts/testing/table'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testClock } from './mentors.fixture.ts'

const ARTIFACTS = fileURLToPath(new URL('../artifacts/pages/', import.meta.url))
const PAGE_BUDGET = 30 * 1024

let stack: LocalStack
let store: Store
let browser: Browser
let context: BrowserContext
let page: Page
let requested: string[]
const clock = testClock(new Date(Math.ceil(Date.now() / 900_000) * 900_000).toISOString())
const sizes: Record<string, number> = {}

async function api(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: read field by field
  const json: any = text ? JSON.parse(text) : undefined
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return json
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Checks the page as loaded now: no axe violations, under budget; then saves a phone screenshot. */
async function inspect(name: string) {
  const html = await page.content()
  const size = Buffer.byteLength(html)
  sizes[name] = size
  expect(size, `${name} weighs ${size} bytes`).toBeLessThan(PAGE_BUDGET)
  const violations = await axeViolations(page)
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([])
  await screenshot(page, `${ARTIFACTS}${name}.png`)
}

let mentorId = ''
let mentorToken = ''
let requestId = ''
let trackingLink = ''
let offerId = ''

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: dynamoEndpoint(),
    tableName: `pages-${crypto.randomUUID()}`,
    clock,
  })
  store = { doc: createDocumentClient({ endpoint: stack.dynamoEndpoint }), tableName: stack.tableName }
  browser = await connectChromium()
  context = await browser.newContext({ viewport: PHONE, locale: 'id-ID', acceptDownloads: true })
  page = await context.newPage()
  requested = recordRequests(page)

  // A mentor of Kota Malang, approved by the city's staff, who fits the request the owner will make.
  const applied = await api('POST', '/v1/mentor-applications', undefined, {
    name: 'Rina Kartika Sari',
    email: 'rina.kartika@example.id',
    phone: '0857 1111 2222',
    region: '35.73',
    skills: [
      { topic: 'packaging', level: 3 },
      { topic: 'marketplace', level: 2 },
    ],
    modes: ['online', 'offline'],
    languages: ['id', 'jv'],
    availability: [{ day: 'mon', from: '08:00', to: '17:00' }],
    consent: { accepted: true, purposeVersion: '2026-11' },
  })
  mentorId = applied.id
  const staff = await stack.keys.sign({ sub: 'staff-malang', role: 'staff', region: '35.73' })
  await api('POST', `/v1/mentors/${mentorId}/approve`, staff)
  mentorToken = await stack.keys.sign({ sub: mentorId, role: 'mentor', region: '35.73' })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  store?.doc.destroy()
  await stack?.stop()
  console.info('page sizes (bytes):', JSON.stringify(sizes))
})

describe('Owner and mentor pages in a phone browser', () => {
  it('an owner asks for help: mistakes first, then a request that is stored and tracked', async () => {
    await page.goto(`${stack.url}/minta-pendampingan`)
    await inspect('01-request-form')

    await page.getByLabel('Nama usaha').fill('Kopi Bubuk Pak Darto')
    await page.getByLabel('Nama pemilik').fill('Sudarto Wibowo')
    await page.getByLabel('Nomor HP / WhatsApp').fill('12')
    // Province → city without JavaScript: the button reloads the form with the province's cities.
    await page.getByLabel('Provinsi').selectOption('35')
    await page.getByRole('button', { name: 'Tampilkan kabupaten/kota' }).click()
    await expect.poll(() => page.getByLabel('Kabupaten/kota').locator('option').count()).toBeGreaterThan(30)
    expect(await page.getByLabel('Nama usaha').inputValue()).toBe('Kopi Bubuk Pak Darto')
    await page.getByLabel('Kabupaten/kota').selectOption('35.73')
    await page.getByLabel('Bidang usaha').selectOption('kuliner')
    await page.getByLabel('Besar usaha').selectOption('mikro')
    await page.getByRole('checkbox', { name: 'WhatsApp', exact: true }).check()
    await page
      .getByLabel('Ceritakan usaha dan kebutuhan Anda')
      .fill('Ingin jualan kopi bubuk di Shopee dengan kemasan baru.')
    await page.getByLabel('Keduanya boleh').check()
    await page.getByLabel('Senin').check()
    await page.getByLabel('Pagi (08.00–12.00)').check()
    // No needs chosen, no consent given, a phone of two digits.
    await page.getByRole('button', { name: 'Kirim permintaan' }).click()

    await expect.poll(() => page.locator('#kesalahan').isVisible()).toBe(true)
    expect(await page.locator('#f-business-phone-err').textContent()).toContain('Nomor telepon tidak valid')
    expect(await page.locator('#f-needs-err').textContent()).toContain('Pilih paling sedikit satu bantuan')
    expect(await page.locator('#f-consent-accepted-err').textContent()).toContain('Persetujuan')
    expect(await page.getByLabel('Nomor HP / WhatsApp').inputValue()).toBe('12')
    expect(await page.getByLabel('Nama usaha').inputValue()).toBe('Kopi Bubuk Pak Darto')
    expect(await page.getByLabel('Kabupaten/kota').inputValue()).toBe('35.73')
    expect(await page.getByLabel('Senin').isChecked()).toBe(true)
    expect(await page.getByLabel('Phone').count()).toBe(0)
    await inspect('02-request-form-errors')

    await page.getByLabel('Nomor HP / WhatsApp').fill('0812 3456 7890')
    await page.getByLabel('Kemasan').check()
    await page.getByLabel('Jualan di marketplace').check()
    await page.getByLabel(/Saya setuju data ini dipakai/).check()
    await page.getByRole('button', { name: 'Kirim permintaan' }).click()

    await expect.poll(() => page.locator('h1').textContent()).toBe('Permintaan Anda sudah terkirim')
    trackingLink = (await page.locator('#tautan').textContent())?.trim() ?? ''
    const match = /\/lacak\/([\w-]+)\?token=[\w-]+$/.exec(trackingLink)
    expect(match).not.toBeNull()
    requestId = match?.[1] ?? ''
    const share = await page.getByRole('link', { name: 'Kirim ke WhatsApp saya' }).getAttribute('href')
    expect(share).toBe(
      `https://wa.me/?text=${encodeURIComponent(`Tautan pelacakan pendampingan usaha saya di Pendamping (jangan dibagikan): ${trackingLink}`)}`,
    )
    await inspect('03-request-sent')

    const stored = await getRequest(store, requestId)
    expect(stored).toMatchObject({
      region: '35.73',
      sector: 'kuliner',
      sizeClass: 'mikro',
      needs: ['packaging', 'marketplace'],
      mode: 'either',
      languages: ['id'],
      availability: [{ day: 'mon', from: '08:00', to: '12:00' }],
      timeZone: 'Asia/Jakarta',
      business: {
        name: 'Kopi Bubuk Pak Darto',
        ownerName: 'Sudarto Wibowo',
        phone: '+6281234567890',
        currentChannels: ['whatsapp'],
      },
      consent: { accepted: true, purposeVersion: '2026-11' },
    })
  })

  it('the request gets an offer, and the tracking link says so in words', async () => {
    // The stream delivers RequestSubmitted to instant matching, which offers the mentor above.
    await until('an offer', async () =>
      (await getRequest(store, requestId))?.status === 'offered' ? true : undefined,
    )
    await page.goto(trackingLink)
    expect(await page.locator('#status').textContent()).toContain('Seorang mentor sudah ditawari')
    await inspect('04-tracking-offered')
  })

  it('a mentor signs in through the sign-in page and answers the offer from its page', async () => {
    await page.goto(`${stack.url}/tawaran`)
    expect(new URL(page.url()).pathname).toBe('/masuk')
    await inspect('05-sign-in')
    await page.getByRole('button', { name: 'Masuk' }).click()
    // The identity provider's login page (the local stand-in for Cognito's managed login).
    await page.getByLabel('Email').fill('rina.kartika@example.id')
    await page.getByLabel('Kata sandi').fill('bukan-kata-sandi')
    await page.getByRole('button', { name: 'Masuk' }).click()
    expect(await page.locator('#login-error').textContent()).toContain('kata sandi salah')
    await page.getByLabel('Kata sandi').fill(LOCAL_PASSWORD)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/tawaran')
    await inspect('06-offers')

    await page.locator('#tawaran a').first().click()
    const content = await page.content()
    expect(await page.locator('#kebutuhan').textContent()).toContain('Kemasan')
    expect(await page.locator('#sisa-waktu').textContent()).toMatch(/Tersisa 4[78] jam/)
    // No contact details before accepting.
    expect(content).not.toContain('3456')
    expect(content).not.toContain('Sudarto')
    expect(content).not.toContain('Kopi Bubuk Pak Darto')
    await inspect('07-offer')
    offerId = new URL(page.url()).pathname.split('/').pop() ?? ''

    // Declining without a reason is refused on the page; the offer stays open.
    await page.getByRole('button', { name: 'Tolak tawaran' }).click()
    expect(await page.locator('#f-reason-err').textContent()).toContain('Pilih alasan menolak')
    expect((await getOffer(store, offerId))?.status).toBe('open')

    await page.getByRole('button', { name: 'Terima tawaran' }).click()
    await expect
      .poll(() => page.locator('#pemberitahuan').textContent())
      .toContain('Anda menerima tawaran ini')
    expect(await page.locator('#kontak').textContent()).toContain('+6281234567890')
    await inspect('08-offer-accepted')
    expect(await getOffer(store, offerId)).toMatchObject({ status: 'accepted', mentorId })
    expect((await getRequest(store, requestId))?.status).toBe('active')
  })

  it('the owner sees their mentor, the next session in WIB, and rates it once it is done', async () => {
    const offer = await getOffer(store, offerId)
    const engagementId = offer?.engagementId ?? ''
    const startsAt = new Date(clock.now().getTime() + 2 * 3600_000).toISOString()
    const endsAt = new Date(clock.now().getTime() + 3 * 3600_000).toISOString()
    const session = await api('POST', `/v1/engagements/${engagementId}/sessions`, mentorToken, {
      startsAt,
      endsAt,
      mode: 'online',
      meetingUrl: 'https://meet.example.id/kopi-darto',
      topics: ['packaging'],
    })

    await page.goto(trackingLink)
    expect(await page.locator('#status').textContent()).toContain('sedang didampingi')
    const mentor = await page.locator('#mentor').textContent()
    expect(mentor).toContain('Rina')
    expect(mentor).not.toContain('Kartika')
    expect(mentor).toContain('+6285711112222')
    expect(await page.locator('#sesi').textContent()).toMatch(/WIB/)
    await inspect('09-tracking-active')

    clock.advance(4 * 3600_000)
    await api('POST', `/v1/sessions/${session.id}/complete`, mentorToken, { attendance: 'attended' })
    await page.goto(trackingLink)
    // Sending the rating with no score chosen is refused next to the question.
    await page.getByRole('button', { name: 'Kirim nilai' }).click()
    await expect.poll(() => page.locator('.err').first().textContent()).toContain('Pilih nilai 1 sampai 5')
    await inspect('10-rating-error')
    await page.getByRole('radio', { name: '5' }).check()
    await page.getByLabel('Komentar (boleh dikosongkan)').fill('Sangat membantu, kemasan baru sudah dicetak.')
    await page.getByRole('button', { name: 'Kirim nilai' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Terima kasih atas penilaian')
    expect(await page.content()).toContain('Nilai Anda: 5 dari 5')
  })

  it('the owner downloads their data, then deletes it after confirming', async () => {
    await page.goto(trackingLink)
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Unduh data saya (JSON)' }).click()
    const file = await (await download).createReadStream()
    const chunks: Buffer[] = []
    for await (const chunk of file) chunks.push(chunk as Buffer)
    const exported = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    expect(exported.request).toMatchObject({ id: requestId, business: { name: 'Kopi Bubuk Pak Darto' } })

    await page.getByRole('link', { name: 'Hapus data saya' }).click()
    expect(await page.locator('h1').textContent()).toBe('Hapus data saya?')
    await inspect('11-delete-confirm')
    await page.getByRole('button', { name: 'Ya, hapus data saya' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Data Anda sudah dihapus')
    const erased = await getRequest(store, requestId)
    expect(erased?.business).toBeNull()
    expect(erased?.tokenHash).toBeNull()
    expect((await page.goto(trackingLink))?.status()).toBe(404)
  })

  it('a young person applies to mentor: mistakes first, then an application stored for review', async () => {
    await page.goto(`${stack.url}/daftar-mentor`)
    await inspect('12-mentor-form')
    await page.getByLabel('Nama lengkap').fill('Bagus Setiawan')
    await page.getByLabel('Email').fill('bagus@')
    await page.getByLabel('Nomor HP / WhatsApp').fill('0821 9876 5432')
    await page.getByLabel('Provinsi').selectOption('51')
    await page.getByRole('button', { name: 'Tampilkan kabupaten/kota' }).click()
    await page.getByLabel('Kabupaten/kota').selectOption('51.71')
    await page.getByLabel('Senin').check()
    await page.getByLabel('Malam (18.00–21.00)').check()
    await page.getByRole('button', { name: 'Kirim lamaran' }).click()

    expect(await page.locator('#f-email-err').textContent()).toContain('Alamat email tidak valid')
    expect(await page.locator('#kesalahan').textContent()).toContain(
      'Pilih tingkat untuk paling sedikit satu keahlian',
    )
    expect(await page.locator('#f-consent-accepted-err').textContent()).toContain('Persetujuan')
    expect(await page.getByLabel('Email').inputValue()).toBe('bagus@')
    await inspect('13-mentor-form-errors')

    await page.getByLabel('Email').fill('bagus.setiawan@example.id')
    await page.getByLabel('Media sosial (Instagram, Facebook, WhatsApp)').selectOption('3')
    await page.getByLabel('Foto & video produk (TikTok, YouTube)').selectOption('2')
    await page.getByLabel(/Saya setuju data ini dipakai/).check()
    await page.getByRole('button', { name: 'Kirim lamaran' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Lamaran Anda sudah kami terima')
    await inspect('14-mentor-applied')
    const id = (await page.locator('#nomor-lamaran').textContent()) ?? ''
    expect(await getMentor(store, id)).toMatchObject({
      status: 'applied',
      email: 'bagus.setiawan@example.id',
      phone: '+6282198765432',
      region: '51.71',
      timeZone: 'Asia/Makassar',
      skills: [
        { topic: 'social_media', level: 3 },
        { topic: 'content', level: 2 },
      ],
      availability: [{ day: 'mon', from: '18:00', to: '21:00' }],
    })
  })

  it('made no request to anyone but the app', () => {
    expect(requested.length).toBeGreaterThan(10)
    expect(requested.filter((url) => !url.startsWith(stack.url))).toEqual([])
  })
})
