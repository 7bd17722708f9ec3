/** Independent work in parallel, a few at a time: enough to hide latency, never a flood. */
export async function mapPool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    // after one failure no new item starts: the caller gets that error, not more requests
    while (!failed && next < items.length) {
      const index = next++
      try {
        results[index] = await work(items[index], index)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker)
  const settled = await Promise.allSettled(workers)
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (rejected) throw rejected.reason
  return results
}
