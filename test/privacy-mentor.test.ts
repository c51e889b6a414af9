/**
 * A mentor erases their own data (UU PDP; docs/contract/data-protection.md#mentors), over the HTTP
 * API on DynamoDB Local with the events handed to the consumers `wiring.ts` declares (the local bus,
 * fed from the table's outbox): a mentor with a finished engagement (a certificate), a running one
 * (sessions, an owner's comment), a declined offer with a note and an open offer erases their data;
 * then the account is disabled, the business handed to another mentor (its owner told), the open
 * offer matched again, and the table, the messages and every log line hold none of their values.
 */

import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { eraseMentorRecords } from '@pendamping/core/privacy'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classInput, newProgram, openClass } from './classes.fixture.ts'
import { application, call, mentorToken, requestInput, staff, testClock } from './mentors.fixture.ts'
import {
  capturePrintedLogs,
  createPrivacyWorld,
  detailsOf,
  type PrivacyWorld,
  settle as settleWorld,
} from './privacy.fixture.ts'

const table = useTestTable()
const clock = testClock('2026-03-02T01:00:00.000Z')
let world: PrivacyWorld
let restoreLogs: () => void

const ratna = {
  name: 'Ratna Kusumawardani',
  email: 'ratna.kusuma@example.id',
  phone: '0857-9911-2233',
  bio: 'Ratna Kusumawardani, pemilik toko batik daring di Lowokwaru.',
  declineNote: 'Jadwal Bu Ratna Kusumawardani penuh bulan ini',
  comment: 'Bu Ratna Kusumawardani sabar sekali',
}
const phoneForms = ['085799112233', '+6285799112233', '6285799112233', '0857-9911-2233']

beforeAll(async () => {
  world = await createPrivacyWorld(table, clock)
  restoreLogs = capturePrintedLogs(world)
})

afterAll(() => restoreLogs?.())

const settle = () => settleWorld(world)
const events = (type: string) => detailsOf(world, type)

async function apply(overrides: Parameters<typeof application>[0]) {
  const applied = await call(world, 'POST', '/v1/mentor-applications', { body: application(overrides) })
  expect(applied.status, JSON.stringify(applied.body)).toBe(201)
  const id: string = applied.body.id
  expect((await call(world, 'POST', `/v1/mentors/${id}/approve`, { token: await staff(world) })).status).toBe(
    200,
  )
  return { id, token: await mentorToken(world, id) }
}

/** A request through the API, matched by the consumers; answers its id, token and the offer made. */
async function request() {
  const submitted = await call(world, 'POST', '/v1/requests', { body: requestInput() })
  expect(submitted.status).toBe(201)
  await settle()
  const { id, trackingToken } = submitted.body as { id: string; trackingToken: string }
  const offer = (await events('OfferMade')).filter((detail) => detail.requestId === id).at(-1)
  return { id, trackingToken, offerId: offer?.offerId as string, mentorId: offer?.mentorId as string }
}

async function session(token: string, engagementId: string, startsAt: string, endsAt: string) {
  const answer = await call(world, 'POST', `/v1/engagements/${engagementId}/sessions`, {
    token,
    body: {
      startsAt,
      endsAt,
      mode: 'online',
      meetingUrl: 'https://meet.example.id/abc',
      topics: ['social_media'],
    },
  })
  expect(answer.status, JSON.stringify(answer.body)).toBe(201)
  return answer.body.id as string
}

