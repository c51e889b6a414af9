/**
 * A participant's private link (docs/contract/security.md#participant-tokens): its token is made
 * anew by its holder, the old one dead at once, or revoked by staff when it leaked; as a request's
 * tracking token is.
 */
import { regionCovers, requireAccount } from '../actor/index.ts'
import { Participant, Registration } from '../adapters/dynamo/entities/class.ts'
import { get, query, transact } from '../adapters/dynamo/index.ts'
import { NotFoundError } from '../errors/index.ts'
import { answerSecret, type IdempotencyClaim, storeAnswer } from '../idempotency/index.ts'
import { newTrackingToken, type PrivateKey } from '../request/token.ts'
import type { Clock, Store } from '../store.ts'
import type { ParticipantItem } from './item.ts'
import { openParticipant } from './register.ts'

/**
 * A new private link for the participant whose token is `token`: the old token stops working in the
 * same write, conditioned on it, so of two rotations with one token only one wins (the other is a 404,
 * as any dead token is). One `GetItem` and one `TransactWriteItems`.
 *
 * @throws NotFoundError when the token does not open the participant's page
 */
export async function rotateParticipantToken(
  store: Store,
  clock: Clock,
  id: string,
  token: PrivateKey | undefined,
  options: { idempotency?: IdempotencyClaim | undefined } = {},
): Promise<{ id: string; participantToken: string }> {
  const participant = await openParticipant(store, id, token)
  const secret = answerSecret(options.idempotency)
  const fresh = newTrackingToken(secret)
  const answer = { id, participantToken: fresh.token }
  await replaceToken(
    store,
    clock,
    participant,
    fresh.hash,
    storeAnswer(options.idempotency, { status: 200, body: answer }, clock.now(), secret),
  )
  return answer
}

/**
 * Staff revoke a participant's private link (it leaked): it stops working at once and no new one is
 * made; the participant asks staff for a new registration link. Staff whose region covers the
 * participant's own region or the region of a class they registered for, and admins; anyone else gets
 * 404, as for a participant who does not exist. Revoking a revoked link changes nothing. One
 * `GetItem`, one `Query` of their registrations (when their region is not covered) and one
 * `TransactWriteItems`.
 */
export async function revokeParticipantToken(store: Store, clock: Clock, id: string): Promise<void> {
  const actor = requireAccount('staff')
  const participant = await get(store, Participant, { id })
  if (!participant) throw new NotFoundError('No such participant in this region')
  if (!regionCovers(actor.region, participant.region)) {
    const registrations = await query(store, Registration.ofParticipant(id), { limit: 50 })
    if (!registrations.items.some((registration) => regionCovers(actor.region, registration.classRegion)))
      throw new NotFoundError('No such participant in this region')
  }
  if (participant.tokenHash === null) return
  await replaceToken(store, clock, participant, null)
}

async function replaceToken(
  store: Store,
  clock: Clock,
  participant: ParticipantItem,
  hash: string | null,
  idempotency?: ReturnType<typeof storeAnswer>,
) {
  await transact(
    store,
    [
      [
        'participant',
        Participant.update(
          participant,
          { set: { tokenHash: hash, updatedAt: clock.now().toISOString() } },
          { when: Participant.tokenIs(participant.tokenHash) },
        ),
      ],
    ],
    { idempotency },
  )
}
