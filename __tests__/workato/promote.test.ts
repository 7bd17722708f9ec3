/**
 * A promote's details, the whole action in process: where the package comes from, what the import
 * is told, how long jobs are waited out, where the package and its artifact go. The one promote
 * through the bundle, and the token's path on a real process's output, stay in e2e/promote.
 */
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { MANIFEST_ID } from '../../sim/scenario.js'
import { artifactPackage, useWorld } from '../e2e/world.js'
import { item } from '../checked.js'
import { jsonOutput } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })

/** The action's clock runs this much faster than real time where a test waits out jobs. */
const CLOCK_SCALE = 0.5

describe('promote', () => {
  test('a direct 200 from /download works as well as a redirect', async () => {
    world.sim.downloadMode = 'direct'
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(world.sim.requests.filter(r => r.host === 'storage')).toHaveLength(0)
    expect(
      item(world.sim.imports, 0).bytes?.equals(
        world.sim.workspace('dev').manifests[MANIFEST_ID] as Buffer
      )
    ).toBe(true)
  })

  test('import options go to Workato as lower-case query parameters', async () => {
    const run = await world.run({
      'restart-recipes': 'true',
      'include-tags': 'True',
      'folder-id-for-home-assets': '77'
    })
    expect(run.code).toBe(0)
    expect(item(world.sim.imports, 0).query).toEqual({
      restart_recipes: 'true',
      include_tags: 'true',
      folder_id_for_home_assets: '77'
    })
  })

  test('slow jobs: running statuses, known or not, are waited out', async () => {
    const { sim } = world
    sim.exportScript = {
      ...sim.exportScript,
      runningChecks: 3,
      runningStatuses: ['in_progress', 'processing', 'queued_for_export']
    }
    sim.importScript = { ...sim.importScript, runningChecks: 2, runningStatuses: ['processing'] }
    // the waits' seconds on a faster clock: the schedule's gaps are read back in its time
    const run = await world.run({}, { env: { WORKATO_PROMOTE_CLOCK_SCALE: String(CLOCK_SCALE) } })
    expect(run.code).toBe(0)
    expect(sim.jobStatusChecks(240)).toBe(4)
    expect(sim.jobStatusChecks(241)).toBe(3)
    // checks at once after the POST, then about a second apart
    const checks = sim.requests.filter(r => r.url === '/api/packages/240').map(r => r.at)
    const gap = (item(checks, 1) - item(checks, 0)) / CLOCK_SCALE
    expect(gap).toBeGreaterThanOrEqual(900)
    expect(gap).toBeLessThan(2000)
  })

  test('an import POST that already answers completed is still read by id, once', async () => {
    world.sim.importScript = { ...world.sim.importScript, completeOnPost: true }
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(world.sim.requests.filter(r => r.url === '/api/packages/241')).toHaveLength(1)
    expect(run.outputs['failed-recipes']).toBe('0')
    expect(jsonOutput(run, 'recipe-results')).toHaveLength(3)
  })

  test('package-path and artifact-name are honoured', async () => {
    const run = await world.run({
      'package-path': 'out/release.zip',
      'artifact-name': 'prod-release',
      'retention-days': '5'
    })
    expect(run.code).toBe(0)
    expect(run.outputs['package-path']).toBe(path.join(run.workspace, 'out', 'release.zip'))
    const kept = item(world.artifacts.artifacts, 0)
    expect(kept.name).toBe('prod-release')
    expect((await artifactPackage(kept)).name).toBe('release.zip')
    const days = (Date.parse(kept.expiresAt ?? '') - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(4.9)
    expect(days).toBeLessThan(5.1)
  })
})
