import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { keys } from '@pendamping/core/dynamo'
import { findCandidates, makeBestOffer } from '@pendamping/core/matching'
import { expireOffer, getOffer, withdrawOpenOffer } from '@pendamping/core/offer'
import { cancelRequest, getRequest } from '@pendamping/core/request'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  admin,
  approvedMentor,
  call,
  createWorld,
  eventsOf,
  itemsOf,
  mentorToken,
  offerTo,
  staff,
  submitted,
  type World,
} from './mentors.fixture.ts'

const table = useTestTable()
let world: World

beforeAll(async () => {
  world = await createWorld(table)
})

const HOUR = 3600_000

async function load(mentorId: string) {
  const { Item } = await world.store.doc.send(
    new GetCommand({ TableName: world.store.tableName, Key: keys.mentorLoad(mentorId) }),
  )
  return Item
}

describe('Instant matching', () => {
  it('offers the best mentor with an explained score, expiring after 48 hours, once', async () => {
    // Two mentors for packaging in Kota Batu: the expert should win.
    const expert = await approvedMentor(world, {
      region: '35.79',
      skills: [{ topic: 'packaging', level: 3 }],
    })
    await approvedMentor(world, { region: '35.79', skills: [{ topic: 'packaging', level: 1 }] })
    const request = await submitted(world, {
      needs: ['packaging'],
      business: { ...baseBusiness, region: '35.79' },
    })

    const outcome = await makeBestOffer(world.store, world.clock, request.id)
    expect(outcome).toMatchObject({ outcome: 'offered', mentorId: expert.id })
    if (outcome.outcome !== 'offered') throw new Error('unreachable')
    expect(outcome.score.breakdown).toMatchObject({ needCoverage: 1, proximity: 1 })

    const offer = await getOffer(world.store, outcome.offerId)
    expect(offer?.status).toBe('open')
    expect(Date.parse(offer?.validUntil ?? '') - world.clock.now().getTime()).toBe(48 * HOUR)
    expect((await getRequest(world.store, request.id))?.status).toBe('offered')
    expect(await eventsOf(world, 'OfferMade')).toContainEqual(
      expect.objectContaining({ offerId: outcome.offerId, mentorId: expert.id, requestId: request.id }),
    )

    // Run again for the same state (a redelivered event): nothing new.
    expect(await makeBestOffer(world.store, world.clock, request.id)).toEqual({
      outcome: 'skipped',
      reason: 'not-matching',
    })
    expect(
      (await eventsOf(world, 'OfferMade')).filter((event) => event.requestId === request.id),
    ).toHaveLength(1)

    // The mentor sees it among their offers, without the owner's personal data.
    const mine = await call(world, 'GET', '/v1/me/offers', { token: expert.token })
    expect(mine.status).toBe(200)
    const shown = mine.body.items.find((item: { id: string }) => item.id === outcome.offerId)
    expect(shown).toMatchObject({ status: 'open', request: { needs: ['packaging'], sector: 'kuliner' } })
    expect(JSON.stringify(shown)).not.toContain('Sri Rahayu')
  })

  it('offers only mentors who fit: offline needs the same city, a shared language', async () => {
    await approvedMentor(world, { region: '35.15', modes: ['offline'], skills: [{ topic: 'ads', level: 3 }] })
    await approvedMentor(world, { region: '35.16', languages: ['en'], skills: [{ topic: 'ads', level: 3 }] })
    const request = await submitted(world, {
      needs: ['ads'],
      mode: 'offline',
      languages: ['id', 'jv'],
      business: { ...baseBusiness, region: '35.16' },
    })
    const stored = (await getRequest(world.store, request.id)) ?? fail()
    expect(await findCandidates(world.store, stored)).toEqual([])
    expect(await makeBestOffer(world.store, world.clock, request.id)).toMatchObject({ outcome: 'waiting' })
    expect((await getRequest(world.store, request.id))?.status).toBe('matching')

    const local = await approvedMentor(world, {
      region: '35.16',
      modes: ['offline'],
      languages: ['jv'],
      skills: [{ topic: 'ads', level: 1 }],
    })
    expect((await findCandidates(world.store, stored)).map((candidate) => candidate.id)).toEqual([local.id])
    expect(await makeBestOffer(world.store, world.clock, request.id)).toMatchObject({
      outcome: 'offered',
      mentorId: local.id,
    })
  })

  it('keeps a request matching while nobody fits, and makes it unmatched after its window', async () => {
    const request = await submitted(world, {
      needs: ['finance_literacy'],
      business: { ...baseBusiness, region: '94.71' },
    })
    expect(await makeBestOffer(world.store, world.clock, request.id)).toMatchObject({ outcome: 'waiting' })
    world.clock.advance(5 * 24 * HOUR + 1000)
    try {
      expect(await makeBestOffer(world.store, world.clock, request.id)).toEqual({ outcome: 'unmatched' })
      expect((await getRequest(world.store, request.id))?.status).toBe('unmatched')
      expect(await eventsOf(world, 'RequestUnmatched')).toContainEqual(
        expect.objectContaining({ requestId: request.id, reason: 'no-eligible-mentor' }),
      )
    } finally {
      world.clock.advance(-(5 * 24 * HOUR + 1000))
    }
  })

  it('offers the next best mentor after a decline, never the one who declined', async () => {
    const first = await approvedMentor(world, { region: '35.08', skills: [{ topic: 'website', level: 3 }] })
    const second = await approvedMentor(world, { region: '35.08', skills: [{ topic: 'website', level: 2 }] })
    const request = await submitted(world, {
      needs: ['website'],
      business: { ...baseBusiness, region: '35.08' },
    })
    const made = await makeBestOffer(world.store, world.clock, request.id)
    expect(made).toMatchObject({ outcome: 'offered', mentorId: first.id })
    if (made.outcome !== 'offered') throw new Error('unreachable')

    const declined = await call(world, 'POST', `/v1/offers/${made.offerId}/decline`, {
      token: first.token,
      body: { reason: 'no_time', note: 'Sedang ujian akhir semester' },
    })
    expect(declined.status).toBe(200)
    expect(declined.body).toMatchObject({ status: 'declined', decline: { reason: 'no_time' } })
    const after = await getRequest(world.store, request.id)
    expect(after).toMatchObject({ status: 'matching', excludedMentorIds: [first.id] })
    expect(await eventsOf(world, 'OfferDeclined')).toContainEqual(
      expect.objectContaining({ offerId: made.offerId, reason: 'no_time' }),
    )

    const next = await makeBestOffer(world.store, world.clock, request.id)
    expect(next).toMatchObject({ outcome: 'offered', mentorId: second.id })
  })
})

