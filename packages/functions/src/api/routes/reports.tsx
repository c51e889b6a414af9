import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { type Actor, useContext, withContext } from '@pendamping/core/actor'
import { DomainError, UnauthorizedError } from '@pendamping/core/errors'
import {
  type Report,
  ReportQuery,
  Report as ReportSchema,
  readReport,
  TIME_TO_MATCH_BOUNDS_HOURS,
  toCsv,
} from '@pendamping/core/report'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { outcomeLabel, topicLabel } from '@pendamping/core/topic'
import { type Context, Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as z from 'zod/mini'
import { CSRF_FIELD, CsrfError, csrfToken, readCheckedForm } from '../../pages/security.ts'
import { type SessionDependencies, signedIn } from '../../pages/session.ts'
import type { AppEnv } from '../env.ts'
import { toProblem } from '../problem.ts'
import { validate } from '../validation.ts'
import { problems } from './shared.ts'

export interface ReportDependencies extends SessionDependencies {
  store: Store
  clock?: Clock | undefined
}

const wantsCsv = (c: Context<AppEnv>, format: string | undefined) =>
  format === 'csv' || (format === undefined && (c.req.header('accept') ?? '').includes('text/csv'))

function csvResponse(c: Context<AppEnv>, report: Report) {
  const name = `laporan-${report.scope.kind}${report.scope.id ? `-${report.scope.id}` : ''}-${report.from}-${report.to}.csv`
  return c.body(toCsv(report), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
    vary: 'Accept',
  })
}

/**
 * `GET /v1/reports` (JSON or CSV) and the staff page `/reports` with charts. Staff sign in to the page
 * through the identity provider (`/reports/sign-in` starts the code flow; the session is the pages'
 * encrypted `__Host-` cookie) and out everywhere with `/reports/sign-out`. The sign-in module
 * (openid-client) is imported only when one of those two is posted, never for `/v1/reports`.
 */
