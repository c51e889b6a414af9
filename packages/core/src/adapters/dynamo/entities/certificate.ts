import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import {
  CertificateItem,
  CertificateSourceItem,
  type HolderKind,
  StatusListItem,
} from '../../../certificate/item.ts'
import type { Store } from '../client.ts'
import { entity, isNew, namesIn, putItem, type TransactItem, when } from '../entity.ts'
import { byOwner, byRegion, keys } from '../keys.ts'
import type { List } from '../read.ts'

/** The partition a holder's certificates are listed under: the participant, the mentor or the request. */
function holderPartition(holder: { kind: HolderKind; id: string }): string {
  switch (holder.kind) {
    case 'participant':
      return keys.participant(holder.id).pk
    case 'mentor':
      return keys.mentor(holder.id).pk
    case 'owner':
      return keys.request(holder.id).pk
  }
}

const KIND = 'CERTIFICATE'

const certificate = entity('certificate', CertificateItem, {
  key: (of: { id: string }) => keys.certificate(of.id),
  /**
   * `byOwner` under its holder (a participant, a mentor, or an owner's request), by issue; `byRegion`
   * under `CERTIFICATE` by issuing region then issue, for staff.
   */
  indexes: (of: CertificateItem) => ({
    ...byOwner(holderPartition(of.holder), KIND, of.issuedAt, of.id),
    ...byRegion(KIND, of.region, of.issuedAt, of.id),
  }),
})

/** E-certificates (`CERTIFICATE#<id>`): a holder's list, a region's list, and the revocation guard. */
export const Certificate = {
  ...certificate,
  /** Still valid: revoking twice is refused. */
  valid: when('#status = :valid', { ':valid': 'valid' }),
  /** A holder's certificates, newest first. */
  ofHolder: (holder: { kind: HolderKind; id: string }): List<CertificateItem> => ({
    index: 'byOwner',
    partition: holderPartition(holder),
    prefix: `${KIND}#`,
    newestFirst: true,
    parse: certificate.parse,
  }),
  /** Certificates issued by regions starting with `region` (`*` for all), oldest first. */
  inRegion: (region: string): List<CertificateItem> => ({
    index: 'byRegion',
    partition: KIND,
    prefix: region === '*' ? '' : region,
    parse: certificate.parse,
  }),
}

/** The one-certificate-per-source claim, written in the issuing transaction. */
export const CertificateSource = {
  ...entity('certificateSource', CertificateSourceItem, {
    key: (of: { source: string }) => keys.certificateSource(of.source),
  }),
  claim: (source: string, certificateId: string): TransactItem =>
    putItem(
      keys.certificateSource(source),
      { entity: 'certificateSource', version: 1, source, certificateId } satisfies CertificateSourceItem,
      isNew,
    ),
}

/**
 * The next certificate number of an issuing region and year: one `UpdateItem` (`ADD next 1`,
 * returning the new value). A number taken by an attempt that then loses its race stays unused: a gap,
 * never a duplicate.
 */
export async function nextCertificateNumber(store: Store, region: string, year: string): Promise<number> {
  const expression = 'SET #entity = :entity, #version = :version ADD #next :one'
  const { Attributes } = await store.doc.send(
    new UpdateCommand({
      TableName: store.tableName,
      Key: keys.certificateCounter(region, year),
      UpdateExpression: expression,
      ExpressionAttributeNames: namesIn(expression),
      ExpressionAttributeValues: { ':entity': 'certificateCounter', ':version': 1, ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  )
  return Number(Attributes?.next)
}

const statusList = entity('statusList', StatusListItem, {
  key: (of: { listId: string }) => keys.statusList(of.listId),
})

/** Bitstring Status Lists: which indexes are taken, and which are revoked. */
export const StatusList = {
  ...statusList,
  /** Takes `index` of `listId` for one certificate; refused if another holds it (draw again). */
  takeIndex: (listId: string, index: number, certificateId: string): TransactItem =>
    putItem(
      keys.statusListIndex(listId, index),
      { entity: 'statusListIndex', version: 1, listId, index, certificateId },
      isNew,
    ),
  /** Sets the revocation bit of `index` (adds it to the list's revoked set, creating the list item). */
  revoke: (listId: string, index: number, now: string): TransactItem => {
    const expression =
      'SET #entity = :entity, #version = :version, #listId = :listId, #updatedAt = :now ADD #revoked :index'
    return {
      Update: {
        Key: keys.statusList(listId),
        UpdateExpression: expression,
        ExpressionAttributeNames: namesIn(expression),
        ExpressionAttributeValues: {
          ':entity': 'statusList',
          ':version': 1,
          ':listId': listId,
          ':now': now,
          ':index': new Set([index]),
        },
      },
    }
  },
}
