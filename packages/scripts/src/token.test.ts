import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTokenVerifier } from '@pendamping/core/auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_ISSUER, LocalKeySet } from './local/keys.ts'
import { DEFAULT_KEY_FILE, parseTokenArgs, UsageError } from './token.ts'

describe('npm run token', () => {
  it('derives a stable account id from role and region', () => {
    expect(parseTokenArgs(['--role', 'staff', '--region', '35.73'])).toMatchObject({
      sub: 'local-staff-35.73',
      role: 'staff',
      region: '35.73',
      ttl: 8 * 3600,
      keyFile: DEFAULT_KEY_FILE,
    })
    expect(
      parseTokenArgs(['--role', 'mentor', '--region', '35.73.01', '--sub', 'm-7', '--ttl', '60']),
    ).toMatchObject({ sub: 'm-7', role: 'mentor', region: '35.73.01', ttl: 60 })
  })

  it('lets an admin leave the region out, and scopes them to every region', () => {
    expect(parseTokenArgs(['--role', 'admin'])).toMatchObject({
      sub: 'local-admin',
      role: 'admin',
      region: '*',
    })
  })

  it('keeps the key set at .local/keys.json in the repository root, where npm start keeps it', () => {
    expect(DEFAULT_KEY_FILE).toBe(join(import.meta.dirname, '../../..', '.local/keys.json'))
  })

  it.each([
    [[], /--role is required/],
    [['--role', 'owner', '--region', '35'], /--role must be one of mentor, staff, admin/],
    [['--role', 'staff'], /--region is required for staff/],
    [['--role', 'mentor', '--region', '3573'], /Kemendagri code/],
    [['--role', 'staff', '--region', '35.7'], /Kemendagri code/],
    [['--role', 'staff', '--region', '*'], /Kemendagri code/],
    [['--role', 'staff', '--region', '35', '--ttl', '0'], /--ttl/],
    [['--role', 'staff', '--region', '35', '--ttl', '1.5'], /--ttl/],
    [['--role', 'staff', '--region', '35', '--sub', 'a b'], /--sub/],
    [['--role', 'staff', '--region', '35', '--colour'], /Unknown option '--colour'/],
    [['--role', 'staff', '35'], /positional/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTokenArgs(argv)).toThrow(UsageError)
    expect(() => parseTokenArgs(argv)).toThrow(message)
  })

  describe('as a command', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pendamping-token-'))
    })
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    const run = (...argv: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'token.ts'), ...argv], {
        encoding: 'utf8',
        timeout: 20_000,
      })

    it('prints only the token, signed with the key set kept in the key file', async () => {
      const keyFile = join(dir, 'keys.json')
      const result = run('--role', 'staff', '--region', '35.73', '--key-file', keyFile)
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/)
      // The file now holds the key pair; loading it again (as `npm start` does) yields the same public keys.
      const saved = await LocalKeySet.persistent(keyFile)
      const verify = createTokenVerifier({
        jwksUrl: 'http://unused.invalid',
        issuer: LOCAL_ISSUER,
        keys: saved.resolver(),
      })
      expect(await verify(result.stdout.trim())).toEqual({
        kind: 'account',
        sub: 'local-staff-35.73',
        role: 'staff',
        region: '35.73',
      })
      // A second `npm start` on the same file hands the private key to the local OpenID provider.
      expect(await saved.signingJwk()).toMatchObject({ kty: 'RSA', alg: 'RS256', d: expect.any(String) })
    })

    it('explains its usage on stderr and exits with 2 on bad arguments, printing nothing on stdout', () => {
      const result = run('--role', 'staff', '--region', 'jawa-timur', '--key-file', join(dir, 'unused.json'))
      expect(result.status).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain('--region must be a Kemendagri code')
      expect(result.stderr).toContain('Usage: npm run -s token -- --role <mentor|staff|admin>')
    })
  })
})
