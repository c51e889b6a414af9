import type { RequestFacts } from '../../../report/counters.ts'
import type { MonthCounters } from '../../../report/summary.ts'
import { type Readable, updateItem } from '../entity.ts'
import { keys } from '../keys.ts'
import type { List } from '../read.ts'

/**
 * One month of a report scope's counters (`MONTH#<yyyy-mm>` under `REPORT#<scope>`, see
 * `reportScope`): flat numbers named `section.key`, moved only by `ADD`, which commutes, so events
 * may be counted in any order.
 */
export const ReportMonth = {
  /**
   * Adds `add` to the month's counters — to one write shard of them when `shard` is given; the first
   * count creates the item.
   */
  count: (scope: string, month: string, add: Record<string, number>, shard?: number) =>
    updateItem(
      shard === undefined ? keys.reportMonth(scope, month) : keys.reportMonthShard(scope, shard, month),
      {
        set: { entity: 'reportMonth', version: 1, scope, month },
        add,
      },
    ),
  /**
   * A sharded scope's months as reads for one `batchGet`: per month, each of its `shards` and the item
   * written before the scope was sharded (absent in a new table). A report sums what comes back.
   */
  shardsOf: (scope: string, months: readonly string[], shards: number) =>
    months.flatMap((month) =>
      [undefined, ...Array.from({ length: shards }, (_, shard) => shard)].map(
        (shard) => [ShardRead, { scope, month, shard }] as const,
      ),
    ),
  /** A scope's months from `from` to `to` (`yyyy-mm`, both included), oldest first: one `Query`. */
  between: (scope: string, from: string, to: string): List<MonthCounters> => ({
    partition: keys.reportMonth(scope, from).pk,
    range: { from: keys.reportMonth(scope, from).sk, to: keys.reportMonth(scope, to).sk },
    parse: countersOf,
  }),
}

/** A month item's counters: the numbers with a dotted name (`requests.submitted`); `version` is not one. */
function countersOf(raw: Record<string, unknown>): MonthCounters {
  return {
    month: String(raw.month),
    numbers: Object.fromEntries(
      Object.entries(raw).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[0].includes('.'),
      ),
    ),
  }
}

/** One shard of a month (or, without `shard`, the month as written before sharding), read by key. */
const ShardRead: Readable<MonthCounters, { scope: string; month: string; shard: number | undefined }> = {
  key: ({ scope, month, shard }) =>
    shard === undefined ? keys.reportMonth(scope, month) : keys.reportMonthShard(scope, shard, month),
  parse: (raw) => countersOf(raw as Record<string, unknown>),
}

/**
 * The anonymous facts of a request that place its events in the counters (erasure keeps them), read
 * alone; `undefined` when the item lacks them.
 */
export const CountedRequest: Readable<RequestFacts | undefined, { id: string }> = {
  key: (of) => keys.request(of.id),
  attributes: ['region', 'programId', 'submittedAt', 'consent'],
  parse: (raw) => {
    const { region, programId, submittedAt, consent } = raw as Record<string, unknown>
    if (typeof region !== 'string' || typeof submittedAt !== 'string') return undefined
    const facts: RequestFacts = {
      region,
      programId: (programId as string | null | undefined) ?? null,
      submittedAt,
    }
    const withdrawnAt = reportsWithdrawnAt(consent, submittedAt)
    return withdrawnAt ? { ...facts, reportsWithdrawnAt: withdrawnAt } : facts
  },
}

/**
 * When a class participant's events stop counting in the program's and regions' reports (UU PDP;
 * docs/contract/reports.md#consent): the first time their consent recorded `program_reports` as not
 * given — at registration (the class form asks for it, unticked by default) or withdrawn later.
 * `undefined` when they gave it and never withdrew, or when the participant is gone.
 */
export const CountedParticipant: Readable<string | undefined, { id: string }> = {
  key: (of) => keys.participant(of.id),
  attributes: ['consent'],
  parse: (raw) => {
    const consent = (raw as { consent?: unknown }).consent as
      | { purposes?: { program_reports?: unknown }; recordedAt?: unknown; history?: unknown }
      | undefined
    if (!consent) return undefined
    if (Array.isArray(consent.history)) {
      const refused = (consent.history as Array<{ purpose?: unknown; given?: unknown; at?: unknown }>).find(
        (entry) => entry.purpose === 'program_reports' && entry.given === false,
      )
      return typeof refused?.at === 'string' ? refused.at : undefined
    }
    return consent.purposes?.program_reports === false && typeof consent.recordedAt === 'string'
      ? consent.recordedAt
      : undefined
  },
}

/**
 * When the owner first withdrew `program_reports` after submitting (UU PDP;
 * docs/contract/reports.md#consent): the first `given: false` entry of the purpose in the consent
 * history after the submission's own first consent (its leading entries stamped with the submission's
 * time, one per purpose). None when never withdrawn.
 */
function reportsWithdrawnAt(consent: unknown, submittedAt: string): string | undefined {
  const history = (consent as { history?: unknown } | undefined)?.history
  if (!Array.isArray(history)) return undefined
  const first = new Set<unknown>()
  let inFirst = true
  for (const entry of history as Array<{ purpose?: unknown; given?: unknown; at?: unknown }>) {
    if (inFirst && entry.at === submittedAt && !first.has(entry.purpose)) {
      first.add(entry.purpose)
      continue
    }
    inFirst = false
    if (entry.purpose === 'program_reports' && entry.given === false && typeof entry.at === 'string')
      return entry.at
  }
  return undefined
}
