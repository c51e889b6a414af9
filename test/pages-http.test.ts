import { getRequest } from '@pendamping/core/request'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import { approvedMentor, createWorld, type World } from './mentors.fixture.ts'

const table = useTestTable()
let world: World

beforeAll(async () => {
  world = await createWorld(table)
})

const PAGE_BUDGET = 30 * 1024

/** A page as a browser first loads it: its HTML, and the CSRF cookie and field it hands out. */
async function open(path: string, headers: Record<string, string> = {}) {
  const response = await world.app.request(path, { headers })
  const html = await response.text()
  const cookie = /pd_csrf=([\w-]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
  const field = /name="_csrf" value="([\w-]+)"/.exec(html)?.[1]
  return { response, html, cookie, field }
}

function post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields))
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
  return world.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  })
}

const goodRequest = {
  'business.name': 'Kopi Bubuk Pak Darto',
  'business.ownerName': 'Sudarto Wibowo',
  'business.phone': '0812-3456-7890',
  province: '35',
  'business.region': '35.73',
  'business.sector': 'kuliner',
  'business.sizeClass': 'mikro',
  needs: ['packaging', 'marketplace'],
  description: 'Ingin jualan kopi bubuk di Shopee dengan kemasan yang lebih menarik.',
  mode: 'either',
  languages: ['id', 'jv'],
  days: ['mon', 'wed'],
  windows: ['pagi'],
  'consent.accepted': 'true',
  'consent.purposeVersion': '2026-11',
}

