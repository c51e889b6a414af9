/** An engagement as stored: its schema and states, for the data layer's `Engagement` entity. */
import * as z from 'zod/mini'
import { OUTCOMES } from '../topic/index.ts'

/**
 * Every state of an engagement: `active` until its mentor or staff close it (`completed`, `ended`).
 * When its mentor is suspended it waits for staff (`needs_decision`), who end it or hand the business
 * to another mentor (`reassigned`: this engagement, its sessions and notes stay as history).
 */
export const ENGAGEMENT_STATUSES = ['active', 'completed', 'ended', 'needs_decision', 'reassigned'] as const
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number]

/** One progress note of an engagement: when, what the mentor wrote, the outcomes reached. */
export const ProgressNote = z.object({
  at: z.string(),
  note: z.string(),
  outcomes: z.array(z.enum(OUTCOMES)),
})
export type ProgressNote = z.infer<typeof ProgressNote>

/**
 * An engagement as stored (`entity: 'engagement'`), listed under its mentor in `byOwner`
 * (`MENTOR#<mentorId>`, `ENGAGEMENT#<startedAt>#<id>`). Counters kept by the session transactions:
 * `scheduledSessions` (still to happen), `completedSessions`, `minutes` (mentoring time held).
 */
export const EngagementItem = z.object({
  entity: z.literal('engagement'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(ENGAGEMENT_STATUSES),
  requestId: z.string(),
  offerId: z.string(),
  mentorId: z.string(),
  mentorSub: z.string(),
  programId: z.nullable(z.string()),
  region: z.string(),
  needs: z.array(z.string()),
  /** The zone sessions default to: the program's, else the request's. */
  timeZone: z.string(),
  startedAt: z.string(),
  endedAt: z.nullable(z.string()),
  updatedAt: z.string(),
  scheduledSessions: z.number(),
  completedSessions: z.number(),
  minutes: z.number(),
  progress: z.array(ProgressNote),
})
export type EngagementItem = z.infer<typeof EngagementItem>
