import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'
import { keys } from '../adapters/dynamo/keys.ts'
import type { Clock, Store } from '../store.ts'
import { CLAIM_SECONDS, ClaimHeldError, consumeOnce } from './consumer.ts'

const table = useTestTable()
const store = (): Store => ({ doc: table.doc, tableName: table.tableName })
const clock = (iso = '2026-04-01T00:00:00Z'): Clock => ({ now: () => new Date(iso) })

describe('Idempotent consumers', () => {
  it('acts on an event delivered twice only once', async () => {
    let acted = 0
    const act = async () => {
      acted++
    }
    expect(await consumeOnce(store(), clock(), 'Notify', 'evt-1', act)).toBe('acted')
    expect(await consumeOnce(store(), clock(), 'Notify', 'evt-1', act)).toBe('duplicate')
    expect(acted).toBe(1)
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: keys.processed('Notify', 'evt-1') }),
    )
    expect(Item).toMatchObject({ status: 'done', eventId: 'evt-1' })
  })

  it('acts once when the same event arrives in parallel: the others wait for it, then see it done', async () => {
    let acted = 0
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        consumeOnce(store(), clock(), 'Notify', 'evt-parallel', async () => {
          await new Promise((resolve) => setTimeout(resolve, 50))
          acted++
        }),
      ),
    )
    expect(acted).toBe(1)
    expect(results.filter((r) => r === 'acted')).toHaveLength(1)
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(9)
  })

  it('never acknowledges an event another attempt is still at: the delivery fails, to be retried', async () => {
    let finish = () => {}
    const slow = consumeOnce(
      store(),
      clock(),
      'Notify',
      'evt-slow',
      () =>
        new Promise<void>((resolve) => {
          finish = resolve
        }),
    )
    await expect
      .poll(
        async () =>
          (
            await table.doc.send(
              new GetCommand({ TableName: table.tableName, Key: keys.processed('Notify', 'evt-slow') }),
            )
          ).Item,
      )
      .toBeDefined()
    await expect(
      consumeOnce(store(), clock(), 'Notify', 'evt-slow', async () => {}, { leaseMs: 200 }),
    ).rejects.toBeInstanceOf(ClaimHeldError)
    finish()
    expect(await slow).toBe('acted')
    expect(await consumeOnce(store(), clock(), 'Notify', 'evt-slow', async () => {})).toBe('duplicate')
  })

  it('lets each consumer act on the same event', async () => {
    let acted = 0
    const act = async () => {
      acted++
    }
    await consumeOnce(store(), clock(), 'InstantMatch', 'evt-2', act)
    await consumeOnce(store(), clock(), 'FollowUps', 'evt-2', act)
    expect(acted).toBe(2)
  })

  it('releases the claim when the action fails, so the retry acts', async () => {
    await expect(
      consumeOnce(store(), clock(), 'Notify', 'evt-3', async () => {
        throw new Error('SES throttled')
      }),
    ).rejects.toThrow('SES throttled')
    let acted = 0
    expect(
      await consumeOnce(store(), clock(), 'Notify', 'evt-3', async () => {
        acted++
      }),
    ).toBe('acted')
    expect(acted).toBe(1)
  })

  it('takes over a claim whose holder died, once it lapses', async () => {
    const start = new Date('2026-04-02T00:00:00Z')
    const hung = consumeOnce(
      store(),
      { now: () => start },
      'Notify',
      'evt-4',
      () => new Promise<void>(() => {}),
    )
    void hung
    const claimed = async () => {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: keys.processed('Notify', 'evt-4') }),
      )
      return Item
    }
    await expect.poll(claimed).toMatchObject({ status: 'in-progress' })
    const during = new Date(start.getTime() + (CLAIM_SECONDS - 1) * 1000)
    await expect(
      consumeOnce(store(), { now: () => during }, 'Notify', 'evt-4', async () => {}),
    ).rejects.toMatchObject({ name: 'ClaimHeldError', retryAfterMs: 1000 })
    const after = new Date(start.getTime() + (CLAIM_SECONDS + 1) * 1000)
    expect(await consumeOnce(store(), { now: () => after }, 'Notify', 'evt-4', async () => {})).toBe('acted')
  })

  it('never holds an event longer than the attempt can live: a retry after a timeout acts', async () => {
    const start = new Date('2026-04-03T00:00:00Z')
    // The function has 30 s left when it claims, then hangs until Lambda kills it.
    void consumeOnce(store(), { now: () => start }, 'Notify', 'evt-5', () => new Promise<void>(() => {}), {
      leaseMs: 30_000,
    })
    const claimed = async () =>
      (
        await table.doc.send(
          new GetCommand({ TableName: table.tableName, Key: keys.processed('Notify', 'evt-5') }),
        )
      ).Item
    await expect.poll(claimed).toMatchObject({ status: 'in-progress', leaseUntil: start.getTime() + 30_000 })
    const stillAlive = new Date(start.getTime() + 29_000)
    await expect(
      consumeOnce(store(), { now: () => stillAlive }, 'Notify', 'evt-5', async () => {}),
    ).rejects.toBeInstanceOf(ClaimHeldError)
    // Lambda's first retry of an asynchronous invocation comes a minute or more later.
    let acted = 0
    const retry = new Date(start.getTime() + 60_000)
    expect(
      await consumeOnce(store(), { now: () => retry }, 'Notify', 'evt-5', async () => {
        acted++
      }),
    ).toBe('acted')
    expect(acted).toBe(1)
    expect(await consumeOnce(store(), { now: () => retry }, 'Notify', 'evt-5', async () => {})).toBe(
      'duplicate',
    )
  })

  it('caps a lease at CLAIM_SECONDS whatever the caller asks', async () => {
    const start = new Date('2026-04-04T00:00:00Z')
    void consumeOnce(store(), { now: () => start }, 'Notify', 'evt-6', () => new Promise<void>(() => {}), {
      leaseMs: 3_600_000,
    })
    const claimed = async () =>
      (
        await table.doc.send(
          new GetCommand({ TableName: table.tableName, Key: keys.processed('Notify', 'evt-6') }),
        )
      ).Item
    await expect.poll(claimed).toMatchObject({ leaseUntil: start.getTime() + CLAIM_SECONDS * 1000 })
  })

  it('takes over a claim written before leases existed', async () => {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.processed('Notify', 'evt-7'),
          entity: 'processed',
          version: 1,
          status: 'in-progress',
          claimedUntil: 1_900_000_000,
        },
      }),
    )
    expect(await consumeOnce(store(), clock(), 'Notify', 'evt-7', async () => {})).toBe('acted')
  })
})
