/**
 * Lists spread over write shards (docs/contract/budgets.md#write-ceilings-on-real-dynamodb): a read
 * merges the shards into one order, page by page, with a cursor that remembers each shard's position;
 * requests land in their shard and a table written before the spread is moved into it.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { type List, queryMerged, write } from '@pendamping/core/dynamo'
import { Request } from '@pendamping/core/entities'
import { REQUEST_LIST_SHARDS, type RequestItem, respreadRequestLists } from '@pendamping/core/request'
import type { Store } from '@pendamping/core/store'
import { startLocalStack } from '@pendamping/scripts/local/stack'
import { scanTable } from '@pendamping/scripts/testing/scan'
import { useTestTable } from '@pendamping/scripts/testing/table'
import { beforeAll, describe, expect, it } from 'vitest'

const table = useTestTable()
const store = (): Store => ({ doc: table.doc, tableName: table.tableName })

const SHARDS = 4
/** A made-up collection spread over four shards, read by region prefix like the staff lists. */
const shardsOf = (collection: string, prefix: string, newestFirst = false): List<string>[] =>
  Array.from({ length: SHARDS }, (_, shard) => ({
    index: 'byRegion',
    partition: `${collection}#${shard}`,
    prefix,
    newestFirst,
    parse: (raw) => String(raw.byRegionSk),
  }))

/** Puts `count` items of `collection` in `region`, on shards chosen unevenly (shard 3 stays empty). */
async function putSpread(collection: string, region: string, count: number): Promise<string[]> {
  const sortKeys: string[] = []
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const id = `${collection}-${region}-${String(index).padStart(3, '0')}`
      // Times out of insertion order, some equal: the id breaks the tie, as in the real sort key.
      const at = `2026-05-${String(1 + ((index * 7) % 13)).padStart(2, '0')}T08:00:00.000Z`
      const sortKey = `${region}#${at}#${id}`
      const shard = index % 5 === 4 ? 0 : index % 3
      sortKeys.push(sortKey)
      await table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk: `TEST#${id}`, sk: 'TEST', byRegionPk: `${collection}#${shard}`, byRegionSk: sortKey },
        }),
      )
    }),
  )
  return sortKeys
}

/**
 * Every page of the merged list at `limit`, with the calls each cost; with `short`, DynamoDB answers
 * that shard one item at a time, as it does when a page reaches 1 MB before `Limit`.
 */
