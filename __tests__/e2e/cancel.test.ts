import type { ChildProcess } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { describe, expect, test } from '@jest/globals'
import { errorLines, hasStackTrace, useWorld } from './world.js'

const world = useWorld()

/** Signals the child once `ready` holds, as a runner does when a workflow is cancelled. */
function cancelWhen(ready: () => boolean, signals: NodeJS.Signals[]) {
  let sentAt = 0
  const onSpawn = (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (!ready()) return
      clearInterval(timer)
      sentAt = Date.now()
      child.kill(signals[0])
      if (signals[1]) setTimeout(() => child.kill(signals[1]), 300)
    }, 20)
    child.on('close', () => clearInterval(timer))
  }
  return { onSpawn, sentAt: () => sentAt }
}

describe('cancellation', () => {
  test.each([['SIGINT'], ['SIGTERM']] as const)(
    '%s mid-wait: summary, outcome cancelled, exit within seconds',
    async signal => {
      world.sim.exportScript = { ...world.sim.exportScript, runningChecks: 10_000 }
      const cancel = cancelWhen(() => world.sim.jobStatusChecks(240) >= 2, [signal, 'SIGTERM'])
      const started = Date.now()
      const run = await world.run({}, { onSpawn: cancel.onSpawn })
      const tookAfterSignal = started + run.ms - cancel.sentAt()

      expect(run.code).toBe(1)
      expect(tookAfterSignal).toBeLessThan(3000)
      expect(run.outputs.outcome).toBe('cancelled')
      expect(run.outputs['export-package-id']).toBe('240')
      const [error] = errorLines(run)
      expect(error).toContain(`Cancelled (${signal}) during "wait for export"`)
      expect(error).toContain('Export package 240 may still be running in Workato')
      expect(run.summary).toContain('## 🛑 Workato promotion cancelled')
      expect(run.summary).toContain('Stopped at | wait for export')
      expect(hasStackTrace(run)).toBe(false)
      // polling stopped: no status check after the signal
      const after = world.sim.requests.filter(r => r.at > cancel.sentAt() + 100)
      expect(after).toEqual([])
      expect(world.sim.importPosts).toEqual([])
    }
  )

  test('during a download: no file that looks like a package is left', async () => {
    world.sim.fault('storage', { kind: 'stall', ms: 20_000 })
    let temp = ''
    let partialSeen: string[] = []
    const partialWritten = () => {
      partialSeen = temp ? readdirSync(temp).filter(f => f.endsWith('.partial')) : []
      return partialSeen.length > 0
    }
    const cancel = cancelWhen(partialWritten, ['SIGINT'])
    const run = await world.run(
      {},
      {
        onSpawn: (child, dirs) => {
          temp = dirs.runnerTemp
          cancel.onSpawn(child)
        }
      }
    )
    expect(partialSeen).toEqual([
      expect.stringMatching(/^\.workato-package-12\.zip\.[0-9a-f]{16}\.partial$/)
    ])
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('cancelled')
    expect(errorLines(run)[0]).toContain(
      'Cancelled (SIGINT) during "download". Nothing was imported.'
    )
    expect(run.outputs['package-path']).toBeUndefined()
    expect(await readdir(run.runnerTemp)).toEqual([])
  })

  test('during the import wait: says the import may still be running', async () => {
    world.sim.importScript = { ...world.sim.importScript, runningChecks: 10_000 }
    const cancel = cancelWhen(() => world.sim.jobStatusChecks(241) >= 1, ['SIGTERM'])
    const run = await world.run({}, { onSpawn: cancel.onSpawn })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ outcome: 'cancelled', 'import-package-id': '241' })
    const [error] = errorLines(run)
    expect(error).toContain(
      'The import into folder 34 (package 241) may still be running in Workato'
    )
    expect(run.summary).toContain('import package `241`')
  })

  test('during the snapshot wait: says the snapshot export may still be running', async () => {
    world.sim.exportScripts.push({}, { runningChecks: 10_000 })
    const cancel = cancelWhen(() => world.sim.jobStatusChecks(241) >= 1, ['SIGINT'])
    const run = await world.run({ 'snapshot-manifest-id': '90' }, { onSpawn: cancel.onSpawn })
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('cancelled')
    expect(errorLines(run)[0]).toContain(
      'Cancelled (SIGINT) during "wait for snapshot". The snapshot export of manifest 90 may still be running'
    )
    expect(world.sim.importPosts).toEqual([])
  })
})
