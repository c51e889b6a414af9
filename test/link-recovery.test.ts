/**
 * Channels and link recovery (docs/contract/channels.md), over HTTP on the real table: the channel a
 * person chooses in the forms, a lost link replaced by a one-time code sent by that channel (the old
 * link stops working), the same answer for a phone nobody gave, and bad input refused with nothing
 * written.
 */

import { noteStaleRequest, staffCovering } from '@pendamping/core/account'
import { testApp } from '@pendamping/scripts/testing/app'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type ClassWorld,
  classInput,
  createClassWorld,
  deliverEvents,
  newProgram,
  openClass,
  register,
} from './classes.fixture.ts'
import { admin, approvedMentor, call, requestInput } from './mentors.fixture.ts'

const table = useTestTable()
let world: ClassWorld
let klassId: string

beforeAll(async () => {
  world = await createClassWorld(table)
  const programId = (await newProgram(world)).id
  const trainer = await approvedMentor(world, { capacity: 5 })
  klassId = (await openClass(world, classInput(programId, [trainer.id], { seats: { umum: 10, asn: 10 } }))).id
})

const itemCount = async () => (await scanTable(table)).length
const codeIn = (body: string) => /\b(\d{6})\b/.exec(body)?.[1] ?? ''
const sentCodes = () => world.notifier.sent.filter((message) => message.kind === 'link-code')

async function submit(business: Record<string, unknown>) {
  const input = requestInput()
  return call(world, 'POST', '/v1/requests', {
    body: { ...input, business: { ...input.business, ...business } },
  })
}

describe('The channel a person chooses', () => {
  it('is stored with the request and used for its messages; WhatsApp when none is chosen', async () => {
    const chosen = await submit({ phone: '0813 9000 0001', channel: 'sms' })
    const unchosen = await submit({ phone: '0813 9000 0002' })
    expect([chosen.status, unchosen.status]).toEqual([201, 201])
    const stored = await scanTable(table, 'request')
    const channelOf = (id: string) =>
      (stored.find((item) => item.id === id)?.business as { channel?: string } | undefined)?.channel
    expect(channelOf(chosen.body.id)).toBe('sms')
    expect(channelOf(unchosen.body.id)).toBe('whatsapp')
  })

  it('refuses e-mail without an address, and an unknown channel, writing nothing', async () => {
    const before = await itemCount()
    const noEmail = await submit({ channel: 'email' })
    const unknown = await submit({ channel: 'telegram' })
    expect(noEmail.status).toBe(400)
    expect(noEmail.body.errors).toEqual([expect.objectContaining({ path: 'business.channel' })])
    expect(unknown.status).toBe(400)
    const registered = await register(world, klassId, 4100, {
      person: { name: 'Peserta', phone: '0812 4100 0000', region: '35.73', channel: 'email' },
    })
    expect(registered.status).toBe(400)
    expect(await itemCount()).toBe(before)
  })
})