async function readAll(lists: List<string>[], limit: number, short?: string) {
  const pages: Array<{ items: string[]; queries: number }> = []
  let cursor: string | undefined
  for (let guard = 0; guard < 200; guard++) {
    let queries = 0
    const counting: Store = {
      tableName: table.tableName,
      doc: {
        send: (command: { input: { ExpressionAttributeValues?: object; Limit?: number } }) => {
          queries++
          const values = command.input.ExpressionAttributeValues as Record<string, unknown> | undefined
          if (short !== undefined && values?.[':partition'] === short) command.input.Limit = 1
          return table.doc.send(command as never)
        },
      } as unknown as Store['doc'],
    }
    const page = await queryMerged(counting, lists, { limit, cursor })
    pages.push({ items: page.items, queries })
    if (page.nextCursor === null) return pages
    cursor = page.nextCursor
  }
  throw new Error('The cursor never ended')
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

describe('A list spread over shards', () => {
  let malang: string[]
  beforeAll(async () => {
    malang = [...(await putSpread('SPREAD', '35.73.05', 23)), ...(await putSpread('SPREAD', '35.73.01', 6))]
    await putSpread('SPREAD', '35.78.01', 9)
    malang.sort(byteOrder)
  })

  it.each([1, 2, 3, 5, 7, 29, 100])(
    'reads every item once, in order, at %i a page, full pages until the last',
    async (limit) => {
      const pages = await readAll(shardsOf('SPREAD', '35.73'), limit)
      expect(pages.flatMap((page) => page.items)).toEqual(malang)
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit)
      // At most one empty page at the end (a shard that answered a full page with nothing after it).
      expect(pages.length).toBeLessThanOrEqual(Math.ceil(malang.length / limit) + 1)
      // The first page asks every shard; the empty one (shard 3) is at its end and not asked again.
      expect(pages[0]?.queries).toBe(SHARDS)
      for (const page of pages.slice(1)) expect(page.queries).toBeLessThanOrEqual(SHARDS - 1)
    },
  )

  it.each([1, 4, 10])(
    'stays in order when a shard answers short of the limit (a 1 MB page), at %i a page',
    async (limit) => {
      for (const shard of ['SPREAD#0', 'SPREAD#1']) {
        const pages = await readAll(shardsOf('SPREAD', '35.73'), limit, shard)
        expect(pages.flatMap((page) => page.items)).toEqual(malang)
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(limit)
      }
    },
  )

  it('reads newest first when the lists say so', async () => {
    const pages = await readAll(shardsOf('SPREAD', '35.73', true), 4)
    expect(pages.flatMap((page) => page.items)).toEqual([...malang].reverse())
  })

  it('keeps to the prefix: another region’s items never show', async () => {
    const pages = await readAll(shardsOf('SPREAD', '35.78'), 4)
    const surabaya = pages.flatMap((page) => page.items)
    expect(surabaya).toHaveLength(9)
    expect(surabaya.every((sortKey) => sortKey.startsWith('35.78'))).toBe(true)
  })

  it('answers an empty list with one empty page and no cursor', async () => {
    const pages = await readAll(shardsOf('SPREAD', '36'), 10)
    expect(pages).toEqual([{ items: [], queries: SHARDS }])
  })

  it('refuses a cursor that is forged, of another list, or of another shard', async () => {
    const lists = shardsOf('SPREAD', '35.73')
    const first = await queryMerged(store(), lists, { limit: 3 })
    const positions = JSON.parse(Buffer.from(first.nextCursor ?? '', 'base64url').toString()) as unknown[]
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const key = positions.find((at) => typeof at === 'object' && at !== null) as Record<string, string>
    const refused = [
      'not-base64-json%%',
      encode({ pk: 'x' }),
      encode(positions.slice(1)),
      encode([...positions, null]),
      // A key of shard 0 in every position: three of them are in the wrong shard.
      encode(positions.map(() => ({ ...key, byRegionPk: 'SPREAD#0' }))),
      // A key of another region's part of the list.
      encode(positions.map((at) => (at === key ? { ...key, byRegionSk: '35.78.01#x' } : at))),
      encode(positions.map((at) => (at === key ? { ...key, extra: 'x' } : at))),
      encode(positions.map(() => 'start')),
    ]
    for (const cursor of refused)
      await expect(queryMerged(store(), lists, { limit: 3, cursor }), cursor).rejects.toMatchObject({
        name: 'ValidationError',
      })
    // The cursor itself goes on where it left off.
    const next = await queryMerged(store(), lists, { limit: 3, cursor: first.nextCursor ?? '' })
    expect([...first.items, ...next.items]).toEqual(malang.slice(0, 6))
  })

  it('refuses shards with a filter or of different indexes (a bug, never input)', async () => {
    const [one, two] = shardsOf('SPREAD', '35.73')
    if (!one || !two) throw new Error('no shards')
    await expect(
      queryMerged(store(), [one, { ...two, filter: { expression: '#x = :x', values: { ':x': 1 } } }]),
    ).rejects.toThrow(/without filters/)
    await expect(queryMerged(store(), [one, { ...two, index: 'byOwner' }])).rejects.toThrow(/one index/)
    await expect(queryMerged(store(), [])).rejects.toThrow(/at least one/)
  })
})