describe('Accepting offers', () => {
  it('admits exactly as many of 50 parallel accepts as the mentor has seats (invariant 1)', async () => {
    const mentor = await approvedMentor(world, { capacity: 3 })
    const offers = []
    for (let i = 0; i < 50; i++) offers.push(await offerTo(world, mentor.id))
    const answers = await Promise.all(
      offers.map((offer) =>
        call(world, 'POST', `/v1/offers/${offer.offerId}/accept`, { token: mentor.token }),
      ),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(3)
    expect(statuses.filter((status) => status === 409)).toHaveLength(47)
    expect(
      new Set(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.type)),
    ).toEqual(new Set(['urn:pendamping:problem:capacity-full']))
    expect(await load(mentor.id)).toMatchObject({ active: 3, capacity: 3 })
    const engagements = await call(world, 'GET', '/v1/me/engagements?limit=100', { token: mentor.token })
    expect(engagements.body.items).toHaveLength(3)
    const accepted = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.offerId)
    const events = (await eventsOf(world, 'OfferAccepted')).filter((event) => event.mentorId === mentor.id)
    expect(events.map((event) => event.offerId).sort()).toEqual([...accepted].sort())
  })

  it('lets only one of two mentors accept offers for the same request (invariant 2)', async () => {
    const a = await approvedMentor(world)
    const b = await approvedMentor(world)
    const { requestId, offerId: first } = await offerTo(world, a.id)
    // A second open offer for the same request, as a racing cohort commit could leave.
    const { offerItems } = await import('@pendamping/core/offer')
    const request = (await getRequest(world.store, requestId)) ?? fail()
    const { offer: second, items } = offerItems(
      world.store.tableName,
      { ...request, offerCount: 7 },
      { mentorId: b.id, mentorSub: b.id },
      { total: 0.7, breakdown: {} },
      world.clock.now(),
    )
    const { TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb')
    const { withTable } = await import('@pendamping/core/dynamo')
    await world.store.doc.send(
      new TransactWriteCommand({ TransactItems: withTable(world.store.tableName, [items.offer]) }),
    )

    const [one, two] = await Promise.all([
      call(world, 'POST', `/v1/offers/${first}/accept`, { token: a.token }),
      call(world, 'POST', `/v1/offers/${second.id}/accept`, { token: b.token }),
    ])
    expect([one?.status, two?.status].sort()).toEqual([201, 409])
    const loser = one?.status === 409 ? one : two
    expect(loser?.body.type).toBe('urn:pendamping:problem:offer-taken')
    const loads = [(await load(a.id))?.active, (await load(b.id))?.active]
    expect(loads.sort()).toEqual([0, 1])
    expect((await getRequest(world.store, requestId))?.status).toBe('active')
  })

  it('refuses an offer accepted after it expired, and changes nothing', async () => {
    const mentor = await approvedMentor(world)
    const { requestId, offerId } = await offerTo(world, mentor.id)
    world.clock.advance(48 * HOUR)
    try {
      const late = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })
      expect(late.status).toBe(409)
      expect(late.body.type).toBe('urn:pendamping:problem:offer-expired')
      expect((await getOffer(world.store, offerId))?.status).toBe('open')
      expect((await getRequest(world.store, requestId))?.status).toBe('offered')
      expect(await load(mentor.id)).toMatchObject({ active: 0 })
      const marker = await world.store.doc.send(
        new GetCommand({ TableName: world.store.tableName, Key: keys.requestAcceptance(requestId) }),
      )
      expect(marker.Item).toBeUndefined()

      // The sweeper then expires it: the request goes back to matching without this mentor.
      expect(await expireOffer(world.store, world.clock, offerId)).toMatchObject({ outcome: 'expired' })
      expect(await expireOffer(world.store, world.clock, offerId)).toMatchObject({ outcome: 'skipped' })
      expect(await getRequest(world.store, requestId)).toMatchObject({
        status: 'matching',
        excludedMentorIds: [mentor.id],
      })
      expect(await eventsOf(world, 'OfferExpired')).toContainEqual(expect.objectContaining({ offerId }))
    } finally {
      world.clock.advance(-48 * HOUR)
    }
  })

  it('withdraws the open offer when the owner cancels the request', async () => {
    const mentor = await approvedMentor(world)
    const { offerId, requestId, trackingToken } = await offerTo(world, mentor.id)
    await cancelRequest(world.store, world.clock, requestId, trackingToken)
    expect(await withdrawOpenOffer(world.store, world.clock, requestId)).toMatchObject({
      outcome: 'withdrawn',
    })
    expect(await withdrawOpenOffer(world.store, world.clock, requestId)).toMatchObject({ outcome: 'skipped' })
    expect((await getOffer(world.store, offerId))?.status).toBe('withdrawn')
    const late = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })
    expect(late.body.type).toBe('urn:pendamping:problem:offer-closed')
    expect(await eventsOf(world, 'OfferWithdrawn')).toContainEqual(
      expect.objectContaining({ offerId, reason: 'request-cancelled' }),
    )
  })

  it('does not expire an offer before its time', async () => {
    const mentor = await approvedMentor(world)
    const { offerId } = await offerTo(world, mentor.id)
    expect(await expireOffer(world.store, world.clock, offerId)).toEqual({
      outcome: 'skipped',
      reason: 'not-due',
    })
  })

  it('answers a retried accept with the same Idempotency-Key from the first answer', async () => {
    const mentor = await approvedMentor(world)
    const { offerId } = await offerTo(world, mentor.id)
    const headers = { 'idempotency-key': `accept-${offerId}` }
    const first = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token, headers })
    const retry = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token, headers })
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.body).toEqual(first.body)
    expect(retry.headers.get('idempotency-replayed')).toBe('true')
    expect(await load(mentor.id)).toMatchObject({ active: 1 })
    // Without the key, a second accept is a conflict, not a second engagement.
    const again = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })
    expect(again.status).toBe(409)
    expect(again.body.type).toBe('urn:pendamping:problem:offer-closed')
  })

  it('refuses accepting while paused', async () => {
    const mentor = await approvedMentor(world)
    const { offerId } = await offerTo(world, mentor.id)
    await call(world, 'PATCH', '/v1/me', { token: mentor.token, body: { status: 'paused' } })
    const refused = await call(world, 'POST', `/v1/offers/${offerId}/accept`, { token: mentor.token })
    expect(refused.status).toBe(409)
    expect(refused.body.type).toBe('urn:pendamping:problem:mentor-not-active')
  })
})

