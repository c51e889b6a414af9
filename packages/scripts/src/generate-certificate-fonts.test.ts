import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { certificateFontFiles, FONT_LICENSE, FONT_MODULE } from './generate-certificate-fonts.ts'

describe('Certificate fonts', () => {
  it('are committed exactly as the installed Noto Sans package generates them (npm run certificates:fonts)', async () => {
    const { module, license } = await certificateFontFiles()
    expect(await readFile(FONT_MODULE, 'utf8')).toBe(module)
    expect(await readFile(FONT_LICENSE, 'utf8')).toBe(license)
  })
})
