/**
 * The lottery draw of a class (docs/contract/classes-and-certificates.md): at the close of registration, everyone still `registered`
 * is put in the order `drawOrder(seed, ids)` gives, the order and the seed are published, and the
 * seats are given walking that order (each registration takes a seat of its segment while one is
 * left; the rest wait, queued in draw order).
 *
 * Safe to run twice or to resume after a crash: the order is fixed once (the class's `drawnAt` is set
 * on condition it was not, in the transaction that stores the order), and the seats follow from the
 * stored order alone; each batch moves only registrations still `registered`.
 */
import { Class, ClassDraw, ClassSegment, Registration } from '../adapters/dynamo/entities/class.ts'
import { everyItem, query, type Step, transact, when } from '../adapters/dynamo/index.ts'
import { ConflictError } from '../errors/index.ts'
import { createEvent, outbox } from '../event/index.ts'
import type { Clock, Store } from '../store.ts'
import { classFacts, getClassItem, visible } from './access.ts'
import { drawOrder } from './draw.ts'
import { ClassEvents } from './events.ts'
import { DRAW_CHUNK, type DrawItem, type RegistrationItem } from './item.ts'
import type { DrawInfo } from './view.ts'

/** Registrations moved per transaction: with a counter per segment and the event, well under 100 items. */
const BATCH = 40

export interface DrawResult {
  outcome: 'drawn' | 'not-lottery' | 'not-closed' | 'not-running'
  confirmed: number
  waitlisted: number
}

/** Every registration of a class in `status`, page by page (a consumer's work, bounded by the class's size). */
export async function allRegistrations(
  store: Store,
  classId: string,
  status: RegistrationItem['status'],
  segment?: string,
): Promise<RegistrationItem[]> {
  const all: RegistrationItem[] = []
  for await (const registration of everyItem(store, Registration.inClass(classId, status, segment)))
    all.push(registration)
  return all
}

async function storedDraw(store: Store, classId: string): Promise<DrawItem[]> {
  return (await query(store, ClassDraw.of(classId))).items.sort((a, b) => a.chunk - b.chunk)
}

/**
 * Draws a lottery class whose registration has closed, then seats it. Run from `ClassRegistrationClosed`
 * and from the timed duty at the planned close; a repeat resumes or does nothing.
 */