describe('Who may touch an offer', () => {
  it('answers each caller as the matrix says', async () => {
    const owner = await approvedMentor(world)
    const other = await approvedMentor(world)
    const { offerId } = await offerTo(world, owner.id)
    const read = `/v1/offers/${offerId}`
    const accept = `${read}/accept`
    const decline = `${read}/decline`
    const body = { reason: 'other' }
    const matrix: Array<[string, string | undefined, string, string, number]> = [
      ['anonymous', undefined, 'GET', read, 401],
      ['anonymous', undefined, 'POST', accept, 401],
      ['other mentor', other.token, 'GET', read, 404],
      ['other mentor', other.token, 'POST', accept, 404],
      ['other mentor', other.token, 'POST', decline, 404],
      ['staff of the region', await staff(world, '35.73'), 'GET', read, 200],
      ['staff of the region', await staff(world, '35.73'), 'POST', accept, 403],
      ['staff of another region', await staff(world, '35.07'), 'GET', read, 404],
      ['staff of another province', await staff(world, '33'), 'GET', read, 404],
      ['admin', await admin(world), 'GET', read, 200],
      ['admin', await admin(world), 'POST', decline, 403],
      ['the mentor', owner.token, 'GET', read, 200],
    ]
    for (const [who, token, method, path, status] of matrix) {
      const answer = await call(world, method, path, { token, ...(path === decline ? { body } : {}) })
      expect({ who, method, path, status: answer.status }).toEqual({ who, method, path, status })
    }
    expect((await call(world, 'GET', '/v1/me/offers', { token: other.token })).body.items).toEqual([])
    expect((await call(world, 'GET', '/v1/offers/nope', { token: owner.token })).status).toBe(404)
  })
})

