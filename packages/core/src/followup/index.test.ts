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

  it('catches up from its watermark after days stopped, in bounded runs, and reports how far behind it is', async () => {
    // The sweeper ran until midnight (caught up with the earlier tests' days), then stopped for 4½ days.
    const midnight = at('2026-04-01T00:00:00Z')
    for (let run = 0; run < 30 && (await sweepDue(store(), midnight)).lagMs > 0; run++);
    expect((await sweepDue(store(), midnight)).watermark).toBe('2026-03-31T21')
    await schedule(
      ['post-session-check-in', 'gap-1', new Date('2026-04-01T01:10:00Z')],
      ['post-session-check-in', 'gap-2', new Date('2026-04-02T05:20:00Z')],
      ['post-session-check-in', 'gap-3', new Date('2026-04-03T23:30:00Z')],
      ['post-session-check-in', 'gap-4', new Date('2026-04-05T11:40:00Z')],
    )
    const now = at('2026-04-05T12:00:00Z')
    const firedOf = (sweep: { fired: string[] }) => sweep.fired.filter((id) => id.includes(':gap-'))
    // 48 hours per run: the last 3 (a duty due now is not held up by the backlog), then the 45 oldest.
    const first = await sweepDue(store(), now, { maxBuckets: 48 })
    expect(firedOf(first)).toEqual([
      'post-session-check-in:gap-1',
      'post-session-check-in:gap-2',
      'post-session-check-in:gap-4',
    ])
    expect(first.watermark).toBe('2026-04-02T18')
    // The first hour not read yet stands for the oldest duty not fired: 2026-04-02T19:00, 65 hours ago.
    expect(first.lagMs).toBe(65 * 3_600_000)
    const second = await sweepDue(store(), now, { maxBuckets: 48 })
    expect(firedOf(second)).toEqual(['post-session-check-in:gap-3'])
    expect(second.lagMs).toBe(20 * 3_600_000)
    const third = await sweepDue(store(), now, { maxBuckets: 48 })
    expect(firedOf(third)).toEqual([])
    expect(third.lagMs).toBe(0)
    // The lookback (the last 3 hours) is read every run; the watermark stays just behind it.
    expect(third.watermark).toBe('2026-04-05T09')
    expect(firedOf(await sweepDue(store(), now))).toEqual([])
    expect(await dueEvents('gap-1')).toHaveLength(1)
  })

  it('fires at most its limit per run; the rest wait for the next, and the lag says since when', async () => {
    const due = (minute: number) => new Date(Date.UTC(2026, 3, 6, 8, minute))
    await schedule(
      ...[1, 2, 3, 4, 5].map((minute) => ['session-reminder-1h', `many-${minute}`, due(minute)] as never),
    )
    const now = at('2026-04-06T08:30:00Z')
    const first = await sweepDue(store(), now, { limit: 2 })
    expect(first.fired).toEqual(['session-reminder-1h:many-1', 'session-reminder-1h:many-2'])
    expect(first.lagMs).toBe(28 * 60_000)
    const second = await sweepDue(store(), now, { limit: 10 })
    expect(second.fired).toEqual([
      'session-reminder-1h:many-3',
      'session-reminder-1h:many-4',
      'session-reminder-1h:many-5',
    ])
    expect(second.lagMs).toBe(0)
  })

  it('stops early when the invocation is running out of time', async () => {
    await schedule(['stale-request', 'late-run', new Date('2026-04-07T08:00:00Z')])
    const stopped = await sweepDue(store(), at('2026-04-07T08:30:00Z'), { timeLeft: () => false })
    expect(stopped.fired).toEqual([])
    expect(stopped.lagMs).toBeGreaterThan(0)
    expect((await sweepDue(store(), at('2026-04-07T08:31:00Z'))).fired).toEqual(['stale-request:late-run'])
  })

  it('looks back a bounded number of hour buckets', () => {
    expect(dueBuckets(new Date('2026-03-10T02:15:00Z'))).toEqual([
      '2026-03-10T00',
      '2026-03-10T01',
      '2026-03-10T02',
    ])
  })
})
