/** A program and its segment counters as stored: schemas only, for the data layer's entities. */
import * as z from 'zod/mini'
import { TIME_ZONES } from '../time/index.ts'

export const PROGRAM_STATUSES = ['draft', 'open', 'closed'] as const
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number]

/** A program as stored. */
export const ProgramItem = z.object({
  entity: z.literal('program'),
  version: z.literal(1),
  id: z.string(),
  region: z.string(),
  name: z.string(),
  topics: z.array(z.string()),
  timeZone: z.enum(TIME_ZONES),
  startsAt: z.string(),
  endsAt: z.string(),
  segments: z.record(z.string(), z.number()),
  offerWindowHours: z.number(),
  matchingWindowDays: z.number(),
  /** Months personal data is kept after a person's last activity (absent: the default, 12). */
  retentionMonths: z.optional(z.number()),
  status: z.enum(PROGRAM_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The account (`sub`) that created it. */
  createdBy: z.string(),
})
export type ProgramItem = z.infer<typeof ProgramItem>

/** A segment's seat counter as stored. */
export const SegmentItem = z.object({
  entity: z.literal('programSegment'),
  version: z.literal(1),
  programId: z.string(),
  segment: z.string(),
  quota: z.number(),
  admitted: z.number(),
  waitlisted: z.number(),
})
export type SegmentItem = z.infer<typeof SegmentItem>

export function parseProgram(item: unknown): ProgramItem {
  return z.parse(ProgramItem, item)
}
