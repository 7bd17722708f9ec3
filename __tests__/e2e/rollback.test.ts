import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { readZip, samplePackage } from '../../sim/zip.js'
import { artifactPackage, errorLines, useWorld } from './world.js'

const world = useWorld()
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
    const snapshot = await artifactPackage(
      world.artifacts.artifacts.find(a => a.name === `workato-package-12-snapshot-${FOLDER_ID}`)!
    )
    expect(world.sim.imports[1].bytes?.equals(snapshot.content)).toBe(true)
    expect(world.sim.imports[1].query).toEqual(world.sim.imports[0].query)
    expect(run.outputs['rollback-package-id']).toBe(
      String(Number(run.outputs['import-package-id']) + 1)
    )
    // the folder holds what it held before, plus nothing half-imported that the snapshot overwrote
    for (const [file, content] of Object.entries(before)) expect(folderNow()[file]).toBe(content)
    expect(zipFiles(snapshot.content)).toEqual(before)
    const errors = errorLines(run)
    expect(errors[errors.length - 1]).toContain('Connection CRM is missing')
    expect(errors[errors.length - 1]).toContain('Rolled back')
    // honest about what a rollback cannot undo: an import never deletes
    expect(errors[errors.length - 1]).toMatch(
      /The \d+ assets it added stay \(an import never deletes/
    )
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
      expect.stringContaining("Input 'rollback-on-failure' needs snapshot-manifest-id")
    ])
  })
})
