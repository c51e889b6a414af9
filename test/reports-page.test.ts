import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { withContext } from '@pendamping/core/actor'
import { createDocumentClient, keys } from '@pendamping/core/dynamo'
import { type Report, readReport, recordEvent } from '@pendamping/core/report'
import { LOCAL_PASSWORD } from '@pendamping/scripts/local/accounts'
import { type LocalStack, startLocalStack } from '@pendamping/scripts/local/stack'
import { connectChromium } from '@pendamping/scripts/testing/chromium'
import { generateJourneys } from '@pendamping/scripts/testing/journeys'
import { forEachInParallel } from '@pendamping/scripts/testing/parallel'
import { dynamoEndpoint } from '@pendamping/scripts/testing/table'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url))
const PROGRAM = 'prog-page'
let stack: LocalStack
let browser: Browser
let expected: Report

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: dynamoEndpoint(),
    tableName: `reports-page-${crypto.randomUUID()}`,
  })
  const doc = createDocumentClient({ endpoint: stack.dynamoEndpoint })
  const store = { doc, tableName: stack.tableName }
  const put = (Item: Record<string, unknown>) =>
    doc.send(new PutCommand({ TableName: stack.tableName, Item }))
  await put({
    ...keys.program(PROGRAM),
    entity: 'program',
    version: 1,
    id: PROGRAM,
    region: '35.73',
    name: 'Pendampingan Digital UMKM Kota Malang 2026',
    topics: ['social_media'],
    timeZone: 'Asia/Jakarta',
    startsAt: '2026-01-01T00:00:00+07:00',
    endsAt: '2026-12-31T00:00:00+07:00',
    segments: { umum: 70, asn: 70 },
    offerWindowHours: 48,
    matchingWindowDays: 5,
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'staff',
  })
  const journeys = generateJourneys({
    count: 60,
    seed: 11,
    programs: [PROGRAM],
    regions: ['35.73.01', '35.73.04'],
  })
  // Independent writes: 8 at a time (events are counted the same in any order; the recount test proves it).
  await forEachInParallel(journeys.requests, 8, (request) =>
    put({ ...keys.request(request.id), entity: 'request', ...request }),
  )
  await forEachInParallel(journeys.events, 8, (event) => recordEvent(store, event, new Date()))
  const admin = { kind: 'account' as const, sub: 'a', role: 'admin' as const, region: '*' }
  expected = await withContext({ actor: admin, requestId: 't', locale: 'id' }, () =>
    readReport(store, { program: PROGRAM, from: '2026-01', to: '2026-06' }, new Date()),
  )
  doc.destroy()
  browser = await connectChromium()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** Signs in at `/reports` through the local provider's login page, as staff do. */
async function signInAsStaff(page: Page, email: string) {
  await page.goto(`${stack.url}/reports`)
  await page.getByRole('button', { name: 'Masuk' }).click()
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Kata sandi').fill(LOCAL_PASSWORD)
  await Promise.all([
    page.waitForURL(`${stack.url}/reports`),
    page.getByRole('button', { name: 'Masuk' }).click(),
  ])
}

/** `data-value` of every bar of one chart, by `data-key`. */
type Bars = Record<string, number>

describe('The report page in a browser', () => {
  it('signs in through the provider and draws the charts with the report’s numbers, at phone width', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' })
    const page = await context.newPage()
    await signInAsStaff(page, 'staf.malang@pendamping.test')
    // Scripts cannot read the session cookie.
    expect(await page.evaluate(() => document.cookie)).not.toContain('pd_session')

    await page.goto(`${stack.url}/reports?program=${PROGRAM}&from=2026-01&to=2026-06`)
    const bars = (chart: string) =>
      page.$$eval(`svg[data-chart="${chart}"] rect`, (rects) =>
        Object.fromEntries(
          rects.map((rect) => [rect.getAttribute('data-key'), Number(rect.getAttribute('data-value'))]),
        ),
      ) as Promise<Bars>

    expect(await bars('topics')).toEqual(expected.requests.byTopic)
    expect(await bars('outcomes')).toEqual(expected.outcomes)
    expect(await bars('monthly-sessions')).toEqual(
      Object.fromEntries(expected.monthly.map((point) => [point.month, point.sessionsCompleted])),
    )
    const ttm = await bars('time-to-match')
    expect(Object.values(ttm).reduce((sum, n) => sum + n, 0)).toBe(expected.timeToMatch.count)
    for (const bucket of expected.timeToMatch.buckets.filter((b) => b.count > 0)) {
      expect(ttm[bucket.upToHours === null ? 'longer' : String(bucket.upToHours)]).toBe(bucket.count)
    }
    // Every chart has a visible, non-empty drawing.
    for (const chart of ['topics', 'outcomes', 'monthly-sessions', 'time-to-match']) {
      const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox()
      expect(box?.width).toBeGreaterThan(200)
      expect(box?.height).toBeGreaterThan(50)
    }
    expect(await page.textContent('[data-tile=submitted] b')).toBe(String(expected.requests.submitted))
    // Usable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    const csvHref = await page.getAttribute('a[download]', 'href')
    expect(csvHref).toContain('/reports/export.csv?program=prog-page')

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}reports-page.png`, fullPage: true })
    await context.close()
  }, 60_000)

  it('shows staff of another region a 403 page', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await stack.accounts.invite({
      email: 'staf.batu@pendamping.test',
      name: 'Staf Batu',
      role: 'staff',
      region: '35.79',
    })
    await signInAsStaff(page, 'staf.batu@pendamping.test')
    const response = await page.goto(`${stack.url}/reports?program=${PROGRAM}`)
    expect(response?.status()).toBe(403)
    await context.close()
  }, 60_000)
})