/** A stored request as the entity writes it. */
function requestItem(id: string, overrides: Partial<RequestItem> = {}): RequestItem {
  return {
    entity: 'request',
    version: 1,
    id,
    status: 'matching',
    programId: null,
    segment: null,
    region: '35.73.05',
    sector: 'kuliner',
    sizeClass: 'mikro',
    needs: ['marketplace'],
    mode: 'online',
    languages: ['id'],
    availability: [],
    timeZone: 'Asia/Jakarta',
    submittedAt: `2026-05-01T08:00:${id.slice(-2).padStart(2, '0')}.000Z`,
    updatedAt: '2026-05-01T08:00:00.000Z',
    excludedMentorIds: [],
    offerCount: 0,
    tokenHash: null,
    business: null,
    description: null,
    consent: { accepted: true, purposeVersion: '2026-01', recordedAt: '2026-05-01T08:00:00.000Z' },
    erasedAt: null,
    ...overrides,
  }
}

describe('Requests in the staff lists', () => {
  it('land on all four shards of their status and move with a status change, keeping their shard', async () => {
    const ids = Array.from({ length: 40 }, (_, index) => `shardcheck-${String(index).padStart(2, '0')}`)
    for (const id of ids) expect(await write(store(), Request.put(requestItem(id)))).toBe(true)
    const stored = (await scanTable(table, 'request')).filter((item) => ids.includes(String(item.id)))
    const partitions = new Set(stored.map((item) => item.byRegionPk))
    expect(REQUEST_LIST_SHARDS).toBe(4)
    expect([...partitions].sort()).toEqual([
      'REQUEST#matching#0',
      'REQUEST#matching#1',
      'REQUEST#matching#2',
      'REQUEST#matching#3',
    ])

    const [moving] = stored
    const before = requestItem(String(moving?.id))
    await write(
      store(),
      Request.update(before, { set: { status: 'offered', updatedAt: '2026-05-02T00:00:00.000Z' } }),
    )
    const [after] = (await scanTable(table, 'request')).filter((item) => item.id === moving?.id)
    expect(after?.byRegionPk).toBe(String(moving?.byRegionPk).replace('matching', 'offered'))
  })

  it('written before the spread (or under another shard count) are moved to their shard, once', async () => {
    const ids = Array.from({ length: 12 }, (_, index) => `legacy-${String(index).padStart(2, '0')}`)
    for (const id of ids)
      await write(store(), Request.put(requestItem(id, { status: 'waitlisted', region: '35.09.01' })))
    // As a table written before the spread (`REQUEST#waitlisted`) or with eight shards holds them.
    for (const [index, id] of ids.entries())
      await table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: { pk: `REQUEST#${id}`, sk: 'REQUEST' },
          UpdateExpression: 'SET byRegionPk = :legacy',
          ExpressionAttributeValues: {
            ':legacy': index < 8 ? 'REQUEST#waitlisted' : `REQUEST#waitlisted#${4 + index - 8}`,
          },
        }),
      )
    const listed = async () => {
      const pages = await readAllRequests('waitlisted', '35.09')
      return pages.map((request) => request.id)
    }
    expect(await listed()).toEqual([])
    expect(await respreadRequestLists(store())).toBe(12)
    expect(await listed()).toEqual(ids)
    expect(await respreadRequestLists(store())).toBe(0)
  })
})

describe('npm start on a table kept from before', () => {
  it('moves its requests into their shards before serving', async () => {
    await write(store(), Request.put(requestItem('kept-01', { status: 'active', region: '35.10.01' })))
    // As a table written before the spread holds it.
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: 'REQUEST#kept-01', sk: 'REQUEST' },
        UpdateExpression: 'SET byRegionPk = :legacy',
        ExpressionAttributeValues: { ':legacy': 'REQUEST#active' },
      }),
    )
    expect(await readAllRequests('active', '35.10')).toEqual([])
    const stack = await startLocalStack({
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      port: 0,
      events: false,
    })
    try {
      expect((await readAllRequests('active', '35.10')).map((request) => request.id)).toEqual(['kept-01'])
    } finally {
      await stack.stop()
    }
  })
})

async function readAllRequests(status: RequestItem['status'], region: string): Promise<RequestItem[]> {
  const items: RequestItem[] = []
  let cursor: string | undefined
  do {
    const page = await queryMerged(store(), Request.inRegion(status, region), { limit: 5, cursor })
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return items
}