describe('Link recovery', () => {
  it('sends a code by the owner’s channel; the code gives a new link and the old one stops working', async () => {
    const submitted = await submit({ phone: '0813 9100 0001', channel: 'sms' })
    const { id, trackingToken: oldToken } = submitted.body
    const asked = await call(world, 'POST', '/v1/link-recovery', { body: { phone: '+62 813-9100-0001' } })
    expect(asked.status).toBe(202)
    expect(asked.body).toEqual({ recoveryId: expect.any(String), expiresInSeconds: 600 })
    await deliverEvents(world)
    const [message] = sentCodes().filter((m) => m.to === '+6281391000001')
    expect(message).toMatchObject({ channel: 'sms', ref: `owner:${id}` })
    // Minimal personal data: the code and its life, no name, no request.
    expect(message?.body).not.toContain(id)
    const code = codeIn(message?.body ?? '')

    const recovered = await call(world, 'POST', `/v1/link-recovery/${asked.body.recoveryId}/code`, {
      body: { code },
    })
    expect(recovered.status).toBe(200)
    const [link] = recovered.body.links
    expect(link).toMatchObject({ kind: 'request', id, path: expect.stringMatching(`^/lacak/${id}\\?token=`) })
    const newToken = new URL(`http://x${link.path}`).searchParams.get('token') ?? ''
    const read = (token: string) =>
      call(world, 'GET', `/v1/requests/${id}`, { headers: { 'x-tracking-token': token } })
    expect((await read(oldToken)).status).toBe(404)
    expect((await read(newToken)).status).toBe(200)
    // Single use.
    const again = await call(world, 'POST', `/v1/link-recovery/${asked.body.recoveryId}/code`, {
      body: { code },
    })
    expect(again.status).toBe(404)
  })

  it('finds a participant by the registration id and their phone', async () => {
    const registered = await register(world, klassId, 4200)
    expect(registered.status).toBe(201)
    const asked = await call(world, 'POST', '/v1/link-recovery', {
      body: { phone: '081200004200', registrationId: registered.body.id },
    })
    await deliverEvents(world)
    const message = sentCodes().find((m) => m.ref === `participant:${registered.body.participantId}`)
    expect(message?.channel).toBe('whatsapp')
    const recovered = await call(world, 'POST', `/v1/link-recovery/${asked.body.recoveryId}/code`, {
      body: { code: codeIn(message?.body ?? '') },
    })
    expect(recovered.body.links).toEqual([
      expect.objectContaining({ kind: 'participant', id: registered.body.participantId }),
    ])
  })

  it('answers a phone nobody gave exactly like a known one, with the same writes, and sends nothing', async () => {
    await submit({ phone: '0813 9200 0001' })
    await deliverEvents(world)
    const writes = async (phone: string) => {
      const before = await itemCount()
      const sent = sentCodes().length
      const asked = await call(world, 'POST', '/v1/link-recovery', { body: { phone } })
      const written = (await itemCount()) - before
      await deliverEvents(world)
      return { asked, written, sent: sentCodes().length - sent }
    }
    const known = await writes('0813 9200 0001')
    const unknown = await writes('0813 9299 9999')
    expect(unknown.asked.status).toBe(known.asked.status)
    expect(Object.keys(unknown.asked.body)).toEqual(Object.keys(known.asked.body))
    expect(unknown.written).toBe(known.written)
    expect([known.sent, unknown.sent]).toEqual([1, 0])
    const guessed = await call(world, 'POST', `/v1/link-recovery/${unknown.asked.body.recoveryId}/code`, {
      body: { code: '123456' },
    })
    expect(guessed.status).toBe(404)
  })

  it('opens nothing for an id whose phone is another', async () => {
    const submitted = await submit({ phone: '0813 9300 0001' })
    await call(world, 'POST', '/v1/link-recovery', {
      body: { phone: '0813 9300 0002', requestId: submitted.body.id },
    })
    const sent = sentCodes().length
    await deliverEvents(world)
    expect(sentCodes().length).toBe(sent)
  })

  it('stops a code after five wrong tries, even the right one', async () => {
    await submit({ phone: '0813 9400 0001' })
    const asked = await call(world, 'POST', '/v1/link-recovery', { body: { phone: '0813 9400 0001' } })
    await deliverEvents(world)
    const code = codeIn(sentCodes().find((m) => m.to === '+6281394000001')?.body ?? '')
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++)
      expect(
        (
          await call(world, 'POST', `/v1/link-recovery/${asked.body.recoveryId}/code`, {
            body: { code: wrong },
          })
        ).status,
      ).toBe(404)
    const right = await call(world, 'POST', `/v1/link-recovery/${asked.body.recoveryId}/code`, {
      body: { code },
    })
    expect(right.status).toBe(404)
  })

  it('refuses bad input with a 400 and writes nothing', async () => {
    const before = await itemCount()
    for (const body of [
      {},
      { phone: '0813 9500 0001', email: 'a@b.id' },
      { phone: '12' },
      { email: 'not-an-email' },
      { phone: '0813 9500 0001', requestId: 'a', registrationId: 'b' },
      { phone: '0813 9500 0001', extra: true },
    ]) {
      const answer = await call(world, 'POST', '/v1/link-recovery', { body })
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.headers.get('content-type')).toContain('application/problem+json')
    }
    const code = await call(world, 'POST', '/v1/link-recovery/abcdefghijklmnop/code', {
      body: { code: '12ab' },
    })
    expect(code.status).toBe(400)
    expect(await itemCount()).toBe(before)
  })

  it('limits how often one phone may ask, with the rate-limit machinery', async () => {
    const { app } = await testApp(table, {
      clock: world.clock,
      rateLimits: {
        client: { name: 'client', limit: 100, windowSeconds: 60 },
        phone: { name: 'phone', limit: 2, windowSeconds: 3600 },
        account: { name: 'account', limit: 100, windowSeconds: 60 },
        read: { name: 'read', limit: 1000, windowSeconds: 60 },
      },
    })
    const ask = () =>
      app.request('/v1/link-recovery', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '0813 9600 0001' }),
      })
    expect([(await ask()).status, (await ask()).status, (await ask()).status]).toEqual([202, 202, 429])
  })

  it('works without JavaScript: the pages ask, take the code and show the new link', async () => {
    const page = await world.app.request('/pulihkan-tautan')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).not.toContain('<script')
    expect(html).toContain('name="phone"')
    expect((await world.app.request('/en/recover-link')).status).toBe(200)
  })

  it('forgets an erased participant: their contact links go with them, and recovery sends nothing', async () => {
    const registered = await register(world, klassId, 4300)
    const { participantId, participantToken } = registered.body
    const linksOf = async () =>
      (await scanTable(table, 'contactLink')).filter((item) => item.id === participantId).length
    expect(await linksOf()).toBe(1)
    const erased = await call(world, 'DELETE', `/v1/participants/${participantId}/data`, {
      headers: { 'x-tracking-token': participantToken },
    })
    expect(erased.status).toBe(204)
    expect(await linksOf()).toBe(0)
    const sent = sentCodes().length
    await call(world, 'POST', '/v1/link-recovery', { body: { phone: '081200004300' } })
    await deliverEvents(world)
    expect(sentCodes().length).toBe(sent)
  })
})

