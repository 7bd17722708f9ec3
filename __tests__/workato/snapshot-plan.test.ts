/**
 * The snapshot of the target folder and the plan read from it, the whole action in process: plan
 * mode's differences, and a promote that skips an unchanged release.
 */
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { makeZip, readZip, samplePackage } from '../../sim/zip.js'
import { artifactPackage, errorLines, useWorld } from '../e2e/world.js'
import { item } from '../checked.js'
import { jsonOutput } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })

/** The target folder as an older release left it, plus an asset only the target has. */
function olderTarget(): Buffer {
  const entries = readZip(samplePackage(['Sync accounts'], 0)).map(e => ({
    name: e.name,
    content: e.content
  }))
  return makeZip([
    ...entries,
    { name: 'Integrations/legacy.lookup_table.json', content: '{"rows":[]}' }
  ])
}

describe('snapshot and plan', () => {
  test('mode plan: every kind of difference, both packages kept, nothing imported', async () => {
    world.sim.workspace('prod').folderContents = { [FOLDER_ID]: olderTarget() }
    const run = await world.run({
      mode: 'plan',
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
      'folder-id': ''
    })
    expect(errorLines(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(world.sim.importPosts).toEqual([])
    expect(world.sim.exportPosts).toEqual([MANIFEST_ID, SNAPSHOT_MANIFEST_ID])
    expect(jsonOutput(run, 'plan')).toEqual({
      added: [
        'Integrations/nightly_export.recipe.json',
        'Integrations/notify_on_failure.recipe.json'
      ],
      changed: ['Integrations/sync_accounts.recipe.json'],
      unchanged: [
        'Integrations/crm_connection.connection.json',
        'account_properties.properties.json'
      ],
      onlyInTarget: ['Integrations/legacy.lookup_table.json']
    })
    expect(run.outputs.outcome).toBe('succeeded')
    expect(run.outputs['snapshot-package-id']).toBe('241')
    expect(run.outputs['snapshot-sha256']).toMatch(/^[0-9a-f]{64}$/)
    const names = world.artifacts.artifacts.map(a => a.name)
    expect(names).toEqual(['workato-package-12', 'workato-package-12-snapshot-manifest-90'])
    const snapshot = await artifactPackage(item(world.artifacts.artifacts, 1))
    expect(readZip(snapshot.content).map(e => e.name)).toContain(
      'Integrations/legacy.lookup_table.json'
    )
    // one asset table with the plan's change column: changes first, then the target's own, then the unchanged
    const summary = run.summary
    expect(summary).toContain('### Plan: 2 added, 1 changed, 2 unchanged, 1 only in target')
    const order = ['| changed |', '| added |', '| only in target |', '| unchanged |']
    const at = order.map(cell => summary.indexOf(cell))
    expect(at.every(i => i > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(summary).toContain('| Change | Path | Type | Name |')
    // in plan mode there is no folder to name
    expect(summary).not.toContain('undefined')
    expect(summary).toContain('## 📋 Workato plan: what an import would change')
  })

  test('promote with a snapshot imports; a rerun of the same release is a no-op', async () => {
    const first = await world.run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(first.code).toBe(0)
    expect((jsonOutput(first, 'plan') as { added: string[] }).added).toHaveLength(5)
    expect(world.sim.importPosts).toEqual([FOLDER_ID])

    const again = await world.run({
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
      'upload-artifact': 'false'
    })
    expect(again.code).toBe(0)
    expect(again.outputs.outcome).toBe('unchanged')
    expect(jsonOutput(again, 'plan')).toMatchObject({ added: [], changed: [] })
    expect(world.sim.importPosts).toEqual([FOLDER_ID])
    expect(again.summary).toContain('Nothing to promote')
    expect(again.outputs['import-package-id']).toBeUndefined()

    const forced = await world.run({
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
      'upload-artifact': 'false',
      'skip-unchanged': 'false'
    })
    expect(forced.code).toBe(0)
    expect(forced.outputs.outcome).toBe('succeeded')
    expect(world.sim.importPosts).toEqual([FOLDER_ID, FOLDER_ID])
  })

  test('a changed package is imported, and the next snapshot shows it', async () => {
    world.sim.workspace('prod').folderContents = { [FOLDER_ID]: olderTarget() }
    const run = await world.run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(run.code).toBe(0)
    expect(world.sim.imports).toHaveLength(1)
    const after = await world.run({
      mode: 'plan',
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
      'folder-id': '',
      'upload-artifact': 'false'
    })
    expect(jsonOutput(after, 'plan')).toMatchObject({
      added: [],
      changed: [],
      onlyInTarget: ['Integrations/legacy.lookup_table.json']
    })
  })
})
