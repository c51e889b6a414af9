/**
 * The world the data-protection tests run in, in process: the real app on the file's own table, the
 * local bus applying `wiring.ts`'s rules to the consumers (fed from the table's outbox, as the stream
 * and the publisher would), a notifier that records every message, an account directory that records
 * disabled accounts, signing keys for certificates, and every log line printed — at every level —
 * collected as Lambda would print it (JSON on stdout/stderr).
 */
import { CertificateKeys, generateKeyring } from '@pendamping/core/certificate'
import { localAccountDirectory } from '@pendamping/core/directory'
import type { EventEnvelope } from '@pendamping/core/event'
import { logger } from '@pendamping/functions/logger'
import { provideRuntime } from '@pendamping/functions/runtime'
import { LocalBus } from '@pendamping/scripts/local/bus'
import { LocalNotifier } from '@pendamping/scripts/local/notifier'
import { testApp } from '@pendamping/scripts/testing/app'
import { scanTable } from '@pendamping/scripts/testing/scan'
import type { TestTable } from '@pendamping/scripts/testing/table'
import { vi } from 'vitest'
import type { TestClock, World } from './mentors.fixture.ts'

export interface PrivacyWorld extends World {
  table: TestTable
  bus: LocalBus
  notifier: LocalNotifier
  accounts: ReturnType<typeof localAccountDirectory>
  /** Every log line printed since {@link capturePrintedLogs}. */
  printed: string[]
  delivered: Set<string>
}

export async function createPrivacyWorld(table: TestTable, clock: TestClock): Promise<PrivacyWorld> {
  const certificates = {
    baseUrl: 'https://pendamping.test',
    keys: await CertificateKeys.from(await generateKeyring(new Date('2026-01-01T00:00:00Z'))),
  }
  const accounts = localAccountDirectory()
  const { app, keys, session } = await testApp(table, { clock, accounts, certificates })
  const store = { doc: table.doc, tableName: table.tableName }
  const notifier = new LocalNotifier()
  provideRuntime({ store, clock, notifier, publicUrl: 'http://localhost:3000', accounts, certificates })
  const quiet = { info: () => {}, warn: () => {}, error: () => {} }
  const bus = new LocalBus({ logger: quiet, maxAttempts: 1 })
  return {
    app,
    store,
    clock,
    keys,
    session,
    table,
    bus,
    notifier,
    accounts,
    printed: [],
    delivered: new Set(),
  }
}

/**
 * From now on every log line of every level is printed (tests run at WARN) and collected in
 * `world.printed`; the returned function restores both.
 */
export function capturePrintedLogs(world: PrivacyWorld): () => void {
  logger.setLogLevel('DEBUG')
  const collect = (chunk: string | Uint8Array) => {
    world.printed.push(String(chunk))
    return true
  }
  vi.spyOn(process.stdout, 'write').mockImplementation(collect)
  vi.spyOn(process.stderr, 'write').mockImplementation(collect)
  return () => {
    vi.restoreAllMocks()
    logger.setLogLevel('WARN')
  }
}

/** Every outbox event not handed to the bus yet, oldest first, until the consumers write no more. */
export async function settle(world: PrivacyWorld): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const fresh = (await scanTable(world.table, 'event'))
      .map((item) => item.event as EventEnvelope)
      .filter((event) => !world.delivered.has(event.id))
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    if (fresh.length === 0) return
    for (const event of fresh) world.delivered.add(event.id)
    const before = world.bus.deliveries.length
    await world.bus.publish(fresh)
    await world.bus.settled()
    const failed = world.bus.deliveries.slice(before).filter((delivery) => delivery.status === 'failed')
    if (failed.length > 0) throw new Error(failed.map((d) => `${d.rule}: ${d.error}`).join('; '))
  }
  throw new Error('events kept coming')
}

/** The details of every outbox event of one type, oldest first. */
export async function detailsOf(world: PrivacyWorld, type: string): Promise<Array<Record<string, unknown>>> {
  return (await scanTable(world.table, 'event'))
    .map((item) => item.event as EventEnvelope<Record<string, unknown>>)
    .filter((event) => event.type === type)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    .map((event) => event.detail)
}
