/**
 * The Torizon action cancelled by a signal, through its bundle. Every other fault (rate limits,
 * lost answers, expiring tokens, deadlines) is a test of logic, in ../torizon/faults.test.ts.
 */
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { useTorizon } from './torizon-world.js'
import { errorLines } from './world.js'

const world = useTorizon()

describe('torizon faults', () => {
  // e2e: a signal to the bundle's process, its entry point exiting at once rather than wait
  test('cancelled mid-upload: outcome cancelled, says a re-run is safe, exits at once', async () => {
    world.sim.uploadChunkDelayMs = 1000
    let sentAt = 0
    const onSpawn = (child: ChildProcess) => {
      const timer = setInterval(() => {
        if (world.sim.uploads().length === 0) return
        clearInterval(timer)
        sentAt = Date.now()
        child.kill('SIGINT')
      }, 20)
      child.on('close', () => clearInterval(timer))
    }
    const big = randomBytes(8 * 1024 * 1024)
    const run = await world.run({}, { onSpawn, files: { 'docker-compose.yml': big } })

    expect(sentAt).toBeGreaterThan(0)
    // what is left of the upload takes over two minutes at a second a chunk
    expect(Date.now() - sentAt).toBeLessThan(20_000)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('cancelled')
    expect(errorLines(run)).toEqual([
      '::error::Cancelled (SIGINT) during the upload step of publishing version 1.4.0 of acme-app. The upload may or may not have reached Torizon Cloud. Re-running the job is safe: a package that arrived is found by its sha256 and reported as already published.'
    ])
    expect(run.summary).toContain('## 🛑 Torizon publish cancelled')
    expect(world.sim.packages).toEqual([])
  })
})
