/**
 * Consent withdrawn from the private pages, over HTTP (UU PDP; docs/contract/data-protection.md#consent):
 * the owner's tracking page and the participant's page each list the purposes with one form per
 * purpose — plain forms, CSRF-checked — that post to a page route calling the same core function as
 * the API's `POST …/consent`. Bad input and a missing CSRF token are refused with nothing written.
 * And a signed-in mentor erases their own data from their page, as `DELETE /v1/me/data` does.
 */
import type { ParticipantItem } from '@pendamping/core/class'
import { transact } from '@pendamping/core/dynamo'
import { Participant } from '@pendamping/core/entities'
import { PRIVACY_NOTICE_VERSION } from '@pendamping/core/privacy'
import { newTrackingToken } from '@pendamping/core/request'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import { approvedMentor, call, createWorld, requestInput, type World } from './mentors.fixture.ts'

const table = useTestTable()
let world: World

beforeAll(async () => {
  world = await createWorld(table)
})

/** A private page as a browser opens it from its link: the page's cookie, the CSRF cookie and field. */
async function openPrivate(path: string, token: string, lang = '') {
  const exchanged = await world.app.request(`${path}?token=${token}`)
  expect(exchanged.status).toBe(303)
  const own = exchanged.headers.get('set-cookie')?.split(';')[0] ?? ''
  const page = await world.app.request(`${path}${lang}`, { headers: { cookie: own } })
  expect(page.status).toBe(200)
  const html = await page.text()
  const csrf = /pd_csrf=([\w-]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? ''
  const field = /name="_csrf" value="([\w-]+)"/.exec(html)?.[1] ?? ''
  return { html, cookie: `${own}; __Host-pd_csrf=${csrf}`, field }
}

function post(path: string, fields: Record<string, string>, cookie: string) {
  return world.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields).toString(),
  })
}

const consentEvents = async () =>
  (await scanTable(table, 'event')).filter(
    (item) => (item.event as { type: string }).type === 'ConsentWithdrawn',
  ).length

