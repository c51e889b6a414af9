/**
 * Cohort matching on DynamoDB (docs/contract/matching.md): staff ask for a plan over every open request of a program,
 * look at it, and commit it. The plan is the optimal assignment of `planCohort` (min-cost flow); it is
 * stored for a day so the commit makes exactly the offers staff saw, and the commit itself only flips
 * the plan and emits `CohortPlanCommitted` with one `CohortChunkCommitted` per chunk of assignments —
 * the offers are made by a consumer, one transaction each and one chunk per invocation, so neither
 * the staff's call nor any consumer invocation grows with the cohort.
 */
import { regionCovers, requireAccount } from '../actor/index.ts'
import { CohortPlan, CohortPlanChunk } from '../adapters/dynamo/entities/cohort-plan.ts'
import { DirectoryEntry } from '../adapters/dynamo/entities/mentor.ts'
import { Program } from '../adapters/dynamo/entities/program.ts'
import { Request } from '../adapters/dynamo/entities/request.ts'
import { get, query, type Step, transact } from '../adapters/dynamo/index.ts'
import { newId } from '../adapters/dynamo/keys.ts'
import { ConflictError, NotFoundError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import { type DirectoryProfile, profileOf } from '../mentor/index.ts'
import { DEFAULT_OFFER_WINDOW_HOURS, offerItems } from '../offer/index.ts'
import type { ProgramItem } from '../program/index.ts'
import { provinceOf } from '../region/index.ts'
import { getRequest, type RequestItem } from '../request/index.ts'
import type { Clock, Store } from '../store.ts'
import { type Candidate, readLoads, requestProfile } from './candidates.ts'
import { planCohort } from './cohort.ts'
import { CohortEvents } from './events.ts'
import type { CohortPlanInfo, PlanAssignment } from './item.ts'

export { CohortPlanInfo } from './item.ts'
export { CohortEvents }

/** The largest cohort planned at once (docs/contract/budgets.md budgets 2 000 requests × 500 mentors at ≤ 2 s). */
export const COHORT_LIMITS = { requests: 2000, mentors: 500 } as const
/** How long a plan can be committed after it was made. */
export const PLAN_TTL_SECONDS = 24 * 3600
/**
 * Assignments per chunk item, and so per `CohortOffers` invocation: ~250 bytes each keeps an item
 * near 50 KB (DynamoDB's limit is 400 KB), and 200 × (one `GetItem` + one transaction) ≈ 4 s on
 * DynamoDB, well inside a consumer's 30 s timeout.
 */
export const PLAN_CHUNK_SIZE = 200

/** `items` in slices of `size`, in order. */
function chunked<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  )
}

/** The program, if the staff member may run it (404 for programs outside their region). */
async function programForStaff(store: Store, programId: string): Promise<ProgramItem> {
  const actor = requireAccount('staff')
  const program = await get(store, Program, { id: programId })
  if (!program) throw new NotFoundError('No such program')
  if (!regionCovers(actor.region, program.region)) throw new NotFoundError('No such program in this region')
  return program
}

/** The program's requests still waiting for a mentor (`matching`), oldest first, bounded. */
async function openRequests(store: Store, programId: string): Promise<RequestItem[]> {
  const requests: RequestItem[] = []
  let cursor: string | undefined
  do {
    const page = await query(store, Request.inProgram(programId, 'matching'), {
      limit: COHORT_LIMITS.requests - requests.length,
      cursor,
    })
    requests.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor && requests.length < COHORT_LIMITS.requests)
  return requests
}

/** The directory's mentors for the program's topics in its province (and online mentors anywhere). */
async function programMentors(store: Store, program: ProgramItem): Promise<Candidate[]> {
  const entries = new Map<string, DirectoryProfile>()
  const province = provinceOf(program.region)
  for (const topic of program.topics) {
    for (const region of [province, undefined]) {
      if (entries.size >= COHORT_LIMITS.mentors) break
      const page = await query(store, DirectoryEntry.forTopic(topic, region), {
        limit: COHORT_LIMITS.mentors,
      })
      for (const profile of page.items)
        if (entries.size < COHORT_LIMITS.mentors) entries.set(profile.mentorId, profile)
    }
  }
  const loads = await readLoads(store, [...entries.keys()])
  return [...entries].flatMap(([id, entry]) => {
    const load = loads.get(id)
    return load ? [profileOf(entry, load)] : []
  })
}

/**
 * Plans the cohort of a program: the optimal assignment of its open requests to its mentors under
 * their free seats, with each pair's score breakdown. Stored for a day so it can be committed as seen.
 * A planning read, bounded by {@link COHORT_LIMITS}: a few pages of requests, one directory page per
 * topic, one `BatchGetItem` per 100 mentors, and one transaction putting the plan and its
 * {@link PLAN_CHUNK_SIZE} chunks (at most 11 items).
 */
