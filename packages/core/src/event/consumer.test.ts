import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'
import { keys } from '../adapters/dynamo/keys.ts'
import type { Clock, Store } from '../store.ts'
import { CLAIM_SECONDS, consumeOnce } from './consumer.ts'

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

  it('acts once when the same event arrives in parallel', async () => {
    let acted = 0
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        consumeOnce(store(), clock(), 'Notify', 'evt-parallel', async () => {
          acted++
        }),
      ),
    )
    expect(acted).toBe(1)
    expect(results.filter((r) => r === 'acted')).toHaveLength(1)
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
    expect(await consumeOnce(store(), { now: () => during }, 'Notify', 'evt-4', async () => {})).toBe(
      'duplicate',
    )
    const after = new Date(start.getTime() + (CLAIM_SECONDS + 1) * 1000)
    expect(await consumeOnce(store(), { now: () => after }, 'Notify', 'evt-4', async () => {})).toBe('acted')
  })
})
