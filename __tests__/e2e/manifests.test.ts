/**
 * Manifests the action makes (source-folder-id, snapshot: true) through the built bundle, as a
 * runner runs it: made, exported and deleted on every ending, a cancel among them. The logic
 * around them runs in process: __tests__/workato/manifests.test.ts.
 */
import type { ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from '@jest/globals'
import { fillSourceFolder, FOLDER_ID, MANIFEST_ID, SOURCE_FOLDER_ID } from '../../sim/scenario.js'
import { fileNames, samplePackage } from '../../sim/zip.js'
import { jsonOutput, output } from './run-values.js'
import { errorLines, hasStackTrace, useWorld } from './world.js'

const world = useWorld()
const SOURCE_FOLDER = SOURCE_FOLDER_ID
const sourceFolder = () => fillSourceFolder(world.sim)
const names = fileNames
const byFolder = { 'manifest-id': '', 'source-folder-id': SOURCE_FOLDER }
const NAME = 'workato-promote acme/workato-release run 16000000001 attempt 1'
const NEXT_RUN = { env: { GITHUB_RUN_ID: '16000000002' } }

function recipe(name: string): Buffer {
  return Buffer.from(JSON.stringify({ name, version: 1, code: { keyword: 'trigger' }, config: [] }))
}

describe('source-folder-id: a manifest made for the folder, exported, deleted', () => {
  test('each run exports the folder as it is then, through a manifest of its own it deletes', async () => {
    const folder = sourceFolder()
    const first = await world.run(byFolder)
    folder.set('Integrations/new_since.recipe.json', recipe('New since the last release'))
    // the next release is another workflow run (the artifact service here is one run's)
    const second = await world.run({ ...byFolder, 'artifact-name': 'release-2' }, NEXT_RUN)

    expect(errorLines(second)).toEqual([])
    expect([first.code, second.code]).toEqual([0, 0])
    const made = world.sim.madeManifests
    expect(made.map(m => [m.workspace, m.folderId, m.deleted])).toEqual([
      ['dev', SOURCE_FOLDER, true],
      ['dev', SOURCE_FOLDER, true]
    ])
    // the body Workato documents, the name saying which run made it
    expect(made[1]?.name).toBe(
      'workato-promote acme/workato-release run 16000000002 attempt 1: export of folder 7'
    )
    expect(made[0]?.body).toEqual({
      name: `${NAME}: export of folder 7`,
      folder_id: 7,
      auto_generate_assets: true,
      include_tags: false,
      include_test_cases: false
    })
    // exported by the id its creation answered, never by another
    expect(world.sim.exportPosts).toEqual(made.map(m => m.id))
    expect(first.outputs['manifest-id']).toBe(made[0]?.id)
    expect(second.outputs['manifest-id']).toBe(made[1]?.id)
    // the second package holds the recipe added since, with nobody editing a manifest
    const pkg = await readFile(output(second, 'package-path'))
    expect(names(pkg)).toContain('Integrations/new_since.recipe.json')
    expect(jsonOutput(first, 'inventory')).not.toContainEqual(
      expect.objectContaining({ path: 'Integrations/new_since.recipe.json' })
    )
    expect(second.summary).toContain(
      `| Export manifest | \`${made[1]?.id}\`, made for folder \`7\` by this run, then deleted |`
    )
    expect(second.outputs['artifact-id']).toBeDefined()
    expect(errorLines(second)).toEqual([])
    expect(second.stdout).not.toMatch(/^::warning::/m)
  })

  test('a refused delete: a warning naming what is left, and the run still succeeds', async () => {
    sourceFolder()
    world.sim.workspace('dev').refuseManifestDelete = {
      status: 403,
      body: { message: 'Access denied' }
    }
    const run = await world.run(byFolder)

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
    const id = world.sim.madeManifests[0]?.id
    const warnings = run.stdout.split('\n').filter(l => l.startsWith('::warning::'))
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning::Export manifest ${id} \\("${NAME}: export of folder 7"\\) is left in the source ` +
            'workspace: Workato refused the deletion of export manifest \\d+ \\(source workspace\\) with ' +
            'the source token \\(HTTP 403\\): "Access denied": its API client lacks the privilege "Export ' +
            'manifests: create, delete"\\. Delete it there'
        )
      )
    ])
    expect(run.summary).toContain('**left in the workspace**')
    expect(world.sim.madeManifests[0]?.deleted).toBe(false)
  })

  test('a cancel during the export wait: the manifest is deleted before the run ends', async () => {
    sourceFolder()
    world.sim.exportScript = { ...world.sim.exportScript, runningChecks: 10_000 }
    let sentAt = 0
    const onSpawn = (child: ChildProcess) => {
      const timer = setInterval(() => {
        if (world.sim.jobStatusChecks(240) < 2) return
        clearInterval(timer)
        sentAt = Date.now()
        // a slow delete: long enough for the export wait's next status checks, were it still going
        world.sim.latencyMs = 1_500
        child.kill('SIGINT')
      }, 20)
      child.on('close', () => clearInterval(timer))
    }
    const started = Date.now()
    const run = await world.run(byFolder, { onSpawn })

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('cancelled')
    expect(started + run.ms - sentAt).toBeLessThan(4000)
    expect(world.sim.madeManifests.map(m => m.deleted)).toEqual([true])
    const deletes = world.sim.requests.filter(r => r.method === 'DELETE')
    expect(deletes.map(r => r.url)).toEqual([
      `/api/export_manifests/${world.sim.madeManifests[0]?.id}`
    ])
    expect(deletes[0]!.at).toBeGreaterThanOrEqual(sentAt)
    // the abandoned export wait stopped with the run: no status check while the delete ran
    expect(
      world.sim.requests.filter(r => r.at > sentAt + 100 && r.url.startsWith('/api/packages/'))
    ).toEqual([])
    expect(errorLines(run)[0]).toContain('Cancelled (SIGINT) during "wait for export"')
    expect(run.summary).toContain('made for folder `7` by this run, then deleted')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('manifest-id and source-folder-id both: one input error naming them, no request', async () => {
    const run = await world.run({ 'manifest-id': MANIFEST_ID, 'source-folder-id': SOURCE_FOLDER })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'source-folder-id' and manifest-id are both set: give one, the export manifest to export (manifest-id) or the folder to export (source-folder-id)"
    ])
    expect(world.sim.requests).toEqual([])
  })
})

describe('snapshot: true: a snapshot that covers the target folder as it is', () => {
  test('an asset added to the target since the last release: the plan sees it, the rollback restores it', async () => {
    const first = await world.run({ snapshot: 'true' })
    expect(first.code).toBe(0)
    // a hot-fix made in production's UI after that release
    const prod = world.sim.workspace('prod')
    world.sim
      .folderFiles(prod, FOLDER_ID)
      .set('Integrations/hotfix.recipe.json', recipe('Hot-fix made in the UI'))
    // the next release changes a recipe, and its import fails
    world.sim.workspace('dev').manifests[MANIFEST_ID] = samplePackage(
      ['Sync accounts', 'Notify on failure', 'Nightly export'],
      2
    )
    world.sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
    const second = await world.run({ snapshot: 'true', 'artifact-name': 'release-2' }, NEXT_RUN)

    expect(second.code).toBe(1)
    expect(second.outputs.outcome).toBe('rolled-back')
    expect((jsonOutput(second, 'plan') as { onlyInTarget: string[] }).onlyInTarget).toEqual([
      'Integrations/hotfix.recipe.json'
    ])
    // the rollback imported the snapshot, which holds the hot-fix
    const rollback = world.sim.imports.at(-1)
    expect(names(rollback!.bytes!)).toContain('Integrations/hotfix.recipe.json')
    expect(rollback!.sha256).toBe(second.outputs['snapshot-sha256'])
    // one manifest per run in the target, each deleted
    expect(world.sim.madeManifests.map(m => [m.workspace, m.folderId, m.deleted])).toEqual([
      ['prod', FOLDER_ID, true],
      ['prod', FOLDER_ID, true]
    ])
    expect(second.outputs['snapshot-manifest-id']).toBe(world.sim.madeManifests[1]?.id)
    expect(second.summary).toContain(
      `| Snapshot manifest | \`${world.sim.madeManifests[1]?.id}\`, made for folder \`${FOLDER_ID}\` by this run, then deleted |`
    )
  })
})
