/**
 * The steps of each mode, run in process against the simulator: the flow is testable without
 * building dist/ (the e2e suite still runs the bundle as the runner does).
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  jest,
  test
} from '@jest/globals'
import {
  FOLDER_ID,
  MANIFEST_ID,
  promoteInputs,
  SNAPSHOT_MANIFEST_ID,
  twoWorkspaces
} from '../../sim/scenario.js'
import type { WorkatoSimulator } from '../../sim/workato.js'
import { samplePackage } from '../../sim/zip.js'
import { runSteps } from '../../src/workato/flow.js'
import { parseInputs } from '../../src/workato/inputs.js'
import { newRecord, outcomeOf, type RunRecord } from '../../src/workato/record.js'

let sim: WorkatoSimulator
let temp = ''
const saved = { ...process.env }
beforeAll(() => {
  // quiet: the steps log through @actions/core, which writes to stdout
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(() => {
  jest.restoreAllMocks()
})
beforeEach(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), 'flow-'))
  Object.assign(process.env, {
    RUNNER_TEMP: temp,
    WORKATO_PROMOTE_RETRY_BASE_MS: '20',
    WORKATO_PROMOTE_QUOTA_WINDOW_MS: '300'
  })
  sim = await twoWorkspaces().start()
  sim.exportScript = { ...sim.exportScript, runningChecks: 0 }
  sim.importScript = { ...sim.importScript, runningChecks: 0 }
  sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Sync accounts'], 0) }
})
afterEach(async () => {
  await sim.stop()
  await rm(temp, { recursive: true, force: true })
  process.env = { ...saved }
})

async function run(inputs: Record<string, string> = {}): Promise<RunRecord> {
  const all: Record<string, string> = {
    ...promoteInputs(sim),
    'upload-artifact': 'false',
    ...inputs
  }
  const config = parseInputs(name => all[name] ?? '', { RUNNER_TEMP: temp })
  const record = newRecord(config)
  await runSteps(config, record)
  return record
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('promote', () => {
  test('exports, imports the same bytes, reads every recipe: succeeded', async () => {
    const record = await run()
    expect(outcomeOf(record)).toBe('succeeded')
    expect(record.export?.packageId).toBe('240')
    expect(record.package?.sha256).toBe(sha256(await readFile(record.package!.path)))
    expect(sim.imports.map(i => [i.folderId, i.sha256])).toEqual([
      [FOLDER_ID, record.package?.sha256]
    ])
    expect(record.import?.recipes?.map(r => r.ok)).toEqual([true, true, true])
    expect(record.failures).toEqual([])
  })

  test('a recipe that did not import cleanly is a failure the record keeps', async () => {
    sim.importScript = {
      ...sim.importScript,
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
    sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
    const record = await run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(outcomeOf(record)).toBe('rolled-back')
    expect(record.stage).toBe('wait for rollback')
    expect(sim.imports[1].sha256).toBe(record.snapshot?.file?.sha256)
    expect(record.rollback?.packageId).toBeDefined()
  })

  test('with a snapshot that already holds the package: unchanged, nothing imported', async () => {
    sim.workspace('prod').folderContents = {
      [FOLDER_ID]: sim.workspace('dev').manifests[MANIFEST_ID] as Buffer
    }
    const record = await run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(outcomeOf(record)).toBe('unchanged')
    expect(sim.importPosts).toEqual([])
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
    expect(sim.importPosts).toEqual([])
  })

  test('export: the package, and no target touched', async () => {
    const record = await run({ mode: 'export', 'target-token': '', 'folder-id': '' })
    expect(outcomeOf(record)).toBe('succeeded')
    expect(record.package?.inventory?.filter(a => a.type === 'recipe')).toHaveLength(3)
    expect(sim.requests.some(r => r.url.startsWith('/api/packages/import/'))).toBe(false)
  })

  test('import: the given zip, checked against package-sha256 before anything is sent', async () => {
    const zip = path.join(temp, 'given.zip')
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
    expect(sim.importPosts).toEqual([])
    const record = await run({
      mode: 'import',
      'source-token': '',
      'manifest-id': '',
      'package-path': zip
    })
    expect(outcomeOf(record)).toBe('succeeded')
    expect(sim.imports[0].sha256).toBe(sha256(bytes))
  })
})
