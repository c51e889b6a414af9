/**
 * Links in messages (docs/contract/channels.md#links-in-messages), over HTTP on the real table: the
 * link a consumer puts in an owner's or a participant's message opens their private page through the
 * page's exchange (link → `__Host-` cookie → 303 to the clean address); it stops when the private
 * link changes (a new link, a recovery), and a tampered, foreign or expired one opens nothing, with a
 * page pointing to link recovery. Neither the links nor the secret reach the logs or the table.
 */
import { MESSAGE_LINK_DAYS, MESSAGE_LINK_TOKEN, MessageLinks } from '@pendamping/core/link'
import { getRequest } from '@pendamping/core/request'
import { type LogRecord, logger } from '@pendamping/functions/logger'
import { provideRuntime } from '@pendamping/functions/runtime'
import { testApp } from '@pendamping/scripts/testing/app'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ClassWorld,
  classInput,
  createClassWorld,
  deliverEvents,
  newProgram,
  openClass,
  phoneOf,
  register,
} from './classes.fixture.ts'
import { approvedMentor, call, offerTo } from './mentors.fixture.ts'

const table = useTestTable()
const secret = MessageLinks.newSecret()
let world: ClassWorld
const logged: LogRecord[] = []
let level: ReturnType<typeof logger.getLevelName>
/** Every message link this file saw, to look for in the logs and the table. */
const seen: string[] = []

beforeAll(async () => {
  const base = await createClassWorld(table)
  const messageLinks = MessageLinks.fromSecret(secret)
  // The app and the consumers share the key, as the API and the consumer functions do on AWS.
  const { app, keys, session } = await testApp(table, { clock: base.clock, messageLinks })
  world = { ...base, app, keys, session }
  provideRuntime({
    store: world.store,
    clock: world.clock,
    notifier: world.notifier,
    publicUrl: 'https://pendamping.test',
    messageLinks,
  })
  // Every record, down to DEBUG (the request lines, the consumers' notes), to look through at the end.
  level = logger.getLevelName()
  logger.setLogLevel('DEBUG')
  logger.printTo((record) => logged.push(record))
})

afterAll(() => {
  logger.printTo(undefined)
  logger.setLogLevel(level)
})

/** The link in the last message of `kind` sent to `ref`. */
function linkIn(kind: string, ref: string): URL {
  const message = world.notifier.sent.filter((sent) => sent.kind === kind && sent.ref === ref).at(-1)
  const url = /https:\/\/pendamping\.test\/\S+/.exec(message?.body ?? '')?.[0]
  if (!url) throw new Error(`no ${kind} link for ${ref}: ${message?.body}`)
  const link = new URL(url)
  seen.push(link.searchParams.get('token') ?? '')
  return link
}

const open = (path: string, cookie?: string) => world.app.request(path, cookie ? { headers: { cookie } } : {})

/** Follows a message's link as a browser does: the exchange, then the clean page with its cookie. */
async function follow(link: URL) {
  const exchanged = await open(`${link.pathname}${link.search}`)
  const cookie = exchanged.headers.get('set-cookie') ?? ''
  const page =
    exchanged.status === 303
      ? await open(exchanged.headers.get('location') ?? '', cookie.split(';')[0])
      : undefined
  return { exchanged, cookie, page }
}

async function expectRecoveryPointer(response: Response, status: number) {
  expect(response.status).toBe(status)
  expect(response.headers.get('cache-control')).toBe('no-store')
  const html = await response.text()
  expect(html).toContain('href="/pulihkan-tautan"')
  return html
}

