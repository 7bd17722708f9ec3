/**
 * How a promotion ends, where only the built action in its own process can show it; the rest of
 * the outcomes run in process, in ../workato/outcomes.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { errorLines, hasStackTrace, useWorld } from './world.js'

const world = useWorld()

/**
 * The action's clock runs twice as fast here (WORKATO_PROMOTE_CLOCK_SCALE): the 2 s wait takes 1 s,
 * and a first status check may still take half a second of real time before the second is late.
 */
const SCALE = 0.5

/**
 * Real time a loaded machine may take to start the bundle, end it and hand back its files. A
 * handle left open would hold the process far longer: the 60 s socket timeout or the 120 s
 * request deadline of a request still running, or polling a job that is never done.
 */
const PROCESS_ALLOWANCE_MS = 10_000

describe('jobs that do not finish', () => {
  // run.ms is the process's life: that it ends at the deadline, and nothing keeps it alive after,
  // only a process of its own can show
  test('past wait-timeout: outcome timed-out, the package id to check, and the process ends', async () => {
    world.sim.exportScript = { ...world.sim.exportScript, runningChecks: 1000 }
    const run = await world.run(
      { 'wait-timeout': '2' },
      { env: { WORKATO_PROMOTE_CLOCK_SCALE: String(SCALE) } }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('timed-out')
    expect(world.sim.importPosts).toEqual([])
    const [error] = errorLines(run)
    expect(error).toContain('package 240')
    expect(error).toContain('may still be running in Workato')
    expect(run.summary).toContain('## ⏱️ Workato promotion timed out')
    expect(run.ms).toBeLessThan(2000 * SCALE + PROCESS_ALLOWANCE_MS)
    // checked at once, then about every second until the deadline: polling ended there
    expect(world.sim.jobStatusChecks(240)).toBeGreaterThanOrEqual(3)
    expect(world.sim.jobStatusChecks(240)).toBeLessThanOrEqual(4)
  })
})

describe('the runner', () => {
  // the exit code of a process and its stderr, where a stack trace escaping the run would go
  test('an output file that cannot be written: the summary is still written, one error, no stack', async () => {
    const run = await world.run({}, { env: { GITHUB_OUTPUT: '/nonexistent/output' } })
    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringContaining('Unexpected error: Missing file at path')
    ])
    expect(hasStackTrace(run)).toBe(false)
    expect(run.summary).toContain('✅ Workato promotion succeeded')
  })
})
