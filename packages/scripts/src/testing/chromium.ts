import { existsSync } from 'node:fs'
import { type Browser, type BrowserServer, chromium } from 'playwright-core'
import { inject } from 'vitest'

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
 * The browser's path, or a clear error when it is missing. Installing it is an install step
 * (`npm install` runs `install-chromium.mjs`, `.ci/run` installs it too), never a test step.
 */
function chromiumPath(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  throw new Error(
    `Chromium is missing at ${CHROMIUM_PATH}: the browser tests drive Debian's chromium. ` +
      'Install it with `sudo apt-get install -y chromium` (or run `npm install` as root), then run the tests again.',
  )
}

/** Starts one headless Chromium that test files connect to (the browser tier's global setup). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
}

/**
 * The run's one Chromium, started by the browser tier's global setup. `close()` on it only
 * disconnects this file; close the contexts you open.
 */
export function connectChromium(): Promise<Browser> {
  return chromium.connect(inject('browserEndpoint'))
}
