/**
 * `npm run certificates:example -w @pendamping/scripts`: renders the example certificate of
 * `core/src/certificate/example.fixture.ts` (signed with a throwaway key) and writes its page as
 * `docs/certificate-example.png` with poppler's `pdftoppm`, for the contract's documentation.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CertificateKeys, generateKeyring, renderCertificatePdf } from '@pendamping/core/certificate'
import { EXAMPLE_BASE_URL, exampleCertificate } from './testing/certificate-example.ts'

const target = fileURLToPath(new URL('../../../docs/certificate-example', import.meta.url))
const keys = await CertificateKeys.from(await generateKeyring(new Date('2026-01-01T00:00:00Z')))
const certificate = await exampleCertificate({ baseUrl: EXAMPLE_BASE_URL, keys })
const pdf = join(mkdtempSync(join(tmpdir(), 'certificate-example-')), 'certificate.pdf')
writeFileSync(pdf, await renderCertificatePdf(certificate, { baseUrl: EXAMPLE_BASE_URL }))
execFileSync('pdftoppm', ['-png', '-r', '96', '-singlefile', pdf, target])
console.log(`Wrote ${target}.png`)