export async function planProgramCohort(
  store: Store,
  clock: Clock,
  programId: string,
  options: { chunkSize?: number } = {},
): Promise<CohortPlanInfo> {
  const program = await programForStaff(store, programId)
  const [requests, mentors] = await Promise.all([
    openRequests(store, programId),
    programMentors(store, program),
  ])
  const plan = planCohort(requests.map(requestProfile), mentors)
  const subs = new Map(mentors.map((mentor) => [mentor.id, mentor.sub]))
  const info: CohortPlanInfo = {
    planId: newId(),
    programId,
    status: 'planned',
    createdAt: clock.now().toISOString(),
    requestsConsidered: requests.length,
    mentorsConsidered: mentors.length,
    totalScore: Math.round(plan.totalScore * 10_000) / 10_000,
    assignments: plan.assignments.map((a) => ({
      requestId: a.requestId,
      mentorId: a.mentorId,
      mentorSub: subs.get(a.mentorId) ?? a.mentorId,
      score: Math.round(a.score * 10_000) / 10_000,
      breakdown: Object.fromEntries(
        Object.entries(a.breakdown).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000]),
      ),
    })),
    unassigned: plan.unassigned,
  }
  const expiresAt = Math.floor(clock.now().getTime() / 1000) + PLAN_TTL_SECONDS
  const { assignments, ...header } = info
  const chunkSize = options.chunkSize ?? PLAN_CHUNK_SIZE
  const chunks = chunked(assignments, chunkSize)
  const { planId } = info
  await transact(store, [
    [
      'plan',
      CohortPlan.put({
        entity: 'cohortPlan',
        version: 2,
        ...header,
        assignmentCount: assignments.length,
        chunkSize,
        chunks: chunks.length,
        expiresAt,
      }),
    ],
    ...chunks.map(
      (part, chunk): Step => [
        'chunk',
        CohortPlanChunk.put({
          entity: 'cohortPlanChunk',
          version: 1,
          planId,
          programId,
          chunk,
          assignments: part,
          expiresAt,
        }),
      ],
    ),
  ])
  return info
}

/**
 * Commits a plan staff saw: one transaction flips it to `committed` (only once, and only within its
 * day) and writes `CohortPlanCommitted` and one `CohortChunkCommitted` per chunk (at most 10), whose
 * consumer makes that chunk's offers. Calls: 1 `GetItem` + 1 transaction.
 */
export async function commitProgramCohort(
  store: Store,
  clock: Clock,
  programId: string,
  planId: string,
): Promise<{ planId: string; status: 'committed'; offers: number }> {
  await programForStaff(store, programId)
  const now = clock.now()
  const plan = await get(store, CohortPlan, { planId })
  if (!plan || plan.programId !== programId || plan.expiresAt * 1000 <= now.getTime())
    throw new NotFoundError('No such plan, or it has expired')
  if (plan.status !== 'planned') throw new ConflictError('Plan already committed', 'plan-committed')
  const event = createEvent(
    CohortEvents.Committed,
    { programId, planId, assignments: plan.assignmentCount },
    now,
  )
  const chunkEvents = Array.from({ length: plan.chunks }, (_, chunk): Step => {
    const assignments = Math.min(plan.chunkSize, plan.assignmentCount - chunk * plan.chunkSize)
    return [
      'chunk',
      outbox(createEvent(CohortEvents.ChunkCommitted, { programId, planId, chunk, assignments }, now)),
    ]
  })
  await transact(
    store,
    [
      [
        'plan',
        CohortPlan.update(
          plan,
          { set: { status: 'committed', committedAt: now.toISOString() } },
          { when: CohortPlan.uncommitted },
        ),
      ],
      ['event', outbox(event)],
      ...chunkEvents,
    ],
    { explain: () => new ConflictError('Plan already committed', 'plan-committed') },
  )
  return { planId, status: 'committed', offers: plan.assignmentCount }
}

/**
 * Makes the offers of a committed plan, for the `CohortOffers` consumer: those of one chunk when
 * `chunk` is given (one invocation per `CohortChunkCommitted`), else of every chunk in turn. Each offer
 * is its own transaction — the offer, the request's move, `OfferMade` and the offer's expiry —
 * conditioned on the request still `matching` as planned: a request matched or cancelled meanwhile is
 * skipped, and re-running (a retry after a crash halfway) makes no second offer (offer ids derive from
 * the request's offer count). Calls: 3 `GetItem` + per assignment 1 `GetItem` and 1 transaction.
 */
export async function makeCohortOffers(
  store: Store,
  clock: Clock,
  programId: string,
  planId: string,
  chunk?: number,
): Promise<{ offered: number; skipped: number }> {
  const result = { offered: 0, skipped: 0 }
  const [plan, program] = await Promise.all([
    get(store, CohortPlan, { planId }),
    get(store, Program, { id: programId }),
  ])
  if (!plan || plan.programId !== programId) return result
  const windowHours = program?.offerWindowHours ?? DEFAULT_OFFER_WINDOW_HOURS
  const chunks = chunk === undefined ? Array.from({ length: plan.chunks }, (_, index) => index) : [chunk]
  for (const index of chunks) {
    const part = await get(store, CohortPlanChunk, { planId, chunk: index })
    for (const assignment of part?.assignments ?? []) {
      result[(await offerAssignment(store, clock, assignment, windowHours)) ? 'offered' : 'skipped']++
    }
  }
  return result
}

/** Makes one planned offer if its request still waits and may go to that mentor; false when skipped. */
async function offerAssignment(
  store: Store,
  clock: Clock,
  assignment: PlanAssignment,
  windowHours: number,
): Promise<boolean> {
  const request = await getRequest(store, assignment.requestId)
  if (request?.status !== 'matching' || request.excludedMentorIds.includes(assignment.mentorId)) return false
  const { items } = offerItems(
    store.tableName,
    request,
    { mentorId: assignment.mentorId, mentorSub: assignment.mentorSub },
    { total: assignment.score, breakdown: assignment.breakdown },
    clock.now(),
    windowHours,
  )
  try {
    await transact(
      store,
      [
        ['offer', items.offer],
        ['request', items.request],
        ['event', items.event],
        ['expiry', items.expiry],
      ],
      { explain: () => new ConflictError('Request changed', 'stale') },
    )
    return true
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error
    return false
  }
}
