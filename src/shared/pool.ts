/** Independent work in parallel, a few at a time: enough to hide latency, never a flood. */
export async function mapPool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  // one iterator for all workers: each item is taken by exactly one of them
  const queue = items.entries()
  let failed = false
  const worker = async (): Promise<void> => {
    for (const [index, item] of queue) {
      try {
        results[index] = await work(item, index)
      } catch (error) {
        failed = true
        throw error
      }
      // after one failure no new item starts: the caller gets that error, not more requests
      if (failed) return
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker)
  const settled = await Promise.allSettled(workers)
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (rejected) throw rejected.reason
  return results
}
