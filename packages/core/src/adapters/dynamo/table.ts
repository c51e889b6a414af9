/**
 * The one table, declared once. `infra/table.ts` turns it into the SST `Dynamo` component and the
 * local bootstrap turns it into a `CreateTable` call, so AWS and DynamoDB Local get the same shape.
 *
 * Every item carries `pk`/`sk`, an `entity` tag and a `version`. Each global secondary index is named
 * for the access pattern it serves; its key attributes are named after the index, so an item says
 * which lists it appears in. Indexes are sparse: an item joins an index only when it sets its keys.
 */
export const table = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB may delete the item (outbox entries, idempotency records). */
  ttl: 'expiresAt',
  stream: 'new-and-old-images',
  indexes: {
    /**
     * Things staff list inside their region: `byRegionPk` is a collection (`PROGRAM`,
     * `REQUEST#<status>#<shard>`, `MENTOR#<status>`), `byRegionSk` starts with the full region code, so
     * `begins_with(byRegionSk, '35.73')` is exactly what staff of Kota Malang may see.
     */
    byRegion: { hashKey: 'byRegionPk', rangeKey: 'byRegionSk' },
    /**
     * A person's or a parent's children in time order: a mentor's offers, engagements and sessions;
     * a request's offers; an engagement's sessions (`byOwnerPk` = `MENTOR#<id>` | `REQUEST#<id>` …).
     */
    byOwner: { hashKey: 'byOwnerPk', rangeKey: 'byOwnerSk' },
    /** A program's requests per segment and state, in arrival order (waitlist, cohort matching). */
    byProgram: { hashKey: 'byProgramPk', rangeKey: 'byProgramSk' },
    /** Active mentors who can take work, per topic: matching candidates without loading every mentor. */
    byTopic: { hashKey: 'byTopicPk', rangeKey: 'byTopicSk' },
    /** Timed follow-ups by due time, bucketed per hour, swept on a schedule. */
    byDue: { hashKey: 'byDuePk', rangeKey: 'byDueSk' },
  },
} as const

export type TableDefinition = typeof table
export type IndexName = keyof TableDefinition['indexes']

/** Every key attribute of the table and its indexes; all are strings. */
export function keyAttributes(definition: TableDefinition = table): string[] {
  const names = new Set<string>([definition.partitionKey, definition.sortKey])
  for (const index of Object.values(definition.indexes)) {
    names.add(index.hashKey)
    names.add(index.rangeKey)
  }
  return [...names]
}
