/** What bench.ts and bench-ab.ts measure against: packages on disk and a Workato that is quick. */
import * as path from 'node:path'
import { FOLDER_ID, SOURCE_TOKEN, TARGET_TOKEN } from '../sim/scenario.js'
import { WorkatoSimulator } from '../sim/workato.js'
import { writeLargePackage } from '../sim/zip.js'

export const MB = 1024 * 1024

/**
 * A simulator whose source workspace exports, as manifest "<size>", a package of that many MB
 * written into `work`, and whose jobs are done at the first status check: what is measured is
 * the client, not Workato. Imports are hashed and counted, not kept.
 */
export async function benchSimulator(work: string, sizesMb: number[]): Promise<WorkatoSimulator> {
  console.log(`Writing packages of ${sizesMb.join(', ')} MB to ${work} …`)
  const manifests: Record<string, { file: string }> = {}
  for (const size of sizesMb) {
    const file = path.join(work, `package-${size}.zip`)
    await writeLargePackage(file, size * MB)
    manifests[String(size)] = { file }
  }
  const sim = await new WorkatoSimulator({
    workspaces: [
      { name: 'dev', token: SOURCE_TOKEN, manifests, folders: [] },
      { name: 'prod', token: TARGET_TOKEN, manifests: {}, folders: [FOLDER_ID] }
    ],
    keepImportBytesUpTo: 0
  }).start()
  sim.exportScript = { ...sim.exportScript, runningChecks: 0 }
  sim.importScript = { ...sim.importScript, runningChecks: 0 }
  return sim
}

/** One line of a BENCHMARKS.md table. */
export interface Row {
  measure: string
  baseline: string
  action: string
  ratio: string
  target: string
  met: string
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  // the middle value twice for an odd count, the middle two for an even one
  const [lower, upper] = [sorted[sorted.length % 2 ? mid : mid - 1], sorted[mid]]
  if (lower === undefined || upper === undefined) return NaN // no values (BENCH_PAIRS=0)
  return (lower + upper) / 2
}
