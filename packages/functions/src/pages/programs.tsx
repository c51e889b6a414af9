import type { Locale } from '@pendamping/core/i18n'
import { listOpenPrograms, type PublicProgram } from '@pendamping/core/program'
import { provinces, regionLevel, regionName } from '@pendamping/core/region'
import { type Clock, type Store, systemClock } from '@pendamping/core/store'
import { isTimeZone } from '@pendamping/core/time'
import { TOPICS, topicLabel } from '@pendamping/core/topic'
import { Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import type { FieldErrors } from './fields.tsx'
import { Select } from './fields.tsx'
import { Layout, type Tr, translator } from './layout.tsx'

/** The public list of open programs, in each language. */
export const PROGRAMS: Record<Locale, string> = { id: '/program', en: '/en/programs' }
/** The request form, where a program is joined (`?program=<id>`). */
const REQUEST_FORM: Record<Locale, string> = { id: '/minta-pendampingan', en: '/en/request' }

/** Programs per page: a page stays small on a slow phone connection. */
const PAGE_SIZE = 20
const SLUG = /^[a-z][a-z0-9_]{1,39}$/
const CURSOR = /^[A-Za-z0-9_-]{1,1024}$/

/** A request form joining `programId`, in `locale`. */
export const joinLink = (locale: Locale, programId: string) =>
  `${REQUEST_FORM[locale]}?program=${encodeURIComponent(programId)}`

/** `2026-03-01` → `1 Mar 2026` in the program's zone, as people read dates. */
function day(iso: string, zone: string, locale: Locale): string {
  return new Date(iso).toLocaleDateString(locale === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: isTimeZone(zone) ? zone : 'Asia/Jakarta',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })
}

/** Where a program runs, in words: `Kota Malang`, or national. */
export function whereLabel(region: string, tr: Tr): string {
  return region === '*'
    ? tr('Nasional (seluruh Indonesia)', 'National (all of Indonesia)')
    : (regionName(region) ?? region)
}

/** One program as a card: where, what, when, the seats per segment and the way in. */
function ProgramCard({ program, locale }: { program: PublicProgram; locale: Locale }) {
  const tr = translator(locale)
  return (
    <article>
      <h3>{program.name}</h3>
      <dl>
        <dt>{tr('Wilayah', 'Region')}</dt>
        <dd>{whereLabel(program.region, tr)}</dd>
        <dt>{tr('Topik', 'Topics')}</dt>
        <dd>{program.topics.map((topic) => topicLabel(topic, locale)).join(', ')}</dd>
        <dt>{tr('Waktu', 'Dates')}</dt>
        <dd>
          {day(program.startsAt, program.timeZone, locale)} – {day(program.endsAt, program.timeZone, locale)}
          {program.running ? '' : tr(' (belum dimulai)', ' (not started yet)')}
        </dd>
        <dt>{tr('Segmen peserta', 'Participant groups')}</dt>
        <dd>{program.segments.map((segment) => `${segment.segment} (${segment.quota})`).join(', ')}</dd>
      </dl>
      {program.running ? (
        <p>
          <a class="btn" href={joinLink(locale, program.id)}>
            {tr('Ajukan pendampingan di program ini', 'Ask for a mentor in this program')}
          </a>
        </p>
      ) : null}
    </article>
  )
}

export interface ProgramFilterForm {
  region?: string | undefined
  topic?: string | undefined
}

/** The list: a filter form (GET, no JavaScript) and the open programs, each with its way in. */
export function ProgramsPage(props: {
  locale: Locale
  items: PublicProgram[]
  filter: ProgramFilterForm
  next: string | null
  errors: FieldErrors
}) {
  const { locale, items, filter, errors } = props
  const tr = translator(locale)
  const title = tr('Program pendampingan yang buka', 'Open mentoring programs')
  const topics = [...new Set([...TOPICS, ...items.flatMap((item) => item.topics)])]
  return (
    <Layout locale={locale} title={title} other={PROGRAMS[locale === 'en' ? 'id' : 'en']}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Program pemerintah daerah dan nasional dengan kuota kursi. Pilih program di wilayah Anda, lalu ajukan pendampingan lewat program itu — atau ajukan tanpa program.',
          'Regional and national government programs with seat quotas. Pick one in your region and ask for a mentor through it — or ask without a program.',
        )}{' '}
        <a href={REQUEST_FORM[locale]}>{tr('Ajukan tanpa program', 'Ask without a program')}</a>
      </p>
      <form method="get" action={PROGRAMS[locale]}>
        <div class="row">
          <Select
            name="region"
            label={tr('Provinsi', 'Province')}
            placeholder={tr('Semua', 'All')}
            options={provinces().map((region) => [region.code, region.name] as const)}
            value={filter.region ?? ''}
            error={errors.region}
          />
          <Select
            name="topic"
            label={tr('Topik', 'Topic')}
            placeholder={tr('Semua', 'All')}
            options={topics.map((topic) => [topic, topicLabel(topic, locale)] as const)}
            value={filter.topic ?? ''}
            error={errors.topic}
          />
        </div>
        <button type="submit">{tr('Cari program', 'Find programs')}</button>
      </form>
      <h2>{tr(`${items.length} program`, `${items.length} programs`)}</h2>
      {items.length === 0 ? <p>{tr('Belum ada program yang cocok.', 'No program matches yet.')}</p> : null}
      {items.map((program) => (
        <ProgramCard program={program} locale={locale} />
      ))}
      {props.next ? (
        <p>
          <a class="btn alt" href={props.next}>
            {tr('Program berikutnya', 'More programs')}
          </a>
        </p>
      ) : null}
    </Layout>
  )
}

export interface ProgramPageDependencies {
  store: Store
  clock?: Clock | undefined
}

/** `/program` and `/en/programs`: open programs by province and topic, public, no JavaScript. */
export function programPages(deps: ProgramPageDependencies) {
  const clock = deps.clock ?? systemClock
  const app = new Hono<AppEnv>()
  for (const locale of ['id', 'en'] as const) {
    app.get(PROGRAMS[locale], async (c) => {
      const tr = translator(locale)
      const errors: FieldErrors = {}
      const region = c.req.query('region') || undefined
      const topic = c.req.query('topic') || undefined
      const cursor = c.req.query('cursor') || undefined
      if (region !== undefined && regionLevel(region) !== 'province')
        errors.region = tr('Pilih provinsi dari daftar.', 'Choose a province from the list.')
      if (topic !== undefined && !SLUG.test(topic))
        errors.topic = tr('Pilih topik dari daftar.', 'Choose a topic from the list.')
      const filter = { region: errors.region ? undefined : region, topic: errors.topic ? undefined : topic }
      const page = await listOpenPrograms(deps.store, clock, {
        ...filter,
        cursor: cursor && CURSOR.test(cursor) ? cursor : undefined,
        limit: PAGE_SIZE,
      })
      const next = page.nextCursor
        ? `${PROGRAMS[locale]}?${new URLSearchParams({
            ...(filter.region ? { region: filter.region } : {}),
            ...(filter.topic ? { topic: filter.topic } : {}),
            cursor: page.nextCursor,
          })}`
        : null
      c.header('cache-control', 'public, max-age=60')
      return c.html(
        <ProgramsPage locale={locale} items={page.items} filter={filter} next={next} errors={errors} />,
        Object.keys(errors).length > 0 ? 400 : 200,
      )
    })
  }
  return app
}