describe('Web pages over HTTP', () => {
  it('serves every public page under 30 KB, with the API’s secure headers and nothing third-party', async () => {
    for (const path of [
      '/minta-pendampingan',
      '/en/request',
      '/privasi',
      '/en/privacy',
      '/daftar-mentor',
      '/masuk',
    ]) {
      const { response, html } = await open(path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(Buffer.byteLength(html), path).toBeLessThan(PAGE_BUDGET)
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("form-action 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      // No script, stylesheet or image from anywhere (links out to wa.me are navigation, not loads).
      expect(html).not.toMatch(/<(script|link|img|iframe)\b/i)
    }
  })

  it('hands out the CSRF cookie HttpOnly and SameSite=Strict', async () => {
    const response = await world.app.request('/minta-pendampingan')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/__Host-pd_csrf=[\w-]{43}/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    const secure = await world.app.request('https://pendamping.example/minta-pendampingan')
    expect(secure.headers.get('set-cookie')).toMatch(/Secure/)
  })

  it('refuses form posts without a matching CSRF token, and writes nothing', async () => {
    const before = (await scanTable(table, 'request')).length
    const { cookie, field } = await open('/minta-pendampingan')
    if (!cookie || !field) throw new Error('no CSRF token handed out')
    expect(field).toBe(cookie)

    const noToken = await post('/minta-pendampingan', goodRequest, { cookie: `__Host-pd_csrf=${cookie}` })
    expect(noToken.status).toBe(403)
    expect(await noToken.text()).toContain('Formulir kedaluwarsa')

    const noCookie = await post('/minta-pendampingan', { ...goodRequest, _csrf: field })
    expect(noCookie.status).toBe(403)

    const other = `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`
    const mismatch = await post(
      '/minta-pendampingan',
      { ...goodRequest, _csrf: other },
      { cookie: `__Host-pd_csrf=${cookie}` },
    )
    expect(mismatch.status).toBe(403)

    const crossSite = await post(
      '/minta-pendampingan',
      { ...goodRequest, _csrf: field },
      { cookie: `__Host-pd_csrf=${cookie}`, 'sec-fetch-site': 'cross-site' },
    )
    expect(crossSite.status).toBe(403)

    for (const path of [
      '/daftar-mentor',
      '/masuk',
      '/keluar',
      '/lacak/abc/batal',
      '/lacak/abc/hapus',
      '/tawaran/abc/terima',
    ])
      expect((await post(path, {}, { cookie: `__Host-pd_csrf=${cookie}` })).status, path).toBe(403)

    expect((await scanTable(table, 'request')).length).toBe(before)
  })

  it('answers mistakes on the same page, in Bahasa Indonesia, keeping what was typed', async () => {
    const { cookie, field } = await open('/minta-pendampingan')
    const response = await post(
      '/minta-pendampingan',
      { ...goodRequest, 'business.phone': '12', needs: [], 'consent.accepted': [], _csrf: field ?? '' },
      { cookie: `__Host-pd_csrf=${cookie}` },
    )
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Nomor telepon tidak valid')
    expect(html).toContain('Pilih paling sedikit satu bantuan')
    expect(html).toContain('Persetujuan pemrosesan data wajib diberikan')
    expect(html).toContain('value="Kopi Bubuk Pak Darto"')
    expect(html).toContain('value="12"')
    expect(html).toMatch(/<option value="35.73" selected/)
    expect(Buffer.byteLength(html)).toBeLessThan(PAGE_BUDGET)

    const english = await post(
      '/en/request',
      { ...goodRequest, 'business.phone': '12', _csrf: field ?? '' },
      { cookie: `__Host-pd_csrf=${cookie}` },
    )
    expect(await english.text()).toContain('Invalid phone number')
  })

  it('takes a request with an 08… phone, stores it as +62…, and its tracking page opens with the token only', async () => {
    const { cookie, field } = await open('/minta-pendampingan')
    const response = await post(
      '/minta-pendampingan',
      { ...goodRequest, _csrf: field ?? '' },
      { cookie: `__Host-pd_csrf=${cookie}` },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const html = await response.text()
    const link = /http:\/\/localhost\/lacak\/([\w-]+)\?token=([\w-]+)/.exec(html)
    if (!link) throw new Error('no tracking link on the success page')
    const [, id = '', token = ''] = link
    expect(html).toContain(`https://wa.me/?text=${encodeURIComponent('Tautan pelacakan').split('%20')[0]}`)
    expect(html).toContain(encodeURIComponent(`/lacak/${id}?token=${token}`))

    const stored = await getRequest(world.store, id)
    expect(stored).toMatchObject({
      status: 'matching',
      region: '35.73',
      needs: ['packaging', 'marketplace'],
      business: { phone: '+6281234567890', name: 'Kopi Bubuk Pak Darto' },
      availability: [
        { day: 'mon', from: '08:00', to: '12:00' },
        { day: 'wed', from: '08:00', to: '12:00' },
      ],
    })

    // The link's token becomes a cookie of this request, and the address bar loses it.
    const exchanged = await world.app.request(`/lacak/${id}?token=${token}`)
    expect(exchanged.status).toBe(303)
    expect(exchanged.headers.get('location')).toBe(`/lacak/${id}`)
    expect(exchanged.headers.get('set-cookie')).toContain(`__Host-track-${id}=${token}`)
    const tracking = await world.app.request(`/lacak/${id}`, {
      headers: { cookie: `__Host-track-${id}=${token}` },
    })
    expect(tracking.status).toBe(200)
    expect(tracking.headers.get('cache-control')).toBe('no-store')
    expect(tracking.headers.get('referrer-policy')).toBe('no-referrer')
    const page = await tracking.text()
    expect(page).toContain('Kami sedang mencarikan mentor')
    expect(Buffer.byteLength(page)).toBeLessThan(PAGE_BUDGET)

    expect((await world.app.request(`/lacak/${id}?token=${token}x`)).status).toBe(404)
    expect((await world.app.request(`/lacak/${id}`)).status).toBe(404)
  })

  it('submits a form posted twice (a reload, a double tap) once, and shows the same tracking link', async () => {
    const { cookie, field, html: form } = await open('/minta-pendampingan')
    const submission = /name="submission" value="([\w-]+)"/.exec(form)?.[1]
    expect(submission).toMatch(/^[\w-]{22}$/)
    const before = (await scanTable(table, 'request')).length
    const body = { ...goodRequest, _csrf: field ?? '', submission: submission ?? '' }
    const [first, second] = await Promise.all([
      post('/minta-pendampingan', body, { cookie: `__Host-pd_csrf=${cookie}` }),
      post('/minta-pendampingan', body, { cookie: `__Host-pd_csrf=${cookie}` }),
    ])
    const third = await post('/minta-pendampingan', body, { cookie: `__Host-pd_csrf=${cookie}` })
    const links = await Promise.all(
      [first, second, third].map(async (response) => {
        expect(response?.status).toBe(200)
        return /\/lacak\/[\w-]+\?token=[\w-]+/.exec((await response?.text()) ?? '')?.[0]
      }),
    )
    expect(links[0]).toBeDefined()
    expect(new Set(links)).toEqual(new Set([links[0]]))
    expect((await scanTable(table, 'request')).length).toBe(before + 1)
    // The same form changed after it was sent is a new request.
    const changed = await post(
      '/minta-pendampingan',
      { ...body, 'business.name': 'Kopi Bubuk Pak Darto 2' },
      { cookie: `__Host-pd_csrf=${cookie}` },
    )
    expect(changed.status).toBe(200)
    expect((await scanTable(table, 'request')).length).toBe(before + 2)
  })

  it('keeps mentor pages behind sign-in, offers no token box, and lets only a mentor’s session in', async () => {
    const offers = await world.app.request('/tawaran')
    expect(offers.status).toBe(303)
    expect(offers.headers.get('location')).toBe('/masuk?next=%2Ftawaran')

    // Signing in is a button that starts the provider's flow (CSRF-checked), never a pasted token.
    const { html, field } = await open('/masuk?next=%2Ftawaran')
    expect(html).toContain('action="/masuk"')
    expect(html).toContain('name="next" value="/tawaran"')
    expect(field).toBeTruthy()
    expect(html).not.toMatch(/name="token"/)

    const mentor = await approvedMentor(world)
    const staffSession = await world.session({ sub: 'staff-1', role: 'staff', region: '35.73' })
    const refused = await world.app.request('/tawaran', { headers: { cookie: staffSession } })
    expect(refused.status).toBe(303)
    expect(refused.headers.get('location')).toBe('/masuk?next=%2Ftawaran')

    const mentorSession = await world.session({ sub: mentor.id, role: 'mentor', region: '35.73' })
    const list = await world.app.request('/tawaran', { headers: { cookie: mentorSession } })
    expect(list.status).toBe(200)
    expect(await list.text()).toContain('Belum ada tawaran')

    // A session cookie altered in the browser is no session at all.
    const tampered = `${mentorSession.slice(0, -4)}AAAA`
    expect((await world.app.request('/tawaran', { headers: { cookie: tampered } })).status).toBe(303)
  })

  it('leaves the pages out of the OpenAPI document', async () => {
    const spec = await (await world.app.request('/openapi.json')).json()
    expect(Object.keys(spec.paths)).not.toContain('/minta-pendampingan')
  })
})