export function reportRoutes(deps: ReportDependencies) {
  const clock = deps.clock ?? systemClock

  /** The page's reader: a bearer header (already verified by the app) or the pages' signed-in session. */
  async function pageActor(c: Context<AppEnv>): Promise<Actor> {
    const { actor } = useContext()
    if (actor.kind === 'account') return actor
    return (await signedIn(c, deps, ['staff', 'admin'])) ?? { kind: 'anonymous' }
  }

  /** A form post of the page, CSRF-checked; a refused one is a page, not a problem document. */
  async function checkedPost(c: Context<AppEnv>): Promise<Response | undefined> {
    try {
      await readCheckedForm(c)
      return undefined
    } catch (error) {
      if (!(error instanceof CsrfError)) throw error
      return c.html(
        <Message title="Formulir kedaluwarsa" text="Demi keamanan, muat ulang halaman lalu kirim lagi." />,
        403,
      )
    }
  }

  const asReader = <T,>(_c: Context<AppEnv>, actor: Actor, fn: () => Promise<T>) =>
    withContext({ ...useContext(), actor }, fn)

  return new Hono<AppEnv>()
    .get(
      '/v1/reports',
      describeRoute({
        summary: 'Program or region report: requests, matching, sessions, outcomes, ratings, mentors',
        description:
          'Read from counters kept by the event stream: at most 3 DynamoDB calls whatever the number of ' +
          'sessions. `program` or `region` (Kemendagri code) picks the scope; without both, staff get their ' +
          'region and admins the whole country. `from`/`to` are months (`YYYY-MM`, Asia/Jakarta), default ' +
          'the last 12. Request numbers count in the month a request was submitted; activity in the month ' +
          'it happened. With `Accept: text/csv` or `format=csv`: one tidy table `section,key,metric,value`, ' +
          'UTF-8 with BOM.',
        tags: ['Reports'],
        security: [{ bearer: [] }],
        responses: {
          200: {
            description: 'The report',
            content: {
              'application/json': { schema: resolver(ReportSchema) },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...problems(400, 401, 403, 404),
        },
      }),
      validate('query', ReportQuery),
      async (c) => {
        const query = c.req.valid('query')
        const report = await readReport(deps.store, query, clock.now())
        return wantsCsv(c, query.format) ? csvResponse(c, report) : c.json(report)
      },
    )
    .get('/reports', async (c) => {
      const actor = await pageActor(c)
      c.header('cache-control', 'no-store')
      if (actor.kind !== 'account') return c.html(<SignIn csrf={csrfToken(c)} />, 200)
      const parsed = z.safeParse(ReportQuery, c.req.query())
      if (!parsed.success)
        return c.html(<Message title="Isian tidak valid" text="Periksa bulan, program atau wilayah." />, 400)
      try {
        const report = await asReader(c, actor, () => readReport(deps.store, parsed.data, clock.now()))
        return c.html(<ReportPage report={report} query={parsed.data} csrf={csrfToken(c)} />)
      } catch (error) {
        return pageProblem(c, error)
      }
    })
    .get('/reports/export.csv', async (c) => {
      const actor = await pageActor(c)
      if (actor.kind !== 'account') throw new UnauthorizedError('Sign-in required')
      const parsed = z.safeParse(ReportQuery, c.req.query())
      if (!parsed.success) return c.html(<Message title="Isian tidak valid" text="Periksa bulan." />, 400)
      const report = await asReader(c, actor, () => readReport(deps.store, parsed.data, clock.now()))
      return csvResponse(c, report)
    })
    .post('/reports/sign-in', async (c) => {
      const refused = await checkedPost(c)
      if (refused) return refused
      const { startSignIn } = await import('../../pages/sign-in.tsx')
      return startSignIn(c, deps, 'staff', '/reports')
    })
    .post('/reports/sign-out', async (c) => {
      const refused = await checkedPost(c)
      if (refused) return refused
      const { finishSignOut } = await import('../../pages/sign-in.tsx')
      return finishSignOut(c, deps, 'staff')
    })
}

function pageProblem(c: Context<AppEnv>, error: unknown) {
  if (!(error instanceof DomainError)) throw error
  const problem = toProblem(error, 'id')
  return c.html(<Message title={problem.title} text={problem.detail ?? ''} />, problem.status as 400)
}

// ── Page ─────────────────────────────────────────────────────────────────────────────────────────

const STYLE = `*{box-sizing:border-box}body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
main{max-width:64rem;margin:auto;padding:1rem}h1{font-size:1.35rem;margin:.2rem 0}h2{font-size:1.05rem;margin:0 0 .5rem}
section{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:.9rem;margin:.8rem 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem}
.tile{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:.6rem .75rem}.tile b{display:block;font-size:1.4rem}
form.range{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}label{display:flex;flex-direction:column;font-size:.85rem}
input,button{font:inherit;padding:.4rem .5rem;border:1px solid #b9bec7;border-radius:6px}button{background:#0b5cad;color:#fff;border:0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(19rem,1fr));gap:.8rem}svg{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{padding:.3rem .4rem;border-bottom:1px solid #eceef1;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#5d6470;font-size:.85rem}a{color:#0b5cad}`

function Layout({ title, children }: { title: string; children: unknown }) {
  return (
    <html lang="id">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  )
}

function SignIn({ csrf }: { csrf: string }) {
  return (
    <Layout title="Masuk — Laporan Pendamping">
      <h1>Laporan program</h1>
      <section>
        <h2>Masuk sebagai staf</h2>
        <p class="muted">
          Masuk dengan akun staf Pendamping Anda di halaman masuk resmi. Akun staf dibuat oleh admin atau staf
          wilayah induk Anda.
        </p>
        <form method="post" action="/reports/sign-in">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <p>
            <button type="submit">Masuk</button>
          </p>
        </form>
      </section>
    </Layout>
  )
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href="/reports">Kembali ke laporan</a>
      </p>
    </Layout>
  )
}

const fmt = (value: number | null, digits = 1) =>
  value === null ? '—' : value.toLocaleString('id-ID', { maximumFractionDigits: digits })

const STATUS_LABELS: Record<string, string> = {
  waitlisted: 'Daftar tunggu',
  matching: 'Mencari mentor',
  offered: 'Ditawarkan',
  active: 'Aktif',
  completed: 'Selesai',
  cancelled: 'Dibatalkan',
  unmatched: 'Tak ada mentor',
}

function ReportPage({ report, query, csrf }: { report: Report; query: ReportQuery; csrf: string }) {
  const scopeTitle =
    report.scope.kind === 'all'
      ? 'Seluruh Indonesia'
      : `${report.scope.kind === 'program' ? 'Program' : 'Wilayah'} ${report.scope.name ?? report.scope.id ?? ''}`
  const params = new URLSearchParams()
  if (query.program) params.set('program', query.program)
  if (query.region) params.set('region', query.region)
  params.set('from', report.from)
  params.set('to', report.to)
  const topics = Object.entries(report.requests.byTopic)
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => ({ key, label: topicLabel(key, 'id'), value }))
  const outcomes = Object.entries(report.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => ({ key, label: outcomeLabel(key, 'id'), value }))
  const lastBucket = report.timeToMatch.buckets.reduce((last, bucket, i) => (bucket.count > 0 ? i : last), -1)
  const firstBucket = report.timeToMatch.buckets.findIndex((bucket) => bucket.count > 0)
  const ttm = report.timeToMatch.buckets.slice(Math.max(0, firstBucket), lastBucket + 1).map((bucket) => ({
    key: bucket.upToHours === null ? 'longer' : String(bucket.upToHours),
    label:
      bucket.upToHours === null
        ? `> ${hoursLabel(TIME_TO_MATCH_BOUNDS_HOURS.at(-1) ?? 0)}`
        : `≤ ${hoursLabel(bucket.upToHours)}`,
    value: bucket.count,
  }))
  return (
    <Layout title={`Laporan — ${scopeTitle}`}>
      <h1>Laporan: {scopeTitle}</h1>
      <p class="muted">
        {report.from} s.d. {report.to} (WIB). Permohonan dihitung pada bulan diajukan; kegiatan pada bulan
        terjadi.
      </p>
      <form class="range" method="get" action="/reports">
        {query.program ? <input type="hidden" name="program" value={query.program} /> : null}
        {query.region ? <input type="hidden" name="region" value={query.region} /> : null}
        <label>
          Dari
          <input type="month" name="from" value={report.from} />
        </label>
        <label>
          Sampai
          <input type="month" name="to" value={report.to} />
        </label>
        <button type="submit">Tampilkan</button>
        <a href={`/reports/export.csv?${params.toString()}`} download>
          Unduh CSV
        </a>
      </form>
      <div class="tiles" style="margin-top:.8rem">
        <Tile id="submitted" label="Permohonan" value={fmt(report.requests.submitted, 0)} />
        <Tile
          id="match-rate"
          label="Tingkat padanan"
          value={report.matchRate === null ? '—' : `${fmt(report.matchRate * 100)}%`}
        />
        <Tile
          id="ttm-median"
          label="Waktu padanan (median)"
          value={
            report.timeToMatch.medianHours === null ? '—' : `≤ ${hoursLabel(report.timeToMatch.medianHours)}`
          }
        />
        <Tile
          id="ttm-p90"
          label="Waktu padanan (p90)"
          value={report.timeToMatch.p90Hours === null ? '—' : `≤ ${hoursLabel(report.timeToMatch.p90Hours)}`}
        />
        <Tile id="sessions-completed" label="Sesi selesai" value={fmt(report.sessions.completed, 0)} />
        <Tile id="hours" label="Jam pendampingan" value={fmt(report.mentoringHours)} />
        <Tile
          id="rating"
          label="Rata-rata nilai"
          value={report.rating.average === null ? '—' : `${fmt(report.rating.average, 2)} / 5`}
        />
        {report.seats ? (
          <Tile
            id="seats"
            label="Kursi terpakai"
            value={`${fmt(report.seats.used, 0)} / ${fmt(report.seats.quota, 0)} (antre ${fmt(report.seats.waitlist, 0)})`}
          />
        ) : null}
      </div>
      <div class="charts">
        <section>
          <h2>Permohonan per topik</h2>
          <HorizontalBars chart="topics" rows={topics} />
        </section>
        <section>
          <h2>Sesi per bulan</h2>
          <Columns
            chart="monthly-sessions"
            rows={report.monthly.map((point) => ({
              key: point.month,
              label: point.month.slice(2),
              value: point.sessionsCompleted,
            }))}
          />
          <p class="muted">Sesi selesai per bulan.</p>
        </section>
        <section>
          <h2>Sebaran waktu padanan</h2>
          <Columns chart="time-to-match" rows={ttm} />
          <p class="muted">Jumlah permohonan menurut lama dari pengajuan sampai mentor menerima.</p>
        </section>
        <section>
          <h2>Hasil yang dicapai</h2>
          <HorizontalBars chart="outcomes" rows={outcomes} />
        </section>
      </div>
      <section>
        <h2>Status permohonan</h2>
        <table>
          <tbody>
            {Object.entries(report.requests.byStatus).map(([status, count]) => (
              <tr>
                <td>{STATUS_LABELS[status] ?? status}</td>
                <td class="n">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted">
          Tawaran ditolak {report.offers.declined}, kedaluwarsa {report.offers.expired}. Sesi dijadwalkan{' '}
          {report.sessions.scheduled}, dibatalkan {report.sessions.cancelled}, tidak hadir{' '}
          {report.sessions.noShow}.
        </p>
      </section>
      <section>
        <h2>Beban mentor</h2>
        <table>
          <thead>
            <tr>
              <th>Mentor</th>
              <th class="n">Pendampingan</th>
              <th class="n">Sesi</th>
              <th class="n">Jam</th>
            </tr>
          </thead>
          <tbody>
            {report.mentors.slice(0, 50).map((mentor) => (
              <tr>
                <td>{mentor.name ?? mentor.mentorId}</td>
                <td class="n">{mentor.engagements}</td>
                <td class="n">{mentor.sessions}</td>
                <td class="n">{fmt(mentor.hours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <form method="post" action="/reports/sign-out">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit">Keluar</button>
      </form>
    </Layout>
  )
}

function hoursLabel(hours: number): string {
  return hours >= 48 ? `${fmt(hours / 24)} hari` : `${fmt(hours)} jam`
}

function Tile({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="tile" data-tile={id}>
      {label}
      <b>{value}</b>
    </div>
  )
}

interface Bar {
  key: string
  label: string
  value: number
}

/** Labelled horizontal bars; each bar carries its key and value for readers and tests. */
function HorizontalBars({ chart, rows }: { chart: string; rows: Bar[] }) {
  if (rows.length === 0) return <p class="muted">Belum ada data.</p>
  const max = Math.max(...rows.map((row) => row.value), 1)
  const rowHeight = 34
  const width = 320
  return (
    <svg
      viewBox={`0 0 ${width} ${rows.length * rowHeight}`}
      role="img"
      aria-label={rows.map((row) => `${row.label}: ${row.value}`).join('; ')}
      data-chart={chart}
    >
      {rows.map((row, i) => (
        <g>
          <text x="0" y={i * rowHeight + 11} font-size="11" fill="#333">
            {row.label}
          </text>
          <rect
            x="0"
            y={i * rowHeight + 15}
            width={Math.max(1, (row.value / max) * (width - 40))}
            height="13"
            fill="#0b5cad"
            data-key={row.key}
            data-value={row.value}
          />
          <text
            x={Math.max(1, (row.value / max) * (width - 40)) + 4}
            y={i * rowHeight + 26}
            font-size="11"
            fill="#333"
          >
            {row.value}
          </text>
        </g>
      ))}
    </svg>
  )
}

/** Vertical columns over a sequence (months, buckets), value above each, label below. */
function Columns({ chart, rows }: { chart: string; rows: Bar[] }) {
  if (rows.length === 0 || rows.every((row) => row.value === 0)) return <p class="muted">Belum ada data.</p>
  const max = Math.max(...rows.map((row) => row.value), 1)
  const width = 320
  const height = 170
  const plot = 120
  const step = width / rows.length
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={rows.map((row) => `${row.label}: ${row.value}`).join('; ')}
      data-chart={chart}
    >
      {rows.map((row, i) => {
        const h = (row.value / max) * plot
        return (
          <g>
            <rect
              x={i * step + step * 0.15}
              y={20 + plot - h}
              width={step * 0.7}
              height={Math.max(h, 0.5)}
              fill="#2a8a5c"
              data-key={row.key}
              data-value={row.value}
            />
            <text x={i * step + step / 2} y={16 + plot - h} font-size="9" text-anchor="middle" fill="#333">
              {row.value}
            </text>
            {rows.length <= 8 || i % 2 === 0 ? (
              <text x={i * step + step / 2} y={height - 14} font-size="8" text-anchor="middle" fill="#555">
                {row.label}
              </text>
            ) : null}
          </g>
        )
      })}
    </svg>
  )
}
