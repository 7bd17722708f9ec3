/**
 * Rollback after a failed import, the whole action in process: the snapshot of the target folder
 * goes back byte for byte, with the same options, and the error line and summary say what a
 * rollback cannot undo. Nothing here needs the bundle.
 */
import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { readZip, samplePackage } from '../../sim/zip.js'
import { artifactPackage, errorLines, useWorld } from '../e2e/world.js'
import { item } from '../checked.js'
import { output } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })
beforeEach(() => {
  // the target folder as the previous release left it
  world.sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Sync accounts'], 0) }
})

const withSnapshot = { 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID }
const folderNow = () =>
  Object.fromEntries(
    [...world.sim.folderFiles(world.sim.workspace('prod'), FOLDER_ID)].map(([k, v]) => [
      k,
      v.toString()
    ])
  )
const zipFiles = (zip: Buffer) =>
  Object.fromEntries(
    readZip(zip)
      .filter(e => !e.name.endsWith('/'))
      .map(e => [e.name, e.content.toString()])
  )

describe('rollback', () => {
  test('after a failed import: the snapshot goes back, outcome rolled-back, the job fails', async () => {
    const before = folderNow()
    world.sim.importScripts.push({
      outcome: 'failed',
      error: 'Connection CRM is missing',
      recipeStatus: [{ id: 7, import_result: 'stopped' }]
    })
    const run = await world.run(withSnapshot)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('rolled-back')
    expect(world.sim.importPosts).toEqual([FOLDER_ID, FOLDER_ID])
    // the second import is the snapshot, byte for byte, with the same options
    const kept = world.artifacts.artifacts.find(
      a => a.name === `workato-package-12-snapshot-${FOLDER_ID}`
    )
    if (!kept) throw new Error('the snapshot was not kept as an artifact')
    const snapshot = await artifactPackage(kept)
    const [first, second] = [item(world.sim.imports, 0), item(world.sim.imports, 1)]
    expect(second.bytes?.equals(snapshot.content)).toBe(true)
    expect(second.query).toEqual(first.query)
    expect(run.outputs['rollback-package-id']).toBe(
      String(Number(output(run, 'import-package-id')) + 1)
    )
    // the folder holds what it held before, plus nothing half-imported that the snapshot overwrote
    for (const [file, content] of Object.entries(before)) expect(folderNow()[file]).toBe(content)
    expect(zipFiles(snapshot.content)).toEqual(before)
    const error = item(errorLines(run), -1)
    expect(error).toContain('Connection CRM is missing')
    expect(error).toContain('Rolled back')
    // honest about what a rollback cannot undo: an import never deletes
    expect(error).toMatch(/The \d+ assets it added stay \(an import never deletes/)
    expect(run.summary).toContain('## ↩️ Workato promotion failed and was rolled back')
    expect(run.summary).toMatch(
      /### Rollback \(import package `\d+`\): ✅ the snapshot was restored/
    )
  })

  test('after recipe failures in a completed import', async () => {
    world.sim.importScripts.push({
      recipeStatus: [
        { id: 1, import_result: 'restarted' },
        { id: 2, import_result: 'restart_failed' }
      ]
    })
    const run = await world.run(withSnapshot)
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ outcome: 'rolled-back', 'failed-recipes': '1' })
    expect(errorLines(run).some(l => l.includes('Recipe 2'))).toBe(true)
    expect(world.sim.imports).toHaveLength(2)
  })

  test('a rollback that itself fails is loud', async () => {
    world.sim.importScripts.push(
      { outcome: 'failed', error: 'first' },
      { outcome: 'failed', error: 'second' }
    )
    const run = await world.run(withSnapshot)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('rollback-failed')
    const last = errorLines(run).pop()
    expect(last).toContain('ROLLBACK FAILED')
    expect(last).toContain('second')
    expect(last).toContain(
      `Restore folder ${FOLDER_ID} by hand from the artifact workato-package-12-snapshot-${FOLDER_ID}.`
    )
    expect(run.summary).toContain('🚨')
    expect(run.summary).toContain('### Rollback')
  })

  test('a first release into an empty folder: nothing to roll back to, so no rollback, and it says so', async () => {
    world.sim.workspace('prod').folderContents = {}
    world.sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
    const run = await world.run(withSnapshot)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(world.sim.imports).toHaveLength(1)
    const last = errorLines(run).pop()
    expect(last).toContain(
      `Not rolled back: folder ${FOLDER_ID} held nothing before this import (the snapshot is empty), so there is nothing to restore.`
    )
    expect(last).toMatch(/The \d+ assets it added stay/)
    expect(last).not.toContain('ROLLBACK FAILED')
  })

  test('rollback-on-failure: false leaves the failed import alone', async () => {
    world.sim.importScripts.push({ outcome: 'failed' })
    const run = await world.run({ ...withSnapshot, 'rollback-on-failure': 'false' })
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(world.sim.imports).toHaveLength(1)
  })

  test('without a snapshot nothing is rolled back, and asking for it is an input error', async () => {
    world.sim.importScripts.push({ outcome: 'failed' })
    const run = await world.run()
    expect(run.outputs.outcome).toBe('failed')
    expect(world.sim.imports).toHaveLength(1)
    const asked = await world.run({ 'rollback-on-failure': 'true' })
    expect(errorLines(asked)).toEqual([
      expect.stringContaining(
        "Input 'rollback-on-failure' needs a snapshot (snapshot: true, or snapshot-manifest-id)"
      )
    ])
  })
})