describe('Bad input on offers', () => {
  it('refuses bad declines with a 400 listing the fields, and writes nothing', async () => {
    const mentor = await approvedMentor(world)
    const { offerId, requestId } = await offerTo(world, mentor.id)
    const path = `/v1/offers/${offerId}/decline`
    const cases: Array<[string, Record<string, unknown> | string, string[]]> = [
      ['malformed JSON', '{"reason": ', ['(body)']],
      ['missing reason', {}, ['reason']],
      ['unknown reason', { reason: 'bored' }, ['reason']],
      ['wrong type', { reason: 'other', note: 42 }, ['note']],
      ['oversize note', { reason: 'other', note: 'x'.repeat(501) }, ['note']],
      ['unknown field', { reason: 'other', mentorId: 'someone-else' }, ['']],
    ]
    for (const [what, body, fields] of cases) {
      const answer = await call(world, 'POST', path, {
        token: mentor.token,
        ...(typeof body === 'string' ? { raw: body } : { body }),
        headers: { 'accept-language': 'en' },
      })
      expect({ what, status: answer.status }).toEqual({ what, status: 400 })
      if (what !== 'malformed JSON')
        expect({ what, paths: answer.body.errors.map((error: { path: string }) => error.path) }).toEqual({
          what,
          paths: fields,
        })
    }
    expect((await call(world, 'POST', '/v1/offers/bad%20id!/accept', { token: mentor.token })).status).toBe(
      400,
    )
    expect((await call(world, 'GET', '/v1/me/offers?limit=1000', { token: mentor.token })).status).toBe(400)
    expect((await call(world, 'GET', '/v1/me/offers?status=maybe', { token: mentor.token })).status).toBe(400)
    expect((await getOffer(world.store, offerId))?.status).toBe('open')
    expect((await getRequest(world.store, requestId))?.status).toBe('offered')
    expect(await itemsOf(world, `MENTOR#${mentor.id}`)).toHaveLength(4)
  })
})

const baseBusiness = {
  name: 'Keripik Tempe Bu Sri',
  ownerName: 'Sri Rahayu',
  phone: '0813 3344 5566',
  region: '35.73',
  sector: 'kuliner' as const,
  sizeClass: 'mikro' as const,
  currentChannels: ['whatsapp' as const],
}

function fail(): never {
  throw new Error('missing')
}

void mentorToken