describe('The private pages (UU PDP)', () => {
  it('withdraws one purpose from the tracking page, and refuses a bad purpose or a missing CSRF token', async () => {
    const submitted = await call(world, 'POST', '/v1/requests', {
      body: requestInput({
        consent: {
          accepted: true,
          purposeVersion: PRIVACY_NOTICE_VERSION,
          purposes: { reminders: true, program_reports: false, follow_on_invitations: false },
        },
      }),
    })
    expect(submitted.status).toBe(201)
    const { id, trackingToken } = submitted.body as { id: string; trackingToken: string }
    const page = await openPrivate(`/lacak/${id}`, trackingToken)
    // One form per purpose, each with the CSRF field; reminders given, reports not.
    expect(page.html).toContain('Persetujuan Anda')
    expect(page.html.match(/action="\/lacak\/[\w-]+\/persetujuan"/g)).toHaveLength(4)
    expect(page.html).toContain('Tarik persetujuan')

    const action = `/lacak/${id}/persetujuan`
    const withdraw = { purpose: 'reminders', given: 'false', purposeVersion: PRIVACY_NOTICE_VERSION }
    const before = await consentEvents()
    const stored = async () =>
      (await scanTable(table, 'request')).find((item) => item.id === id)?.consent as {
        purposes: Record<string, boolean>
        history: Array<{ purpose: string; given: boolean }>
      }
    // No CSRF field: refused, nothing written.
    expect((await post(action, withdraw, page.cookie)).status).toBe(403)
    // An unknown purpose: a 400 naming it, nothing written.
    const bad = await post(action, { ...withdraw, purpose: 'marketing', _csrf: page.field }, page.cookie)
    expect(bad.status).toBe(400)
    expect((await stored()).purposes.reminders).toBe(true)
    expect(await consentEvents()).toBe(before)

    const done = await post(action, { ...withdraw, _csrf: page.field }, page.cookie)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('Persetujuan Anda sudah ditarik.')
    const consent = await stored()
    expect(consent.purposes.reminders).toBe(false)
    expect(consent.history.at(-1)).toMatchObject({ purpose: 'reminders', given: false })
    expect(await consentEvents()).toBe(before + 1)

    // In English, and given again against the notice in force.
    const english = await openPrivate(`/lacak/${id}`, trackingToken, '?lang=en')
    expect(english.html).toContain('Your consent')
    const given = await post(
      `${action}?lang=en`,
      { ...withdraw, given: 'true', _csrf: english.field },
      english.cookie,
    )
    expect(given.status).toBe(200)
    expect(await given.text()).toContain('Your consent is recorded.')
    expect((await stored()).purposes.reminders).toBe(true)
  })

  it('withdraws one purpose from the participant’s page, through the same core function', async () => {
    const token = newTrackingToken()
    const at = '2026-04-02T00:00:00.000Z'
    const participant: ParticipantItem = {
      entity: 'participant',
      version: 1,
      id: 'p-consent-1',
      name: 'Dewi Lestari',
      phone: '+6281234500001',
      email: null,
      region: '35.73.02',
      business: null,
      consent: {
        purposes: {
          matching_contact: true,
          reminders: true,
          program_reports: true,
          follow_on_invitations: true,
        },
        purposeVersion: PRIVACY_NOTICE_VERSION,
        recordedAt: at,
      },
      locale: 'id',
      tokenHash: token.hash,
      createdAt: at,
      updatedAt: at,
    }
    await transact(world.store, [['participant', Participant.put(participant)]])
    const page = await openPrivate(`/peserta/${participant.id}`, token.token)
    expect(page.html.match(/action="\/peserta\/[\w-]+\/persetujuan"/g)).toHaveLength(4)
    const action = `/peserta/${participant.id}/persetujuan`
    const withdraw = { purpose: 'follow_on_invitations', given: 'false', _csrf: page.field }
    expect((await post(action, { ...withdraw, _csrf: '' }, page.cookie)).status).toBe(403)
    const done = await post(action, withdraw, page.cookie)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('Persetujuan Anda sudah ditarik.')
    const stored = (await scanTable(table, 'participant')).find((item) => item.id === participant.id) as {
      consent: { purposes: Record<string, boolean>; history: unknown[] }
    }
    expect(stored.consent.purposes).toMatchObject({ follow_on_invitations: false, reminders: true })
    expect(stored.consent.history).toHaveLength(1)
  })

  it('lets a signed-in mentor erase their data from their page, confirmed by a checkbox', async () => {
    const mentor = await approvedMentor(world, { name: 'Wulan Purnamasari' })
    const cookie = await world.session({ sub: mentor.id, role: 'mentor', region: '35.73' })
    const offers = await world.app.request('/tawaran', { headers: { cookie } })
    expect(await offers.text()).toContain('href="/tawaran/hapus-data"')
    const ask = await world.app.request('/tawaran/hapus-data', { headers: { cookie } })
    expect(ask.status).toBe(200)
    const html = await ask.text()
    expect(html).toContain('name="confirm" value="erase"')
    const csrf = /pd_csrf=([\w-]+)/.exec(ask.headers.get('set-cookie') ?? '')?.[1] ?? ''
    const field = /name="_csrf" value="([\w-]+)"/.exec(html)?.[1] ?? ''
    const both = `${cookie}; __Host-pd_csrf=${csrf}`
    const erased = async () =>
      (await scanTable(table, 'event')).filter(
        (item) => (item.event as { type: string }).type === 'PersonErased',
      ).length
    const before = await erased()
    // Unticked: asked again, nothing erased.
    expect((await post('/tawaran/hapus-data', { _csrf: field }, both)).status).toBe(400)
    expect((await scanTable(table, 'mentor')).some((item) => item.id === mentor.id)).toBe(true)
    const done = await post('/tawaran/hapus-data', { _csrf: field, confirm: 'erase' }, both)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('Data Anda sudah dihapus')
    expect(done.headers.get('set-cookie')).toContain('__Host-pd_session=;')
    expect((await scanTable(table, 'mentor')).some((item) => item.id === mentor.id)).toBe(false)
    expect(await erased()).toBe(before + 1)
  })
})
