/**
 * Manifests the action makes and the manifests it is given, the whole action in process: what is
 * sent to make one, what a refusal says, the readings of auto_generate_assets Workato leaves
 * open, deletion on every ending, and given manifests that leave out what their folder holds.
 * Through the bundle: e2e/manifests.test.ts.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from '@jest/globals'
import {
  fillSourceFolder,
  FOLDER_ID,
  MANIFEST_ID,
  SOURCE_FOLDER_ID,
  SOURCE_TOKEN
} from '../../sim/scenario.js'
import { fileNames, samplePackage } from '../../sim/zip.js'
import { manifestName } from '../../src/workato/manifests.js'
import { output } from '../e2e/run-values.js'
import { errorLines, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })
const SOURCE_FOLDER = SOURCE_FOLDER_ID
const sourceFolder = () => fillSourceFolder(world.sim)
const names = fileNames
const byFolder = { 'manifest-id': '', 'source-folder-id': SOURCE_FOLDER }
const warnings = (log: string) => log.split('\n').filter(l => l.startsWith('::warning::'))
const posts = (url: string) =>
  world.sim.requests.filter(r => r.method === 'POST' && r.url === url).length

describe('manifestName', () => {
  test('the repository, run and attempt, so a leftover explains itself', () => {
    const env = {
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_RUN_ID: '123',
      GITHUB_RUN_ATTEMPT: '2'
    }
    expect(manifestName('export', '10', env)).toBe(
      'workato-promote acme/app run 123 attempt 2: export of folder 10'
    )
    expect(manifestName('snapshot', '34', {})).toBe(
      'workato-promote local run: snapshot of folder 34'
    )
  })

  test('runner values that are not what they should be are left out, and the name is capped', () => {
    const odd = {
      GITHUB_REPOSITORY: 'acme/app\n::stop-commands::x',
      GITHUB_RUN_ID: '12; rm -rf',
      GITHUB_RUN_ATTEMPT: 'x'
    }
    expect(manifestName('export', '10', odd)).toBe('workato-promote local run: export of folder 10')
    const long = { GITHUB_REPOSITORY: `${'a'.repeat(100)}/${'b'.repeat(100)}`, GITHUB_RUN_ID: '1' }
    expect(manifestName('export', '10', long).length).toBe(120)
  })
})

describe('making a manifest for source-folder-id', () => {
  test('include-tags and include-test-cases go into the manifest; its calls count as RLCM', async () => {
    sourceFolder()
    const run = await world.run({
      ...byFolder,
      'include-tags': 'true',
      'include-test-cases': 'true'
    })

    expect(run.code).toBe(0)
    expect(world.sim.madeManifests[0]?.body).toMatchObject({
      include_tags: true,
      include_test_cases: true,
      auto_generate_assets: true
    })
    const seen = world.sim.requests.filter(r => r.url.startsWith('/api/export_manifests'))
    expect(seen.map(r => `${r.method} ${r.url}`)).toEqual([
      'POST /api/export_manifests',
      `DELETE /api/export_manifests/${world.sim.madeManifests[0]?.id}`
    ])
    // pre-flight looked at the folder with the source token, not at a manifest
    expect(
      world.sim.requests.some(
        r =>
          r.url === `/api/folders/${SOURCE_FOLDER}` &&
          r.headers.authorization === `Bearer ${SOURCE_TOKEN}`
      )
    ).toBe(true)
    // the create and the delete are counted in the recipe lifecycle quota, beside the export's calls
    expect(world.sim.callsBy('rlm', SOURCE_TOKEN)).toBe(
      world.sim.requests.filter(
        r =>
          r.headers.authorization === `Bearer ${SOURCE_TOKEN}` &&
          /^\/api\/(packages|export_manifests)/.test(r.url)
      ).length
    )
  })

  test('a folder the source does not have: pre-flight says so, and nothing is made', async () => {
    const run = await world.run({ ...byFolder, 'source-folder-id': '8' })

    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain(
      '::error::Folder 8 was not found in the source workspace (pre-flight: nothing was exported or imported); check source-folder-id and source-token'
    )
    expect(world.sim.madeManifests).toEqual([])
    expect(world.sim.exportPosts).toEqual([])
  })

  test('403 on create: the privilege named, nothing exported, nothing to delete', async () => {
    sourceFolder()
    world.sim.workspace('dev').denied = ['createManifest']
    const run = await world.run(byFolder)

    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toBe(
      '::error::Workato refused the creation of an export manifest for folder 7 (source workspace) with the ' +
        'source token (HTTP 403): "Access denied": its API client lacks the privilege "Export manifests: ' +
        'create, delete" (source workspace), which source-folder-id needs. Add it to the client\'s role, or ' +
        'give manifest-id instead. Nothing was exported.'
    )
    expect(world.sim.exportPosts).toEqual([])
    expect(world.sim.requests.filter(r => r.method === 'DELETE')).toEqual([])
    expect(run.outputs['manifest-id']).toBeUndefined()
  })

  test('the answer to create lost: not sent again, and the failure names what may exist', async () => {
    sourceFolder()
    world.sim.fault('createManifest', { kind: 'reset' })
    const run = await world.run(byFolder)

    expect(run.code).toBe(1)
    expect(posts('/api/export_manifests')).toBe(1)
    expect(errorLines(run)[0]).toContain(
      'The request may have reached Workato, so it was not sent again (a second one would run twice). ' +
        'An export manifest named "workato-promote acme/workato-release run 16000000001 attempt 1: export ' +
        'of folder 7" may now exist in the source workspace: delete it there'
    )
    expect(world.sim.exportPosts).toEqual([])
  })

  test('an answer without an id: a failure, since it can be neither exported nor deleted', async () => {
    sourceFolder()
    world.sim.fault('createManifest', { kind: 'json', body: { result: { id: '../12' } } })
    const run = await world.run(byFolder)

    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain(
      'names no manifest id, so it cannot be exported or deleted'
    )
    expect(world.sim.exportPosts).toEqual([])
  })

  test('a failed export: the job fails, and the manifest is deleted all the same', async () => {
    sourceFolder()
    world.sim.exportScripts.push({ outcome: 'failed', error: 'Recipe is invalid' })
    const run = await world.run(byFolder)

    expect(run.code).toBe(1)
    expect(world.sim.madeManifests.map(m => m.deleted)).toEqual([true])
    expect(run.summary).toContain('by this run, then deleted')
  })

  test("the run's time limit reached mid-wait: the manifest is still deleted", async () => {
    sourceFolder()
    world.sim.exportScript = { ...world.sim.exportScript, runningChecks: 100_000 }
    const run = await world.run(
      { ...byFolder, 'wait-timeout': '1' },
      { env: { WORKATO_PROMOTE_CLOCK_SCALE: '0.1' } }
    )

    expect(run.outputs.outcome).toBe('timed-out')
    expect(world.sim.madeManifests.map(m => m.deleted)).toEqual([true])
  })

  test('a re-run makes its own manifest, named for its attempt', async () => {
    sourceFolder()
    await world.run(byFolder)
    const again = await world.run(
      { ...byFolder, 'artifact-name': 'attempt-2' },
      { env: { GITHUB_RUN_ATTEMPT: '2' } }
    )

    expect(again.code).toBe(0)
    expect(world.sim.madeManifests.map(m => [m.name, m.deleted])).toEqual([
      ['workato-promote acme/workato-release run 16000000001 attempt 1: export of folder 7', true],
      ['workato-promote acme/workato-release run 16000000001 attempt 2: export of folder 7', true]
    ])
  })

  // Workato does not say what auto_generate_assets takes beyond the folder's own assets.
  test.each([
    ['subfolders and dependencies', { subfolders: true, dependencies: true }],
    ['the folder alone', { subfolders: false, dependencies: false }]
  ])(
    'auto_generate_assets taking %s: the release is what Workato exported',
    async (_w, reading) => {
      sourceFolder()
      const dev = world.sim.workspace('dev')
      dev.autoGenerate = reading
      dev.folderDependencies = {
        [SOURCE_FOLDER]: samplePackage(['Called from elsewhere']).subarray(0)
      }
      const run = await world.run(byFolder)

      expect(run.code).toBe(0)
      const pkg = names(await readFile(output(run, 'package-path')))
      expect(pkg.includes('Integrations/sync_accounts.recipe.json')).toBe(reading.subfolders)
      expect(pkg.includes('Integrations/called_from_elsewhere.recipe.json')).toBe(
        reading.dependencies
      )
      expect(pkg).toContain('account_properties.properties.json')
      expect(names(world.sim.imports[0]!.bytes!)).toEqual(pkg)
    }
  )
})

describe('given manifests that leave out what their folder holds', () => {
  test('a stale snapshot manifest: a warning naming what it leaves out, and the way out', async () => {
    const prod = world.sim.workspace('prod')
    prod.manifests['91'] = samplePackage(['Sync accounts'])
    world.sim
      .folderFiles(prod, FOLDER_ID)
      .set('Integrations/hotfix.recipe.json', Buffer.from('{"name":"Hot-fix"}'))
    world.sim
      .folderFiles(prod, FOLDER_ID)
      .set('Integrations/sync_accounts.recipe.json', Buffer.from('{"name":"Sync accounts"}'))
    const run = await world.run({ 'snapshot-manifest-id': '91' })

    expect(warnings(run.stdout)).toContain(
      '::warning::Export manifest 91 leaves out 1 asset of folder 34: hotfix (recipe). Edit the manifest in ' +
        'Workato, or use snapshot: true.'
    )
    expect(run.summary).toContain(
      '| ⚠️ Left out of manifest `91` | 1 assets its folder holds now: hotfix (recipe) |'
    )
    expect(run.outputs['snapshot-manifest-id']).toBe('91')
    // read while Workato exported the snapshot: one list, in the RLCM quota
    expect(world.sim.requests.filter(r => r.url.includes('folder_assets'))).toHaveLength(1)
  })

  test('a source manifest whose view names its folder: what the folder holds and the export lacks', async () => {
    const dev = world.sim.workspace('dev')
    dev.manifestFolders = { [MANIFEST_ID]: SOURCE_FOLDER }
    dev.folders = [SOURCE_FOLDER]
    const folder = sourceFolder()
    folder.set('Integrations/forgotten.recipe.json', Buffer.from('{"name":"Forgotten"}'))
    const run = await world.run()

    expect(run.code).toBe(0)
    // the manifest holds the folder's other recipes (and one more): only the forgotten one is said
    expect(warnings(run.stdout).filter(w => w.includes('leaves out'))).toEqual([
      '::warning::Export manifest 12 leaves out 1 asset of folder 7: forgotten (recipe). Edit the ' +
        'manifest in Workato, or use source-folder-id.'
    ])
  })

  test('a manifest whose view names no folder: nothing to compare, no list read', async () => {
    const run = await world.run()

    expect(run.code).toBe(0)
    expect(world.sim.requests.filter(r => r.url.includes('folder_assets'))).toEqual([])
  })

  test('the folder list refused: said in the log, never a failure', async () => {
    world.sim.workspace('prod').denied = ['folderAssets']
    const run = await world.run({ 'snapshot-manifest-id': '90' })

    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Could not compare export manifest 90 with folder 34: ')
  })
})
