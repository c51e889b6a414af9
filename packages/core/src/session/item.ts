/** A coaching session as stored: its schema and states, for the data layer's `Session` entity. */
import * as z from 'zod/mini'
import { TIME_ZONES } from '../time/index.ts'
import { OUTCOMES } from '../topic/index.ts'

/** Every state of a session, and how it is held and attended. */
export const SESSION_STATUSES = ['scheduled', 'completed', 'cancelled', 'no_show'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]
export const SESSION_MODES = ['online', 'offline'] as const
export const ATTENDANCE = ['attended', 'no_show'] as const

/**
 * A session as stored (`entity: 'session'`), listed under its request in `byOwner`
 * (`REQUEST#<requestId>`, `SESSION#<startsAt>#<id>`) so the owner sees their sessions in time order.
 */
export const SessionItem = z.object({
  entity: z.literal('session'),
  version: z.literal(1),
  id: z.string(),
  status: z.enum(SESSION_STATUSES),
  engagementId: z.string(),
  requestId: z.string(),
  mentorId: z.string(),
  mentorSub: z.string(),
  programId: z.nullable(z.string()),
  region: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.enum(TIME_ZONES),
  mode: z.enum(SESSION_MODES),
  meetingUrl: z.nullable(z.string()),
  place: z.nullable(z.string()),
  topics: z.array(z.string()),
  notes: z.nullable(z.string()),
  outcomes: z.array(z.enum(OUTCOMES)),
  attendance: z.nullable(z.enum(ATTENDANCE)),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.nullable(z.string()),
  cancelledAt: z.nullable(z.string()),
  cancelledBy: z.nullable(z.enum(['mentor', 'owner', 'staff'])),
})
export type SessionItem = z.infer<typeof SessionItem>
