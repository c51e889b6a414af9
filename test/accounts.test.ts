/**
 * Accounts managed in the product: an admin, or staff of a parent region, invite staff for a region
 * (`POST /v1/staff`); the account is made in the directory and the invitation event written once.
 */
import { assertInGoodStanding, readAccount } from '@pendamping/core/account'
import { localAccountDirectory } from '@pendamping/core/directory'
import { write } from '@pendamping/core/dynamo'
import { Account } from '@pendamping/core/entities'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'
import { admin, call, createWorld, eventsOf, staff, type World } from './mentors.fixture.ts'

const table = useTestTable()
const directory = localAccountDirectory()
let world: World

beforeAll(async () => {
  world = await createWorld(table)
  // The same world, with a directory this file can read.
  const { testApp } = await import('@pendamping/scripts/testing/app')
  const built = await testApp(table, { clock: world.clock, accounts: directory })
  world = { ...world, app: built.app, keys: built.keys, session: built.session }
})

const invitation = (email: string, region: string) => ({ email, name: 'Ni Made Ayu Lestari', region })

describe('Inviting staff', () => {
  it('lets an admin invite staff for any region: the account is made and the invitation written once', async () => {
    const answer = await call(world, 'POST', '/v1/staff', {
      token: await world.keys.sign({ sub: 'admin-1', role: 'admin', region: '*' }),
      body: invitation('Made.Ayu@Baliprov.go.id ', '51'),
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toMatchObject({
      role: 'staff',
      region: '51',
      email: 'made.ayu@baliprov.go.id',
      invitedBy: 'admin-1',
    })
    expect(directory.invitations).toContainEqual(
      expect.objectContaining({ email: 'made.ayu@baliprov.go.id', role: 'staff', region: '51' }),
    )
    expect(await eventsOf(world, 'StaffInvited')).toEqual([
      expect.objectContaining({ sub: answer.body.sub, region: '51', invitedBy: 'admin-1' }),
    ])
    // Inviting again answers the same account and writes nothing new.
    const again = await call(world, 'POST', '/v1/staff', {
      token: await admin(world),
      body: invitation('made.ayu@baliprov.go.id', '51'),
    })
    expect(again.status).toBe(201)
    expect(again.body.sub).toBe(answer.body.sub)
    expect(await eventsOf(world, 'StaffInvited')).toHaveLength(1)
  })

  it('lets staff of a province invite staff of a city in it, and nobody invite for their own or a wider region', async () => {
    const province = await world.keys.sign({ sub: 'staff-35', role: 'staff', region: '35' })
    const city = await staff(world, '35.73')
    const ok = await call(world, 'POST', '/v1/staff', {
      token: province,
      body: invitation('staf.batu@example.go.id', '35.79'),
    })
    expect(ok.status).toBe(201)
    expect(ok.body.region).toBe('35.79')
    for (const [token, region] of [
      [province, '35'],
      [province, '51'],
      [city, '35.73'],
      [city, '35'],
    ] as const) {
      const refused = await call(world, 'POST', '/v1/staff', {
        token,
        body: invitation(`x-${region}@example.go.id`, region),
      })
      expect(refused.status, `${region}`).toBe(403)
    }
    const mentor = await world.keys.sign({ sub: 'm-1', role: 'mentor', region: '35.73' })
    expect(
      (await call(world, 'POST', '/v1/staff', { token: mentor, body: invitation('m@example.id', '35.73') }))
        .status,
    ).toBe(403)
    expect(
      (await call(world, 'POST', '/v1/staff', { body: invitation('a@example.id', '35.73') })).status,
    ).toBe(401)
    const bad = await call(world, 'POST', '/v1/staff', {
      token: province,
      body: invitation('not-an-email', '35.99'),
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['email', 'region'])
  })
})

describe('A mentor account’s standing', () => {
  it('is read once per few seconds per process, and refuses a suspended mentor', async () => {
    const store = { doc: table.doc, tableName: table.tableName }
    const sub = `standing-${crypto.randomUUID()}`
    await write(
      store,
      Account.put({
        entity: 'account',
        version: 1,
        sub,
        role: 'mentor',
        mentorId: 'm',
        status: 'active',
        createdAt: new Date().toISOString(),
      }),
    )
    const mentor = { kind: 'account', sub, role: 'mentor', region: '35.73' } as const
    await expect(assertInGoodStanding(store, mentor)).resolves.toBeUndefined()
    // Suspended behind this process's back: trusted from the cache until it lapses.
    await write(store, Account.update({ sub }, { set: { status: 'suspended' } }))
    expect((await readAccount(store, sub))?.status).toBe('active')
    expect((await readAccount(store, sub, Date.now() + 6_000))?.status).toBe('suspended')
    await expect(assertInGoodStanding(store, mentor)).rejects.toMatchObject({ status: 401 })
  })

  it('costs a mentor’s request no DynamoDB call while cached (measured)', async () => {
    const store = { doc: table.doc, tableName: table.tableName }
    const sub = `cost-${crypto.randomUUID()}`
    await write(
      store,
      Account.put({
        entity: 'account',
        version: 1,
        sub,
        role: 'mentor',
        mentorId: 'm',
        status: 'active',
        createdAt: new Date().toISOString(),
      }),
    )
    const mentor = { kind: 'account', sub, role: 'mentor', region: '35.73' } as const
    const time = async (runs: number, fresh: boolean) => {
      const started = performance.now()
      for (let i = 0; i < runs; i++) {
        if (fresh) await readAccount(store, sub, Date.now() + 10_000 * (i + 1))
        else await assertInGoodStanding(store, mentor)
      }
      return (performance.now() - started) / runs
    }
    await time(20, false)
    const cached = await time(2_000, false)
    const read = await time(100, true)
    console.info(
      `account standing per request: cached ${cached.toFixed(4)} ms, uncached (1 GetItem) ${read.toFixed(3)} ms`,
    )
    expect(cached).toBeLessThan(read)
  })
})
