/** The snapshot step alone: the target folder exported as it is, then the package planned against it. */
import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../../sim/scenario.js'
import { samplePackage } from '../../../sim/zip.js'
import type { ImportConfig } from '../../../src/workato/inputs.js'
import { checkGivenPackage } from '../../../src/workato/steps/package.js'
import { nothingToImport, snapshotAndPlan } from '../../../src/workato/steps/snapshot.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess(sim => {
  sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Sync accounts'], 0) }
  process.env.WORKATO_PROMOTE_CLOCK_SCALE = '0.01'
})

async function ready(bytes: Buffer, inputs: Record<string, string> = {}) {
  const file = path.join(steps.temp, 'release.zip')
  await writeFile(file, bytes)
  const { run, config, record } = steps.context({
    mode: 'import',
    'package-path': file,
    'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
    ...inputs
  })
  const pkg = await checkGivenPackage(config as ImportConfig, record)
  return { run, config: config as ImportConfig, record, pkg }
}

describe('snapshotAndPlan', () => {
  test('the folder as it is, kept on disk, and what the package would change, asset by asset', async () => {
    const { run, config, record, pkg } = await ready(
      samplePackage(['Sync accounts', 'Nightly export'], 1)
    )
    const plan = await snapshotAndPlan(run, config, { manifestId: SNAPSHOT_MANIFEST_ID }, pkg)
    expect(plan).toEqual({
      added: ['Integrations/nightly_export.recipe.json'],
      changed: ['Integrations/sync_accounts.recipe.json'],
      unchanged: [
        'Integrations/crm_connection.connection.json',
        'account_properties.properties.json'
      ],
      onlyInTarget: []
    })
    expect(record.snapshot?.plan).toBe(plan)
    expect(record.snapshot?.file).toMatchObject({ recipes: 1, assets: 3 })
    // the snapshot is an export of the target's manifest, never an import
    expect(steps.sim.exportPosts).toEqual([SNAPSHOT_MANIFEST_ID])
    expect(steps.sim.importPosts).toEqual([])
  })
})

describe('nothingToImport', () => {
  test('the target already holds the package unchanged: skipped, and the record says so', async () => {
    const { run, config, record, pkg } = await ready(samplePackage(['Sync accounts'], 0))
    expect(await nothingToImport(run, config, pkg)).toBe(true)
    expect(record.skippedUnchanged).toBe(true)
  })

  test('unchanged, but skip-unchanged is off: imported anyway', async () => {
    const { run, config, record, pkg } = await ready(samplePackage(['Sync accounts'], 0), {
      'skip-unchanged': 'false'
    })
    expect(await nothingToImport(run, config, pkg)).toBe(false)
    expect(record.skippedUnchanged).toBeUndefined()
    expect(record.snapshot?.plan?.changed).toEqual([])
  })

  test('without a snapshot manifest: nothing to plan, nothing exported', async () => {
    const file = path.join(steps.temp, 'release.zip')
    await writeFile(file, samplePackage())
    const { run, config, record } = steps.context({ mode: 'import', 'package-path': file })
    const pkg = await checkGivenPackage(config as ImportConfig, record)
    expect(await nothingToImport(run, config as ImportConfig, pkg)).toBe(false)
    expect(steps.sim.exportPosts).toEqual([])
  })
})
