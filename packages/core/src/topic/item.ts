/** A program's own topic as stored: schema only, for the data layer's `ProgramTopic` entity. */
import * as z from 'zod/mini'

/**
 * A topic a program added to the standard ones (`entity: 'programTopic'`), written whenever a program
 * is created or edited with it. Its presence is what lets a mentor name it as a skill.
 */
export const ProgramTopicItem = z.object({
  entity: z.literal('programTopic'),
  version: z.literal(1),
  topic: z.string(),
  /** The program that listed it last. */
  programId: z.string(),
  updatedAt: z.string(),
})
export type ProgramTopicItem = z.infer<typeof ProgramTopicItem>
