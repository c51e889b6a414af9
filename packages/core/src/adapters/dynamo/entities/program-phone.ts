import { ProgramPhoneItem } from '../../../request/item.ts'
import { entity, when } from '../entity.ts'
import { keys } from '../keys.ts'

const programPhone = entity('programPhone', ProgramPhoneItem, {
  key: (of: { programId: string; phoneHash: string }) => keys.programPhone(of.programId, of.phoneHash),
})

/**
 * One open request per person per program (`PROGRAMPHONE#<programId>#<phoneHash>`): a phone's claim,
 * put in the submitting transaction. A refusal comes back with the claim, naming the request that holds it.
 */
export const ProgramPhone = {
  ...programPhone,
  /** Claims the phone for `claim.requestId`: only if nobody holds it, or (`takingOver`) still the request read. */
  claim: (claim: ProgramPhoneItem, takingOver?: string) =>
    programPhone.put(claim, {
      when: takingOver === undefined ? undefined : when('#requestId = :holder', { ':holder': takingOver }),
    }),
  /**
   * Gives the claim back with the request that holds it (cancelled, erased). A claim that is not there
   * (a request older than claims) is no refusal; one held by another request is.
   */
  release: (programId: string, phoneHash: string, requestId: string) =>
    programPhone.remove(
      { programId, phoneHash },
      { when: when('attribute_not_exists(pk) OR #requestId = :holder', { ':holder': requestId }) },
    ),
}
