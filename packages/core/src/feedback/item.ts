/** Feedback as stored: its schema only, for the data layer's `Feedback` entity. */
import * as z from 'zod/mini'

/** Feedback as stored (`entity: 'feedback'`), beside its session (`SESSION#<id>`, `FEEDBACK`): one per session. */
export const FeedbackItem = z.object({
  entity: z.literal('feedback'),
  version: z.literal(1),
  sessionId: z.string(),
  requestId: z.string(),
  engagementId: z.string(),
  mentorId: z.string(),
  programId: z.nullable(z.string()),
  rating: z.number(),
  comment: z.nullable(z.string()),
  createdAt: z.string(),
})
export type FeedbackItem = z.infer<typeof FeedbackItem>
