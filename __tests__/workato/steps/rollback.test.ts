/** The rollback step alone: after a failed import, the snapshot's bytes imported back. */
import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../../sim/scenario.js'
import { samplePackage } from '../../../sim/zip.js'
import type { ImportConfig } from '../../../src/workato/inputs.js'
import { checkGivenPackage } from '../../../src/workato/steps/package.js'
import { rollBackIfFailed } from '../../../src/workato/steps/rollback.js'
import { snapshotAndPlan } from '../../../src/workato/steps/snapshot.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess(sim => {
  process.env.WORKATO_PROMOTE_CLOCK_SCALE = '0.01'
  sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Sync accounts'], 0) }
})

/** Import mode with a snapshot taken, and the import (not run here) recorded as failed. */
async function afterFailedImport(inputs: Record<string, string> = {}) {
  const file = path.join(steps.temp, 'release.zip')
  await writeFile(file, samplePackage(['Sync accounts'], 1))
  const { run, config, record } = steps.context({
    mode: 'import',
    'package-path': file,
    'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
    ...inputs
  })
  const pkg = await checkGivenPackage(config as ImportConfig, record)
  await snapshotAndPlan(run, config as ImportConfig, { manifestId: SNAPSHOT_MANIFEST_ID }, pkg)
  record.failures.push('1 of 1 recipe did not import cleanly into folder 34.')
  return { run, config: config as ImportConfig, record }
}

describe('rollBackIfFailed', () => {
  test('the snapshot’s own bytes go back into the folder; a clean rollback has no problem', async () => {
    const { run, config, record } = await afterFailedImport()
    await rollBackIfFailed(run, config)
    expect(steps.sim.imports.map(i => [i.folderId, i.sha256])).toEqual([
      [FOLDER_ID, record.snapshot?.file?.sha256]
    ])
    expect(record.rollback).toEqual({
      packageId: expect.any(String),
      recipes: [expect.objectContaining({ ok: true })]
    })
    expect(record.stage).toBe('wait for rollback')
  })

  test('nothing failed, or rollback-on-failure is off: nothing is imported', async () => {
    const clean = await afterFailedImport()
    clean.record.failures = []
    await rollBackIfFailed(clean.run, clean.config)
    const off = await afterFailedImport({ 'rollback-on-failure': 'false' })
    await rollBackIfFailed(off.run, off.config)
    expect(steps.sim.importPosts).toEqual([])
    expect([clean.record.rollback, off.record.rollback]).toEqual([undefined, undefined])
  })

  test('an empty snapshot: not rolled back, and the record says why', async () => {
    steps.sim.workspace('prod').folderContents = {}
    const { run, config, record } = await afterFailedImport()
    await rollBackIfFailed(run, config)
    expect(steps.sim.importPosts).toEqual([])
    expect(record.rollbackSkipped).toBe(
      `folder ${FOLDER_ID} held nothing before this import (the snapshot is empty), so there is nothing to restore`
    )
  })

  test('a rollback Workato fails: the problem is recorded, not thrown (the job fails either way)', async () => {
    steps.sim.importScript = { ...steps.sim.importScript, outcome: 'failed', error: 'Bad asset' }
    const { run, config, record } = await afterFailedImport()
    await expect(rollBackIfFailed(run, config)).resolves.toBeUndefined()
    expect(record.rollback?.problem).toMatch(
      /^the rollback import \(package \d+\) failed: Bad asset$/
    )
  })
})
