/**
 * Region alerts for staff (docs/contract/channels.md#staff): every staff member whose region covers
 * the region hears of it, by their own channel; when many requests in a region go stale on one day,
 * a digest replaces the one-by-one alerts.
 */
import { StaffRegion, StaleAlerts } from '../adapters/dynamo/entities/contact.ts'
import { Account } from '../adapters/dynamo/entities/mentor.ts'
import { get, query, transact } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import type { Recipient } from '../notification/port.ts'
import { regionAncestors } from '../program/index.ts'
import type { Clock, Store } from '../store.ts'

/** Alerts one by one per region and day (WIB); the next stale request sends the digest, then silence. */
export const ALERTS_BEFORE_DIGEST = 3

/**
 * Every active staff member whose region covers `region` (`35` and `35.73` for `35.73.01`), as
 * recipients: by their chosen channel, e-mail by default. Calls: 1 `Query` per level of the region,
 * 1 `GetItem` per staff member.
 */
export async function staffCovering(store: Store, region: string): Promise<Recipient[]> {
  const listed = await Promise.all(
    regionAncestors(region).map((level) => query(store, StaffRegion.of(level), { limit: 100 })),
  )
  const accounts = await Promise.all(
    listed.flatMap((page) => page.items).map(({ sub }) => get(store, Account, { sub })),
  )
  return accounts.flatMap((account) =>
    account && account.role === 'staff' && account.status !== 'suspended' && (account.email || account.phone)
      ? [
          {
            ref: `staff:${account.sub}`,
            email: account.email,
            phone: account.phone,
            channel: account.channel ?? 'email',
            locale: 'id' as const,
          },
        ]
      : [],
  )
}

/** What to tell staff of one more stale request: one alert, the day's digest, or nothing more today. */
export type StaleAlert = { send: 'alert' } | { send: 'digest'; count: number } | { send: 'none' }

/**
 * Counts a stale request for its region's day (Asia/Jakarta) once — a redelivery counts nothing —
 * and says what staff hear: alerts for the first {@link ALERTS_BEFORE_DIGEST}, the digest with the
 * next, nothing after. Calls: 1 `TransactWriteItems` + 1 `GetItem`.
 */
export async function noteStaleRequest(
  store: Store,
  clock: Clock,
  region: string,
  requestId: string,
): Promise<StaleAlert> {
  const now = clock.now()
  const day = now.toLocaleDateString('en-CA', { timeZone: 'Asia/Jakarta' })
  const expiresAt = Math.floor(now.getTime() / 1000) + 3 * 86_400
  try {
    await transact(
      store,
      [
        ['mark', StaleAlerts.mark(region, day, requestId, expiresAt)],
        ['count', StaleAlerts.count(region, day, expiresAt)],
      ],
      { explain: () => new ConflictError('Counted already', 'stale') },
    )
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error
  }
  const counted = await get(store, StaleAlerts, { region, day })
  const count = counted?.count ?? 1
  if (count <= ALERTS_BEFORE_DIGEST) return { send: 'alert' }
  if (count === ALERTS_BEFORE_DIGEST + 1) return { send: 'digest', count }
  return { send: 'none' }
}