describe('A mentor erases their own data', () => {
  it('hands their work on, disables the account, and leaves none of their values behind', async () => {
    const mentor = await apply({ name: ratna.name, email: ratna.email, phone: ratna.phone, bio: ratna.bio })

    // A finished engagement with one session: a mentor's certificate naming them.
    const first = await request()
    expect(first.mentorId).toBe(mentor.id)
    const accepted = await call(world, 'POST', `/v1/offers/${first.offerId}/accept`, { token: mentor.token })
    expect(accepted.status).toBe(201)
    const held = await session(mentor.token, accepted.body.id, '2026-03-04T03:00:00Z', '2026-03-04T04:00:00Z')
    clock.set('2026-03-04T04:10:00Z')
    const completed = await call(world, 'POST', `/v1/sessions/${held}/complete`, {
      token: mentor.token,
      body: { notes: 'Foto produk ulang', outcomes: [], attendance: 'attended' },
    })
    expect(completed.status).toBe(200)
    const rated = await call(world, 'POST', `/v1/sessions/${held}/feedback`, {
      headers: { 'x-tracking-token': first.trackingToken },
      body: { rating: 5, comment: ratna.comment },
    })
    expect(rated.status).toBe(201)
    const closed = await call(world, 'POST', `/v1/engagements/${accepted.body.id}/close`, {
      token: mentor.token,
      body: { outcome: 'completed' },
    })
    expect(closed.status).toBe(200)
    await settle()
    expect(JSON.stringify(await scanTable(table, 'certificate'))).toContain(ratna.name)

    // A running engagement with a session to come; a declined offer with a note; an open offer.
    const running = await request()
    const engagement = await call(world, 'POST', `/v1/offers/${running.offerId}/accept`, {
      token: mentor.token,
    })
    expect(engagement.status).toBe(201)
    const later = await session(
      mentor.token,
      engagement.body.id,
      '2026-03-11T03:00:00Z',
      '2026-03-11T04:00:00Z',
    )
    const declined = await request()
    const decline = await call(world, 'POST', `/v1/offers/${declined.offerId}/decline`, {
      token: mentor.token,
      body: { reason: 'no_time', note: ratna.declineNote },
    })
    expect(decline.status, JSON.stringify(decline.body)).toBe(200)
    await settle()
    const open = await request()
    expect(open.mentorId).toBe(mentor.id)
    // Another mentor, who takes over what Ratna leaves (approved after her offers were made).
    const other = await apply({ name: 'Dimas Prasetyo', capacity: 5 })
    await settle()
    // Two classes she teaches, one with Dimas: each holds a copy of her first name; one is cancelled.
    const program = await newProgram(world)
    const taught = await openClass(world, classInput(program.id, [mentor.id, other.id]))
    expect(taught.trainers.map((trainer: { name: string }) => trainer.name)).toEqual(['Ratna', 'Dimas'])
    const cancelled = await openClass(
      world,
      classInput(program.id, [mentor.id], {
        meetings: [{ startsAt: '2026-03-12T02:00:00Z', endsAt: '2026-03-12T04:00:00Z' }],
      }),
    )
    const cancelling = await call(world, 'POST', `/v1/classes/${cancelled.id}/cancel`, {
      token: await staff(world),
    })
    expect(cancelling.status, JSON.stringify(cancelling.body)).toBe(200)
    await settle()

    // Unconfirmed: refused, nothing erased.
    const unconfirmed = await call(world, 'DELETE', '/v1/me/data', { token: mentor.token, body: {} })
    expect(unconfirmed.status).toBe(400)
    expect(JSON.stringify(unconfirmed.body)).toContain('confirm')
    expect((await call(world, 'GET', '/v1/me', { token: mentor.token })).status).toBe(200)

    const erased = await call(world, 'DELETE', '/v1/me/data', {
      token: mentor.token,
      body: { confirm: 'erase' },
    })
    expect(erased.status).toBe(204)
    // At once: every token and session of the account refused.
    expect((await call(world, 'GET', '/v1/me', { token: mentor.token })).status).toBe(401)
    await settle()

    expect(world.accounts.disabled.has(mentor.id)).toBe(true)
    const items = await scanTable(table)
    const byId = (id: string) => items.find((item) => item.id === id) as Record<string, unknown>
    // The business goes on with another mentor; its owner is told; the session to come is cancelled.
    expect(byId(engagement.body.id).status).toBe('reassigned')
    expect(byId(later).status).toBe('cancelled')
    const reoffered = (await events('OfferMade')).filter((detail) => detail.mentorId === other.id)
    expect(reoffered.map((detail) => detail.requestId)).toEqual(expect.arrayContaining([running.id, open.id]))
    expect(
      world.notifier.sent.some(
        (message) => message.kind === 'mentor-withdrawn' && message.ref === `owner:${running.id}`,
      ),
    ).toBe(true)
    expect(byId(open.offerId).status).toBe('withdrawn')
    // Anonymous counts stay: the rating and the load; the certificate revoked and anonymised.
    const feedback = items.find((item) => item.entity === 'feedback') as Record<string, unknown>
    expect(feedback).toMatchObject({ rating: 5, comment: null })
    const certificate = items.find(
      (item) => item.entity === 'certificate' && (item.holder as { kind: string }).kind === 'mentor',
    ) as Record<string, unknown>
    expect(certificate).toMatchObject({ status: 'revoked', revocationReason: 'holder_request', name: '' })
    expect(items.some((item) => item.entity === 'mentorLoad' && item.mentorId === mentor.id)).toBe(true)
    // The classes she taught keep her place without her name; the catalog names Dimas alone.
    for (const klass of [byId(taught.id), byId(cancelled.id)])
      expect(klass.trainers).toContainEqual(expect.objectContaining({ mentorId: mentor.id, name: '' }))
    expect(byId(taught.id).trainers).toContainEqual(
      expect.objectContaining({ mentorId: other.id, name: 'Dimas' }),
    )
    const page = await world.app.request(`/kelas/${taught.id}`, { headers: { accept: 'text/html' } })
    const html = await page.text()
    expect(html).toContain('Pelatih: Dimas<')
    expect(html).not.toContain('Ratna')

    const personal = [ratna.name, ratna.email, ratna.bio, ratna.declineNote, ratna.comment, ...phoneForms]
    // Her first name alone, too (the classes held it), wherever it does not sit inside Dimas' values.
    expect(JSON.stringify(items)).not.toMatch(/"Ratna"/)
    const logs = world.printed.join('')
    expect(logs).toContain('erased')
    const table_ = JSON.stringify(items)
    const messages = JSON.stringify(world.notifier.sent)
    for (const value of personal) {
      expect(table_, `table holds ${value}`).not.toContain(value)
      expect(messages, `messages hold ${value}`).not.toContain(value)
      expect(logs, `logs hold ${value}`).not.toContain(value)
    }
    // Nothing is left of it for a second attempt: the account no longer has a mentor.
    const again = await call(world, 'DELETE', '/v1/me/data', {
      token: await mentorToken(world, mentor.id),
      body: { confirm: 'erase' },
    })
    expect(again.status).toBe(401)
  })

  it('erases a trainer’s name from a class staff changed meanwhile, and again finds nothing to do', async () => {
    const trainer = await apply({
      name: 'Sari Wulandari',
      email: 'sari.w@example.id',
      phone: '0857-1234-0099',
    })
    const program = await newProgram(world)
    const taught = await openClass(
      world,
      classInput(program.id, [trainer.id], {
        meetings: [{ startsAt: '2026-03-13T02:00:00Z', endsAt: '2026-03-13T04:00:00Z' }],
      }),
    )
    // Just before the erasure's change lands, staff change the class: the change is refused as
    // stale, the class read again and changed on the second attempt.
    let raced = false
    const racing = {
      send: async (command: object) => {
        const key = command instanceof UpdateCommand ? command.input.Key : undefined
        if (!raced && key?.pk === `CLASS#${taught.id}`) {
          raced = true
          await table.doc.send(
            new UpdateCommand({
              TableName: table.tableName,
              Key: key,
              UpdateExpression: 'SET updatedAt = :at',
              ExpressionAttributeValues: { ':at': '2026-03-02T09:00:00.000Z' },
            }),
          )
        }
        return table.doc.send(command as never)
      },
    }
    const store = { doc: racing as never, tableName: table.tableName }
    expect(await eraseMentorRecords(store, clock, trainer.id)).toMatchObject({ classes: 1 })
    expect(raced).toBe(true)
    const klass = (await scanTable(table, 'class')).find((item) => item.id === taught.id)
    expect(klass?.trainers).toEqual([expect.objectContaining({ mentorId: trainer.id, name: '' })])
    expect(await eraseMentorRecords(store, clock, trainer.id)).toMatchObject({ classes: 0 })
  })
})
