import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { outboxEvents } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'
import { keys } from '../adapters/dynamo/keys.ts'
import type { Clock, Store } from '../store.ts'
import { cancelFollowUp, dueBuckets, followUpId, scheduleFollowUp, sweepDue } from './index.ts'

const table = useTestTable()
const store = (): Store => ({ doc: table.doc, tableName: table.tableName })
const at = (iso: string): Clock => ({ now: () => new Date(iso) })

async function schedule(...items: Parameters<typeof scheduleFollowUp>[1 | 2 | 3][][]) {
  for (const [kind, subject, due] of items as [never, string, Date][]) {
    await table.doc.send(
      new TransactWriteCommand({ TransactItems: [scheduleFollowUp(table.tableName, kind, subject, due)] }),
    )
  }
}

const dueEvents = async (subjectId: string) =>
  (await outboxEvents(table, 'FollowUpDue')).filter((event) => event.detail.subjectId === subjectId)

describe('Timed follow-ups', () => {
  it('fires a duty once it is due, and only then', async () => {
    await schedule(['offer-expiry', 'offer-a', new Date('2026-03-01T10:30:00Z')])
    expect((await sweepDue(store(), at('2026-03-01T10:29:59Z'))).fired).not.toContain(
      followUpId('offer-expiry', 'offer-a'),
    )
    expect((await sweepDue(store(), at('2026-03-01T10:30:00Z'))).fired).toContain(
      followUpId('offer-expiry', 'offer-a'),
    )
    expect((await sweepDue(store(), at('2026-03-01T10:31:00Z'))).fired).not.toContain(
      followUpId('offer-expiry', 'offer-a'),
    )
    const item = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: keys.followUp('offer-expiry:offer-a') }),
    )
    expect(item.Item).toMatchObject({ status: 'fired', firedAt: '2026-03-01T10:30:00.000Z' })
    expect(typeof item.Item?.expiresAt).toBe('number')
  })

  it('fires each duty exactly once when sweeps overlap', async () => {
    const due = new Date('2026-03-02T08:00:00Z')
    await schedule(...Array.from({ length: 12 }, (_, i) => ['session-reminder-1h', `s-${i}`, due] as never))
    const sweeps = await Promise.all(
      Array.from({ length: 4 }, () => sweepDue(store(), at('2026-03-02T08:05:00Z'))),
    )
    const fired = sweeps
      .flatMap((sweep) => sweep.fired)
      .filter((id) => id.startsWith('session-reminder-1h:s-'))
    expect(fired.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `session-reminder-1h:s-${i}`).sort())
    expect(new Set(fired).size).toBe(12)
  })

  it('writes one FollowUpDue event per firing in the same transaction', async () => {
    await schedule(['post-session-check-in', 'sess-x', new Date('2026-03-03T01:00:00Z')])
    await sweepDue(store(), at('2026-03-03T01:00:01Z'))
    const { Items = [] } = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: 'byDue',
        KeyConditionExpression: 'byDuePk = :p',
        ExpressionAttributeValues: { ':p': 'DUE#2026-03-03T01' },
      }),
    )
    expect(Items).toHaveLength(0)
    await sweepDue(store(), at('2026-03-03T01:05:00Z'))
    const events = await dueEvents('sess-x')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      type: 'FollowUpDue',
      version: 1,
      occurredAt: '2026-03-03T01:00:01.000Z',
      detail: {
        followUpId: 'post-session-check-in:sess-x',
        kind: 'post-session-check-in',
        subjectId: 'sess-x',
      },
    })
  })

  it('moves a rescheduled duty instead of adding a second one', async () => {
    await schedule(['session-reminder-24h', 'moved', new Date('2026-03-04T09:00:00Z')])
    await schedule(['session-reminder-24h', 'moved', new Date('2026-03-05T09:00:00Z')])
    expect((await sweepDue(store(), at('2026-03-04T09:10:00Z'))).fired).not.toContain(
      'session-reminder-24h:moved',
    )
    expect((await sweepDue(store(), at('2026-03-05T09:10:00Z'))).fired).toContain(
      'session-reminder-24h:moved',
    )
  })

  it('never fires a cancelled duty', async () => {
    await schedule(['session-reminder-1h', 'cancelled', new Date('2026-03-06T09:00:00Z')])
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [cancelFollowUp(table.tableName, 'session-reminder-1h', 'cancelled')],
      }),
    )
    expect((await sweepDue(store(), at('2026-03-06T09:30:00Z'))).fired).not.toContain(
      'session-reminder-1h:cancelled',
    )
  })

  it('does not re-arm a duty that already fired', async () => {
    await schedule(['stale-request', 'req-1', new Date('2026-03-07T00:00:00Z')])
    await sweepDue(store(), at('2026-03-07T00:01:00Z'))
    await expect(
      table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            scheduleFollowUp(table.tableName, 'stale-request', 'req-1', new Date('2026-03-08T00:00:00Z')),
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' })
  })

  it('leaves a duty pending when its claim loses a transaction conflict, for the next sweep', async () => {
    await schedule(['offer-expiry', 'conflicted', new Date('2026-03-09T00:00:00Z')])
    // DynamoDB Local never reports conflicts: make the claim fail the way DynamoDB does under contention.
    const conflicting: Store = {
      tableName: table.tableName,
      doc: new Proxy(table.doc, {
        get(target, prop, receiver) {
          if (prop !== 'send') return Reflect.get(target, prop, receiver)
          return (command: unknown) => {
            if (command instanceof TransactWriteCommand) {
              return Promise.reject(
                Object.assign(new Error('Transaction cancelled'), {
                  name: 'TransactionCanceledException',
                  CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
                }),
              )
            }
            return target.send(command as never)
          }
        },
      }),
    }
    const lost = await sweepDue(conflicting, at('2026-03-09T00:00:30Z'))
    expect(lost.skipped).toContain('offer-expiry:conflicted')
    expect((await sweepDue(store(), at('2026-03-09T00:01:00Z'))).fired).toContain('offer-expiry:conflicted')
  })

  it('looks back a bounded number of hour buckets', () => {
    expect(dueBuckets(new Date('2026-03-10T02:15:00Z'))).toEqual([
      '2026-03-10T00',
      '2026-03-10T01',
      '2026-03-10T02',
    ])
  })
})
