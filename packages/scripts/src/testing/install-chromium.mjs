// Installs the Debian packages the tests drive when they are missing (run by `npm install` / `npm ci`):
// Chromium for the browser tests, poppler-utils (`pdftoppm`, `pdftotext`, `pdfdetach`) for the
// certificate PDF tests. Plain JavaScript: it runs before the project's TypeScript tooling is there.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const NEEDED = [
  { name: 'chromium', path: '/usr/bin/chromium', for: 'the browser tests' },
  { name: 'poppler-utils', path: '/usr/bin/pdftoppm', for: 'the certificate PDF tests' },
]

const missing = NEEDED.filter((item) => !existsSync(item.path))
if (missing.length > 0) {
  const names = missing.map((item) => item.name)
  const manual = `sudo apt-get install -y --no-install-recommends ${names.join(' ')}`
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
  if (!canInstall) {
    for (const item of missing) console.warn(`pendamping: ${item.name} is missing; ${item.for} need it.`)
    console.warn(`pendamping: install with: ${manual}`)
  } else {
    console.log(`pendamping: installing Debian's ${names.join(' and ')} for the tests (once)…`)
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      execFileSync('apt-get', ['update'], { stdio: 'ignore', env })
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
        stdio: 'ignore',
        env,
      })
      for (const item of missing) console.log(`pendamping: ${item.name} installed (${item.path})`)
    } catch (error) {
      console.warn(
        `pendamping: could not install ${names.join(' ')} (${error.message}). Install with: ${manual}`,
      )
    }
  }
}