describe('Staff alerts', () => {
  it('reach every staff member covering the region, by their own channel', async () => {
    const invite = async (body: Record<string, unknown>) =>
      call(world, 'POST', '/v1/staff', { token: await admin(world), body })
    expect(
      (
        await invite({
          email: 'jatim@x.id',
          name: 'Staf Jatim',
          region: '35',
          phone: '0813 7000 0001',
          channel: 'whatsapp',
        })
      ).status,
    ).toBe(201)
    expect((await invite({ email: 'malang@x.id', name: 'Staf Malang', region: '35.73' })).status).toBe(201)
    expect((await invite({ email: 'batu@x.id', name: 'Staf Batu', region: '35.79' })).status).toBe(201)
    const covering = await staffCovering(world.store, '35.73.01')
    expect(covering.map((to) => [to.email, to.channel, to.phone]).sort()).toEqual([
      ['jatim@x.id', 'whatsapp', '+6281370000001'],
      ['malang@x.id', 'email', undefined],
    ])
  })

  it('refuses a phone channel without a phone, writing nothing', async () => {
    const before = await itemCount()
    const answer = await call(world, 'POST', '/v1/staff', {
      token: await admin(world),
      body: { email: 'sms@x.id', name: 'Staf SMS', region: '35.73', channel: 'sms' },
    })
    expect(answer.status).toBe(400)
    expect(await itemCount()).toBe(before)
  })

  it('send a digest instead of one alert per request when many go stale in a day, counting each once', async () => {
    const outcomes = []
    for (const id of ['r1', 'r1', 'r2', 'r3', 'r4', 'r5'])
      outcomes.push((await noteStaleRequest(world.store, world.clock, '35.09', id)).send)
    expect(outcomes).toEqual(['alert', 'alert', 'alert', 'alert', 'digest', 'none'])
  })
})
