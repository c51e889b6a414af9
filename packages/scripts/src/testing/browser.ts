import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type { Page } from 'playwright-core'

/** A phone-sized window, as most owners see the pages (a cheap Android phone). */
export const PHONE = { width: 360, height: 740 } as const

export { connectChromium } from './chromium.ts'

/** Every URL the page asked for, to prove it made no third-party request. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))
  return urls
}

let axeSource: string | undefined

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string[]; failureSummary?: string }>
}

/**
 * Runs axe-core (WCAG 2.1 A/AA and best practices) on the page as it is now. The script is evaluated
 * through the DevTools protocol, not injected as a `<script>`, so the page's CSP stays as it is served.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is a global the evaluated script defined
    const axe = (globalThis as any).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })
    return result.violations.map((violation: AxeViolation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }))
  })
}

/** Saves a full-page screenshot under `artifacts/` (git-ignored). */
export async function screenshot(page: Page, path: string) {
  await mkdir(dirname(path), { recursive: true })
  await page.screenshot({ path, fullPage: true })
}
