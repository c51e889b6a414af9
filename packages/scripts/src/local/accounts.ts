import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Role } from '@pendamping/core/actor'
import type { AccountDirectory, AccountInvitation } from '@pendamping/core/directory'
import { ConflictError } from '@pendamping/core/errors'
import { DEMO_MENTORS } from '../seed-mentors.ts'

/**
 * The one password of every local account. The local provider stands in for Cognito's managed login
 * on a developer's machine only; `npm start` prints it.
 */
export const LOCAL_PASSWORD = 'pendamping-lokal'

/** An account of the local OpenID Connect provider: what a Cognito user is on AWS. */
export interface LocalAccount {
  sub: string
  /** The sign-in name, as the email is Cognito's username. */
  email: string
  name: string
  role: Role
  /** A Kemendagri code, `*` for an admin. */
  region: string
  /** Disabled accounts cannot sign in, and their refresh tokens stop working. */
  disabled: boolean
  /**
   * Seconds since the epoch of the last "sign out everywhere" (Cognito's `AdminUserGlobalSignOut`):
   * refresh tokens issued before it are refused.
   */
  signedOutAt?: number | undefined
}

/** Staff of Kota Malang and of Bali, and an admin: the same `sub`s `npm run token` defaults to. */
export const DEMO_STAFF: readonly LocalAccount[] = [
  {
    sub: 'local-staff-35.73',
    email: 'staf.malang@pendamping.test',
    name: 'Staf Diskominfo Kota Malang',
    role: 'staff',
    region: '35.73',
    disabled: false,
  },
  {
    sub: 'local-staff-51',
    email: 'staf.bali@pendamping.test',
    name: 'Staf Dinas Koperasi dan UMKM Bali',
    role: 'staff',
    region: '51',
    disabled: false,
  },
  {
    sub: 'local-admin',
    email: 'admin@pendamping.test',
    name: 'Admin Kementerian',
    role: 'admin',
    region: '*',
    disabled: false,
  },
]

/** The seeded mentors' accounts: each `sub` is the mentor id, as the local directory gives on approval. */
export function demoAccounts(): LocalAccount[] {
  return [
    ...DEMO_MENTORS.map(
      (mentor): LocalAccount => ({
        sub: mentor.id,
        email: mentor.email,
        name: mentor.name,
        role: 'mentor',
        region: mentor.region,
        disabled: false,
      }),
    ),
    ...DEMO_STAFF,
  ]
}

/**
 * The local provider's account store, and the {@link AccountDirectory} the local stack gives the API
 * and the consumers: inviting adds an account the provider signs in, disabling locks it and ends its
 * sessions — what Cognito's `AdminCreateUser`, `AdminDisableUser` and `AdminUserGlobalSignOut` do on
 * AWS. Kept in a JSON file for `npm start` (so invited accounts survive a restart), in memory for tests.
 */
export class LocalAccounts implements AccountDirectory {
  private readonly accounts = new Map<string, LocalAccount>()

  private constructor(
    private readonly file: string | undefined,
    accounts: readonly LocalAccount[],
  ) {
    for (const account of accounts) this.accounts.set(account.sub, { ...account })
  }

  /** The demo accounts, plus what an earlier `npm start` saved in `file`. */
  static open(file?: string): LocalAccounts {
    const saved =
      file && existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as { accounts: LocalAccount[] })
        : undefined
    const byEmail = new Map(demoAccounts().map((account) => [account.email, account]))
    for (const account of saved?.accounts ?? []) byEmail.set(account.email, account)
    return new LocalAccounts(file, [...byEmail.values()])
  }

  find(sub: string): LocalAccount | undefined {
    return this.accounts.get(sub)
  }

  findByEmail(email: string): LocalAccount | undefined {
    const wanted = email.trim().toLowerCase()
    return [...this.accounts.values()].find((account) => account.email.toLowerCase() === wanted)
  }

  /** Whether `password` opens `email`'s account: it exists, is enabled, and the password is the local one. */
  signIn(email: string, password: string): LocalAccount | undefined {
    const account = this.findByEmail(email)
    return account && !account.disabled && password === LOCAL_PASSWORD ? account : undefined
  }

  /**
   * Whether a token of `sub` issued at `issuedAt` (seconds) may still be used to get new tokens: the
   * account exists, is enabled, and was not signed out everywhere since.
   */
  stillValid(sub: string, issuedAt?: number): LocalAccount | undefined {
    const account = this.accounts.get(sub)
    if (!account || account.disabled) return undefined
    if (issuedAt !== undefined && account.signedOutAt !== undefined && issuedAt < account.signedOutAt)
      return undefined
    return account
  }

  async invite(invitation: AccountInvitation): Promise<{ sub: string }> {
    const existing = this.findByEmail(invitation.email)
    if (existing) {
      if (existing.role !== invitation.role)
        throw new ConflictError('The email already belongs to another kind of account', 'account-exists')
      return { sub: existing.sub }
    }
    // A mentor's `sub` is their id, so `npm run token -- --sub <mentorId>` names the same account.
    const sub = invitation.mentorId ?? crypto.randomUUID()
    this.accounts.set(sub, {
      sub,
      email: invitation.email,
      name: invitation.name,
      role: invitation.role,
      region: invitation.role === 'admin' ? '*' : invitation.region,
      disabled: false,
    })
    await this.save()
    return { sub }
  }

  async disable(sub: string): Promise<void> {
    const account = this.accounts.get(sub)
    if (!account) return
    account.disabled = true
    account.signedOutAt = Math.floor(Date.now() / 1000)
    await this.save()
  }

  async enable(sub: string): Promise<void> {
    const account = this.accounts.get(sub)
    if (!account?.disabled) return
    account.disabled = false
    await this.save()
  }

  private async save() {
    if (!this.file) return
    await mkdir(dirname(this.file), { recursive: true })
    await writeFile(this.file, JSON.stringify({ accounts: [...this.accounts.values()] }, null, 2), {
      mode: 0o600,
    })
  }
}
