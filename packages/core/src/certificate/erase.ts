/**
 * A holder's certificates when their data is erased (UU PDP; docs/contract/data-protection.md#certificates).
 *
 * The choice: a certificate is a public attestation whose number and verification page others may
 * have been shown, so it is not deleted (a verifier would then read "no such certificate", as for a
 * forgery). It is revoked as `holder_request` (its status-list bit set, so every copy of the signed
 * credential now verifies as revoked), and what names the person — the printed name, the business,
 * the signed credential that embeds them — is erased. The number, kind, dates, issuing region and
 * the revocation stay: anonymous, and what keeps the register of issued numbers whole.
 */
import { Certificate, StatusList } from '../adapters/dynamo/entities/certificate.ts'
import { everyItem, type Step, transact, write } from '../adapters/dynamo/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import type { Clock, Store } from '../store.ts'
import { CertificateEvents, factsOf } from './events.ts'
import type { CertificateItem, HolderKind } from './item.ts'

/** Who revoked a certificate whose holder's data was erased: the system, at the holder's request. */
export const ERASURE_REVOKER = 'system:erasure'

/** Revokes and anonymises every certificate of `holder`. Safe to repeat. Answers how many it reached. */
export async function eraseCertificatesOf(
  store: Store,
  clock: Clock,
  holder: { kind: HolderKind; id: string },
): Promise<number> {
  let reached = 0
  for await (const certificate of everyItem(store, Certificate.ofHolder(holder), 50)) {
    if (await anonymise(store, clock, certificate)) reached++
  }
  return reached
}

async function anonymise(store: Store, clock: Clock, certificate: CertificateItem): Promise<boolean> {
  const now = clock.now()
  const at = now.toISOString()
  const erased = { name: '', business: null, credential: '', updatedAt: at }
  if (certificate.status === 'revoked') {
    if (certificate.name === '' && certificate.credential === '') return false
    return write(store, Certificate.update(certificate, { set: erased }))
  }
  const steps: Step[] = [
    [
      'certificate',
      Certificate.update(
        certificate,
        {
          set: {
            ...erased,
            status: 'revoked',
            revokedAt: at,
            revocationReason: 'holder_request',
            revokedBy: ERASURE_REVOKER,
          },
        },
        { when: Certificate.valid },
      ),
    ],
    ['list', StatusList.revoke(certificate.statusList, certificate.statusIndex, at)],
    [
      'event',
      outbox(
        createEvent(
          CertificateEvents.Revoked,
          { ...factsOf(certificate), reason: 'holder_request', revokedAt: at },
          now,
        ),
      ),
    ],
  ]
  const changed = new Error('Revoked meanwhile')
  try {
    await transact(store, steps, { explain: () => changed })
  } catch (error) {
    if (error !== changed) throw error
    return false
  }
  return true
}
