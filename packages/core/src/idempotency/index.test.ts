import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { describe, expect, it } from 'vitest'
import { refusalOf as failedItems, type TransactItem, withTable } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import {
  answerOnce,
  answerSecret,
  fingerprintOf,
  IDEMPOTENCY_TTL_SECONDS,
  type IdempotencyClaim,
  IdempotencyKeyReusedError,
  readStoredAnswer,
  type StoredAnswer,
  storeAnswer,
} from './index.ts'

const table = useTestTable()
const store = { doc: table.doc, tableName: table.tableName }
const now = new Date('2026-03-01T02:00:00Z')
const idempotencyPut = (claim: IdempotencyClaim, answer: StoredAnswer, at: Date): TransactItem =>
  storeAnswer(claim, answer, at) ?? {}

describe('Idempotency records', () => {
  it('stores the first answer sealed, and gives it back only for the same request', async () => {
    const claim = {
      scope: 'public POST /v1/things',
      key: 'key-1',
      fingerprint: fingerprintOf('POST', '/v1/things', '{"a":1}'),
    }
    const answer = { status: 201, body: { id: 'abc', trackingToken: 'secret-token' } }
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: withTable(store.tableName, [idempotencyPut(claim, answer, now)]),
      }),
    )

    expect(await readStoredAnswer(store, claim, now)).toEqual(answer)
    const [record] = await scanTable(table, 'idempotency')
    expect(JSON.stringify(record)).not.toMatch(/secret-token|key-1/)
    expect(record?.expiresAt).toBe(now.getTime() / 1000 + IDEMPOTENCY_TTL_SECONDS)

    const other = { ...claim, fingerprint: fingerprintOf('POST', '/v1/things', '{"a":2}') }
    await expect(readStoredAnswer(store, other, now)).rejects.toBeInstanceOf(IdempotencyKeyReusedError)
    expect(await readStoredAnswer(store, { ...claim, key: 'key-2' }, now)).toBeUndefined()
    expect(
      await readStoredAnswer(store, { ...claim, scope: 'account:x POST /v1/things' }, now),
    ).toBeUndefined()
    const later = new Date(now.getTime() + (IDEMPOTENCY_TTL_SECONDS + 1) * 1000)
    expect(await readStoredAnswer(store, claim, later)).toBeUndefined()
  })

  it('keeps no secret an answer carries, not even sealed: a replay makes it again from the claim', async () => {
    const claim = {
      scope: 'public POST /v1/requests',
      key: 'key-secret',
      fingerprint: fingerprintOf('POST', '/v1/requests', '{"b":1}'),
    }
    const secret = answerSecret(claim)
    if (!secret) throw new Error('no secret for a claim')
    expect(secret.token).toMatch(/^[\w-]{43}$/)
    expect(answerSecret(undefined)).toBeUndefined()
    const answer = { status: 201, body: { id: 'r1', trackingToken: secret.token } }
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: withTable(store.tableName, [storeAnswer(claim, answer, now, secret) ?? {}]),
      }),
    )
    expect(await readStoredAnswer(store, claim, now)).toEqual(answer)
    // The record holds the salt, not the token: with another salt the same record makes another token.
    const record = (await scanTable(table, 'idempotency')).find((item) => item.salt === secret.salt)
    if (!record) throw new Error('no record with the salt')
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: withTable(store.tableName, [
          {
            Update: {
              Key: { pk: record.pk, sk: record.sk },
              UpdateExpression: 'SET salt = :s',
              ExpressionAttributeValues: { ':s': 'other' },
            },
          },
        ]),
      }),
    )
    const replayed = (await readStoredAnswer(store, claim, now))?.body as {
      id: string
      trackingToken: string
    }
    expect(replayed.id).toBe('r1')
    expect(replayed.trackingToken).not.toBe(secret.token)
    expect(replayed.trackingToken).toMatch(/^[\w-]{43}$/)
  })

  it('names the item whose condition cancelled a transaction, with the item as it was', async () => {
    const claim = { scope: 'public POST /v1/race', key: 'race', fingerprint: 'f' }
    const put = (body: unknown) =>
      withTable(store.tableName, [idempotencyPut(claim, { status: 201, body }, now)])
    await store.doc.send(new TransactWriteCommand({ TransactItems: put(1) }))
    const error = await store.doc.send(new TransactWriteCommand({ TransactItems: put(2) })).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    const failed = failedItems(error, ['idempotency'])
    expect(failed?.conditions).toEqual(new Set(['idempotency']))
    expect(failedItems(new Error('other'), ['x'])).toBeUndefined()
  })

  it('reads the stored answer only when the attempt is refused, with lookup on refusal', async () => {
    const claim = { scope: 'public POST /v1/once', key: 'once', fingerprint: 'f1' }
    const clock = { now: () => now }
    const gets: string[] = []
    const name = `count-${crypto.randomUUID()}`
    table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^Get(Item)?Command$/.test(String(context.commandName))) gets.push('GetItem')
        return next(args)
      },
      { step: 'initialize', name },
    )
    try {
      const first = await answerOnce(store, clock, claim, async () => 'made', { lookup: 'on-refusal' })
      expect(first).toEqual({ fresh: 'made' })
      expect(gets).toEqual([])
      // Nothing stored yet: a refused attempt's own error goes through, after one read.
      const refused = new ConflictError('Already done')
      await expect(
        answerOnce(store, clock, claim, () => Promise.reject(refused), { lookup: 'on-refusal' }),
      ).rejects.toBe(refused)
      expect(gets).toEqual(['GetItem'])
      await store.doc.send(
        new TransactWriteCommand({
          TransactItems: withTable(store.tableName, [
            idempotencyPut(claim, { status: 201, body: 'first' }, now),
          ]),
        }),
      )
      // A retry the domain refuses (the first attempt's state) replays the first answer.
      expect(
        await answerOnce(store, clock, claim, () => Promise.reject(refused), { lookup: 'on-refusal' }),
      ).toEqual({ replayed: { status: 201, body: 'first' } })
      // The same key for another request: 422, whatever the attempt concluded.
      await expect(
        answerOnce(store, clock, { ...claim, fingerprint: 'f2' }, () => Promise.reject(refused), {
          lookup: 'on-refusal',
        }),
      ).rejects.toBeInstanceOf(IdempotencyKeyReusedError)
    } finally {
      table.doc.middlewareStack.remove(name)
    }
  })
})
