// Installs Debian's Chromium for the browser tests when it is missing (run by `npm install`).
// Plain JavaScript: it runs before the project's TypeScript tooling is guaranteed to be there.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM_PATH = '/usr/bin/chromium'
const manual = 'sudo apt-get install -y --no-install-recommends chromium'

if (!existsSync(CHROMIUM_PATH)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
  if (!canInstall) {
    console.warn(`pendamping: Chromium is missing; the browser tests need it. Install it with: ${manual}`)
  } else {
    console.log("pendamping: installing Debian's chromium for the browser tests (once)…")
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      execFileSync('apt-get', ['update'], { stdio: 'ignore', env })
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
        stdio: 'ignore',
        env,
      })
      console.log(`pendamping: chromium installed at ${CHROMIUM_PATH}`)
    } catch (error) {
      console.warn(`pendamping: could not install chromium (${error.message}). Install it with: ${manual}`)
    }
  }
}
