/**
 * Runs `work` on every item, at most `parallel` at a time: test set-up that writes hundreds of
 * independent items takes a fraction of a one-by-one loop without flooding DynamoDB Local.
 *
 * @example
 * await forEachInParallel(journeys.events, 8, (event) => recordEvent(store, event, now))
 */
export async function forEachInParallel<T>(
  items: readonly T[],
  parallel: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T
        await work(item)
      }
    }),
  )
}