describe('A link in a message to an owner', () => {
  let id: string
  let trackingToken: string
  let link: URL

  beforeAll(async () => {
    const mentor = await approvedMentor(world, { capacity: 5 })
    const offered = await offerTo(world, mentor.id)
    ;({ requestId: id, trackingToken } = offered)
    const accepted = await call(world, 'POST', `/v1/offers/${offered.offerId}/accept`, {
      token: mentor.token,
    })
    expect(accepted.status).toBe(201)
    await deliverEvents(world)
    link = linkIn('offer-accepted', `owner:${id}`)
  })

  it('opens the tracking page: the link becomes the page’s cookie until it expires, and the address loses it', async () => {
    expect(link.pathname).toBe(`/lacak/${id}`)
    expect(link.searchParams.get('token')).toMatch(MESSAGE_LINK_TOKEN)
    const { exchanged, cookie, page } = await follow(link)
    expect(exchanged.status).toBe(303)
    expect(exchanged.headers.get('location')).toBe(`/lacak/${id}`)
    expect(cookie).toContain(`__Host-track-${id}=${link.searchParams.get('token')}`)
    expect(cookie).toMatch(/HttpOnly/)
    expect(Number(/Max-Age=(\d+)/.exec(cookie)?.[1])).toBe(MESSAGE_LINK_DAYS * 86_400)
    expect(page?.status).toBe(200)
    expect(await page?.text()).toContain('Keripik Tempe Bu Sri')
  })

  it('refuses a tampered link, and the link of one request on another’s page, pointing to recovery', async () => {
    const token = link.searchParams.get('token') ?? ''
    // The MAC's first character (the last one of 43 also carries two bits base64url drops).
    const [expires, mac = ''] = token.split('.')
    const tampered = `${expires}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`
    await expectRecoveryPointer(await open(`/lacak/${id}?token=${tampered}`), 404)
    const other = await offerTo(world, (await approvedMentor(world)).id)
    await expectRecoveryPointer(await open(`/lacak/${other.requestId}?token=${token}`), 404)
  })

  it('stops opening the page once the owner makes a new private link, with a page pointing to recovery', async () => {
    const { cookie } = await follow(link)
    const rotated = await call(world, 'POST', `/v1/requests/${id}/tracking-token`, {
      headers: { 'x-tracking-token': trackingToken },
    })
    expect(rotated.status).toBe(200)
    const html = await expectRecoveryPointer(await open(`${link.pathname}${link.search}`), 404)
    expect(html).toContain('Tautan ini sudah tidak berlaku')
    // The browser that had opened it loses its cookie too.
    const again = await open(`/lacak/${id}`, cookie.split(';')[0])
    await expectRecoveryPointer(again, 404)
    expect(again.headers.get('set-cookie')).toMatch(new RegExp(`__Host-track-${id}=;.*Max-Age=0`))
    // The new private link opens it as before.
    const fresh = await open(`/lacak/${id}?token=${rotated.body.trackingToken}`)
    expect(fresh.status).toBe(303)
  })
})

describe('A link in a message to a participant', () => {
  it('opens their page, and stops once they recover a new link', async () => {
    const programId = (await newProgram(world)).id
    const trainer = await approvedMentor(world, { capacity: 5 })
    const klass = await openClass(world, classInput(programId, [trainer.id], { seats: { umum: 1, asn: 1 } }))
    const first = await register(world, klass.id, 7101)
    const waiting = await register(world, klass.id, 7102)
    expect([first.body.status, waiting.body.status]).toEqual(['confirmed', 'waitlisted'])
    await call(world, 'POST', `/v1/registrations/${first.body.id}/cancel`, {
      headers: { 'x-tracking-token': first.body.participantToken },
    })
    await deliverEvents(world)
    const participantId: string = waiting.body.participantId
    const link = linkIn('class-promoted', `participant:${participantId}`)
    expect(link.pathname).toBe(`/peserta/${participantId}`)

    const { exchanged, cookie, page } = await follow(link)
    expect(exchanged.status).toBe(303)
    expect(cookie).toContain(`__Host-participant-${participantId}=`)
    expect(page?.status).toBe(200)
    expect(await page?.text()).toContain('<h1>Kelas Peserta 7102</h1>')

    const asked = await call(world, 'POST', '/v1/link-recovery', {
      body: { phone: phoneOf(7102), registrationId: waiting.body.id },
    })
    await deliverEvents(world)
    const code = /\b(\d{6})\b/.exec(
      world.notifier.sent
        .filter((sent) => sent.kind === 'link-code' && sent.ref === `participant:${participantId}`)
        .at(-1)?.body ?? '',
    )?.[1]
    const recovered = await call(world, 'POST', `/v1/link-recovery/${asked.body.recoveryId}/code`, {
      body: { code },
    })
    expect(recovered.status).toBe(200)
    await expectRecoveryPointer(await open(`${link.pathname}${link.search}`), 404)
  })
})

describe('An expired link', () => {
  it('opens nothing after 30 days, saying so, without reading anything', async () => {
    const owner = await offerTo(world, (await approvedMentor(world)).id)
    const request = await getRequest(world.store, owner.requestId)
    const token = MessageLinks.fromSecret(secret).sign(
      'request',
      owner.requestId,
      request?.tokenHash ?? null,
      world.clock.now(),
    )
    seen.push(token ?? '')
    expect((await open(`/lacak/${owner.requestId}?token=${token}`)).status).toBe(303)
    world.clock.advance(MESSAGE_LINK_DAYS * 86_400_000)
    const html = await expectRecoveryPointer(await open(`/lacak/${owner.requestId}?token=${token}`), 410)
    expect(html).toContain('sudah kedaluwarsa')
  })
})

describe('The links and their secret', () => {
  it('never reach the logs or the table', async () => {
    expect(seen.filter(Boolean).length).toBeGreaterThanOrEqual(3)
    expect(logged.filter((record) => record.message === 'request').length).toBeGreaterThan(10)
    const logs = JSON.stringify(logged)
    const items = JSON.stringify(await scanTable(table))
    for (const token of [...seen.filter(Boolean), secret]) {
      expect(logs).not.toContain(token)
      expect(items).not.toContain(token)
    }
  })
})
