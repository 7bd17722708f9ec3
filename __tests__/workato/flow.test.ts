/**
 * The steps of each mode, run in process against the simulator: the flow is testable without
 * building dist/ (the e2e suite still runs the bundle as the runner does).
 */
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { samplePackage } from '../../sim/zip.js'
import { outcomeOf } from '../../src/workato/record.js'
import { item, present } from '../checked.js'
import { useInProcess } from './in-process.js'

const steps = useInProcess(sim => {
  sim.exportScript = { ...steps.sim.exportScript, runningChecks: 0 }
  sim.importScript = { ...steps.sim.importScript, runningChecks: 0 }
  sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Sync accounts'], 0) }
})
const run = steps.run

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('promote', () => {
  test('exports, imports the same bytes, reads every recipe: succeeded', async () => {
    const record = await run()
    expect(outcomeOf(record)).toBe('succeeded')
    expect(record.export?.packageId).toBe('240')
    expect(record.package?.sha256).toBe(
      sha256(await readFile(present(record.package, 'the package').path))
    )
    expect(steps.sim.imports.map(i => [i.folderId, i.sha256])).toEqual([
      [FOLDER_ID, record.package?.sha256]
    ])
    expect(record.import?.recipes?.map(r => r.ok)).toEqual([true, true, true])
    expect(record.failures).toEqual([])
  })

  test('a recipe that did not import cleanly is a failure the record keeps', async () => {
    steps.sim.importScript = {
      ...steps.sim.importScript,
      recipeStatus: [
        { id: 1, import_result: 'restarted' },
        { id: 2, import_result: 'stopped' }
      ]
    }
    const record = await run()
    expect(outcomeOf(record)).toBe('failed')
    expect(record.failures).toEqual([
      `1 of 2 recipes did not import cleanly into folder ${FOLDER_ID}.`
    ])
  })

  test('with a snapshot: a failed import is rolled back with the snapshot’s bytes', async () => {
    steps.sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
    const record = await run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(outcomeOf(record)).toBe('rolled-back')
    expect(record.stage).toBe('wait for rollback')
    expect(item(steps.sim.imports, 1, 'import').sha256).toBe(record.snapshot?.file?.sha256)
    expect(record.rollback?.packageId).toBeDefined()
  })

  test('with a snapshot that already holds the package: unchanged, nothing imported', async () => {
    steps.sim.workspace('prod').folderContents = {
      [FOLDER_ID]: steps.sim.workspace('dev').manifests[MANIFEST_ID] as Buffer
    }
    const record = await run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(outcomeOf(record)).toBe('unchanged')
    expect(steps.sim.importPosts).toEqual([])
  })
})

describe('other modes', () => {
  test('plan: the plan, and nothing imported', async () => {
    const record = await run({
      mode: 'plan',
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
      'folder-id': ''
    })
    expect(outcomeOf(record)).toBe('succeeded')
    expect(record.snapshot?.plan?.added.length).toBeGreaterThan(0)
    expect(steps.sim.importPosts).toEqual([])
  })

  test('export: the package, and no target touched', async () => {
    const record = await run({ mode: 'export', 'target-token': '', 'folder-id': '' })
    expect(outcomeOf(record)).toBe('succeeded')
    expect(record.package?.inventory?.filter(a => a.type === 'recipe')).toHaveLength(3)
    expect(steps.sim.requests.some(r => r.url.startsWith('/api/packages/import/'))).toBe(false)
  })

  test('import: the given zip, checked against package-sha256 before anything is sent', async () => {
    const zip = path.join(steps.temp, 'given.zip')
    const bytes = samplePackage(['Given'])
    await writeFile(zip, bytes)
    const wrong = run({
      mode: 'import',
      'source-token': '',
      'manifest-id': '',
      'package-path': zip,
      'package-sha256': 'ab'.repeat(32)
    })
    await expect(wrong).rejects.toThrow("Input 'package-sha256' does not match the package")
    expect(steps.sim.importPosts).toEqual([])
    const record = await run({
      mode: 'import',
      'source-token': '',
      'manifest-id': '',
      'package-path': zip
    })
    expect(outcomeOf(record)).toBe('succeeded')
    expect(steps.sim.imports[0]?.sha256).toBe(sha256(bytes))
  })
})
