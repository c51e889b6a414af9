import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Flags for a quiet headless browser in a container: no sandbox (root), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * Makes sure Debian's Chromium is installed, installing it with apt-get when it is missing, so
 * `npm test` on a clean machine (CI's `.ci/run`) needs no manual step. Returns the executable's path.
 * Throws when it is missing and cannot be installed (not root, no Debian registry).
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  const run = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  run(['update'])
  run(['install', '-y', '--no-install-recommends', 'chromium'])
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get ran but ${CHROMIUM_PATH} is still missing`)
  return CHROMIUM_PATH
}

/** Launches headless Chromium (installed first when missing) with {@link CHROMIUM_ARGS}. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS })
}
