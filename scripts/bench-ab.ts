/**
 * `npm run bench:ab`: before and after of one change. Runs a 200 MB promote alternately with the
 * action in BENCH_BEFORE (a folder holding action.yml and its built dist/, such as a git worktree
 * of the earlier commit after `npm ci && npm run build`) and with this checkout's build, under
 * this Node; prints the median wall time and the mean CPU time (user + system) of each. CPU is the
 * steadier figure on a small shared machine: an A/A run (the same build twice) differs by about 3%
 * in wall time and 1–2% in CPU.
 * usage: BENCH_BEFORE=/tmp/before [BENCH_ROUNDS=10] node .build/scripts/bench-ab.js
 */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { cleanupRuns, repoRoot, runAction } from '../sim/runner.js'
import { promoteInputs } from '../sim/scenario.js'
import { benchSimulator, median } from './bench-world.js'

const before = process.env.BENCH_BEFORE
if (!before) throw new Error('BENCH_BEFORE: give the folder of the build to compare against')
const rounds = Number(process.env.BENCH_ROUNDS ?? 10)
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-ab-'))
const sim = await benchSimulator(work, [200])

async function promote(action: string): Promise<Run> {
  const started = process.hrtime.bigint()
  const run = await runAction({
    action,
    inputs: { ...promoteInputs(sim), 'manifest-id': '200', 'upload-artifact': 'false' },
    wrapper: ['/usr/bin/time', '-f', 'CPU %U %S']
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (run.code !== 0) throw new Error(`${action} failed:\n${run.stdout}\n${run.stderr}`)
  const cpu = run.stderr.match(/CPU ([\d.]+) ([\d.]+)/)
  await cleanupRuns()
  return { ms, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN }
}

const builds = { before: path.resolve(before), after: repoRoot() }
type Run = { ms: number; cpu: number }
const seen: Record<'before' | 'after', Run[]> = { before: [], after: [] }
await promote(builds.after) // warm the page cache
for (let i = 0; i < rounds; i++) {
  for (const which of ['before', 'after'] as const) seen[which].push(await promote(builds[which]))
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
for (const which of ['before', 'after'] as const) {
  const runs = seen[which]
  console.log(
    `${which.padEnd(6)} wall ${median(runs.map(r => r.ms)).toFixed(0)} ms (median of ${rounds}), ` +
      `CPU ${mean(runs.map(r => r.cpu)).toFixed(2)} s (mean)  [${builds[which]}]`
  )
}
await sim.stop()
await fs.rm(work, { recursive: true, force: true })
