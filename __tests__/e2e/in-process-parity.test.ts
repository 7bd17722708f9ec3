/**
 * The in-process runner is only worth its speed if it reports what the bundle reports: the same
 * promotion, once each way on a fresh world, gives the same exit code, outputs and summary (the
 * runner's own folders aside). If the two ever drift, the tests moved in process stop proving
 * anything about the action users run.
 */
import { describe, expect, test } from '@jest/globals'
import type { ActionRun } from '../../sim/runner.js'
import { startWorld } from './world.js'

/** What the run reported, its folders, timings, ports and artifact zip written the same way. */
function reported(run: ActionRun) {
  // upload-artifact zips the package with the file's time in it: its digest differs between two
  // runs a second apart, whichever way they ran
  const zipDigest = run.outputs['artifact-digest'] ?? '<none>'
  const same = (text: string) =>
    text
      .split(zipDigest)
      .join('<artifact zip digest>')
      .split(run.runnerTemp)
      .join('<runner temp>')
      .split(run.workspace)
      .join('<workspace>')
      .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<time>')
      // each world's simulator listens on a port of its own
      .replace(/127\.0\.0\.(1|2):\d+/g, '<simulator>')
  return {
    code: run.code,
    outputs: Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, same(v)])),
    summary: same(run.summary),
    errors: run.stdout
      .split('\n')
      .filter(l => /^::(error|warning)/.test(l))
      .map(same)
  }
}

async function runOnce(runner: 'bundle' | 'in-process', inputs: Record<string, string>) {
  const world = await startWorld({ runner })
  try {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [
        { id: 1, import_result: 'restarted' },
        { id: 2, import_result: 'stop_failed' }
      ]
    }
    return reported(await world.run(inputs))
  } finally {
    await world.stop()
  }
}

describe('in process and through the bundle', () => {
  test.each([
    ['a promotion with a recipe that did not import cleanly', {}],
    ['refused inputs', { 'manifest-id': 'twelve', 'folder-idd': '34' }]
  ])('%s: the same report', async (_what, inputs: Record<string, string>) => {
    const bundle = await runOnce('bundle', inputs)
    const inProcess = await runOnce('in-process', inputs)
    expect(bundle.code).toBe(1)
    expect(inProcess).toEqual(bundle)
  })
})
