import * as v from 'valibot'
import { type Readable, updateItem, when } from '../entity.ts'
import { keys } from '../keys.ts'

const WatermarkItem = v.object({
  entity: v.literal('sweepWatermark'),
  version: v.literal(1),
  /** The last hour bucket (`yyyy-mm-ddThh`) every duty of which has fired. */
  hour: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/)),
  updatedAt: v.string(),
})
export type WatermarkItem = v.InferOutput<typeof WatermarkItem>

/**
 * Where the sweeper stands (`SWEEP#followUps` / `WATERMARK`): the last hour it swept to the end. A
 * sweep starts after it, so it catches up however long it was stopped; it only moves forward.
 */
export const SweepWatermark = {
  key: () => keys.sweepWatermark(),
  parse: (raw: unknown) => v.parse(WatermarkItem, raw),
  /** Moves the watermark to `hour`, refused when it already is there or later (an overlapping sweep). */
  advance: (hour: string, at: string) =>
    updateItem(
      keys.sweepWatermark(),
      { set: { entity: 'sweepWatermark', version: 1, hour, updatedAt: at } },
      when('attribute_not_exists(pk) OR #hour < :hour', { ':hour': hour }),
    ),
} satisfies Readable<WatermarkItem, void> & Record<string, unknown>