export async function drawClass(store: Store, clock: Clock, classId: string): Promise<DrawResult> {
  const none = (outcome: DrawResult['outcome']): DrawResult => ({ outcome, confirmed: 0, waitlisted: 0 })
  const klass = await getClassItem(store, classId)
  if (klass?.admission !== 'lottery' || !klass.seed || !klass.seedHash) return none('not-lottery')
  if (!['open', 'full', 'running'].includes(klass.status)) return none('not-running')
  const now = clock.now()
  const at = now.toISOString()
  if (klass.registrationClosesAt > at) return none('not-closed')

  const registered = await allRegistrations(store, classId, 'registered')
  let chunks: DrawItem[]
  if (klass.drawnAt) chunks = await storedDraw(store, classId)
  else {
    const segmentOf = new Map(registered.map((registration) => [registration.id, registration.segment]))
    const order = drawOrder(klass.seed, [...segmentOf.keys()])
    chunks = []
    for (let from = 0; from === 0 || from < order.length; from += DRAW_CHUNK) {
      const ids = order.slice(from, from + DRAW_CHUNK)
      chunks.push({
        entity: 'classDraw',
        version: 1,
        classId,
        chunk: chunks.length,
        registrationIds: ids,
        segments: ids.map((id) => segmentOf.get(id) ?? ''),
      })
    }
    const drawnAlready = new Error('Drawn meanwhile')
    try {
      await transact(
        store,
        [
          [
            'class',
            Class.update(
              klass,
              { set: { drawnAt: at, updatedAt: at } },
              { when: when('attribute_type(#drawnAt, :null)', { ':null': 'NULL' }) },
            ),
          ],
          ...chunks.map((chunk) => ['draw', ClassDraw.put(chunk)] as const),
          [
            'event',
            outbox(
              createEvent(
                ClassEvents.Drawn,
                { ...classFacts(klass), seedHash: klass.seedHash, registrations: order.length, drawnAt: at },
                now,
              ),
            ),
          ],
        ],
        { explain: () => drawnAlready },
      )
    } catch (error) {
      if (error !== drawnAlready) throw error
      chunks = await storedDraw(store, classId)
    }
  }

  // The seats follow from the stored order alone, so a resumed draw gives the same ones.
  const left: Record<string, number> = { ...klass.seats }
  const placed: Array<{ id: string; segment: string; rank: number; seated: boolean }> = []
  let rank = 0
  for (const chunk of chunks)
    chunk.registrationIds.forEach((id, index) => {
      const segment = chunk.segments[index] ?? ''
      rank++
      const seated = (left[segment] ?? 0) > 0
      if (seated) left[segment] = (left[segment] ?? 0) - 1
      placed.push({ id, segment, rank, seated })
    })
  const pending = new Map(registered.map((registration) => [registration.id, registration]))
  const todo = placed.filter((place) => pending.has(place.id))
  const result: DrawResult = { outcome: 'drawn', confirmed: 0, waitlisted: 0 }
  for (let from = 0; from < todo.length; from += BATCH) {
    let batch = todo.slice(from, from + BATCH)
    for (let tries = 0; batch.length > 0 && tries < 3; tries++) {
      const moved = new Error('Some registrations moved meanwhile')
      let refused = new Set<string>()
      const seatsBySegment = new Map<string, { seated: number; waiting: number }>()
      for (const place of batch) {
        const counts = seatsBySegment.get(place.segment) ?? { seated: 0, waiting: 0 }
        if (place.seated) counts.seated++
        else counts.waiting++
        seatsBySegment.set(place.segment, counts)
      }
      const steps: Step[] = batch.map((place) => {
        const registration = pending.get(place.id) as RegistrationItem
        return [
          `reg:${place.id}`,
          Registration.update(
            registration,
            {
              set: {
                status: place.seated ? 'confirmed' : 'waitlisted',
                queue: `draw#${String(place.rank).padStart(7, '0')}`,
                drawRank: place.rank,
                confirmedAt: place.seated ? at : null,
                updatedAt: at,
              },
            },
            { when: Registration.inStatus('registered') },
          ),
        ]
      })
      for (const [segment, counts] of seatsBySegment)
        steps.push([
          'seats',
          ClassSegment.drawn(classId, segment, counts.seated, counts.waiting, klass.seats[segment] ?? 0),
        ])
      steps.push([
        'event',
        outbox(
          createEvent(
            ClassEvents.RegistrationsDrawn,
            {
              ...classFacts(klass),
              confirmed: batch.filter((place) => place.seated).map((place) => place.id),
              waitlisted: batch.filter((place) => !place.seated).map((place) => place.id),
            },
            now,
          ),
        ),
      ])
      try {
        await transact(store, steps, {
          explain: ({ conditions }) => {
            if (conditions.has('seats'))
              return new ConflictError('Seat counters disagree with the draw', 'stale')
            refused = new Set(
              [...conditions].filter((name) => name.startsWith('reg:')).map((name) => name.slice(4)),
            )
            return moved
          },
        })
        result.confirmed += batch.filter((place) => place.seated).length
        result.waitlisted += batch.filter((place) => !place.seated).length
        batch = []
      } catch (error) {
        if (error !== moved) throw error
        // Cancelled (or drawn by a concurrent run) meanwhile: the rest of the batch goes on without them.
        batch = batch.filter((place) => !refused.has(place.id))
      }
    }
  }
  return result
}

/**
 * A class's published draw: the seed (revealed), its hash, and the registrations in drawn order;
 * anyone re-runs `drawOrder(seed, registrationIds)` and gets the same order. One `GetItem` + one `Query`.
 * @throws ConflictError `draw-pending` before the draw
 */
export async function readDraw(store: Store, classId: string): Promise<DrawInfo> {
  const klass = visible(await getClassItem(store, classId))
  if (!klass.drawnAt || !klass.seed || !klass.seedHash)
    throw new ConflictError('Not drawn yet', 'draw-pending')
  const chunks = await storedDraw(store, classId)
  return {
    classId,
    seed: klass.seed,
    seedHash: klass.seedHash,
    drawnAt: klass.drawnAt,
    registrationIds: chunks.flatMap((chunk) => chunk.registrationIds),
  }
}
