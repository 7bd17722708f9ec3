/**
 * What GitHub does around a step that a single run never shows: "Re-run failed jobs" in the same
 * workflow run (whose artifacts keep their names), several jobs of one run sharing the artifact
 * namespace, and package paths outside the workspace.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { MANIFEST_ID } from '../../sim/scenario.js'
import { samplePackage } from '../../sim/zip.js'
import { artifactPackage, errorLines, visibleLog, useWorld } from './world.js'
import { item } from '../checked.js'
import { output } from './run-values.js'

const world = useWorld()

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
/** Another job of the same workflow run, or the same job in a later attempt. */
const job = (id: string, attempt = 1) => ({
  env: { ...world.artifacts.env(id), GITHUB_RUN_ATTEMPT: String(attempt) }
})

describe('re-runs', () => {
  test('"Re-run failed jobs": the earlier attempt’s artifact is replaced, the release goes on', async () => {
    const first = await world.run({}, job('job-attempt-1'))
    expect(first.code).toBe(0)
    const firstId = first.outputs['artifact-id']

    // the source changed between the attempts: the re-run must keep the new bytes
    const release = samplePackage(['Sync accounts', 'Notify on failure', 'Nightly export v2'])
    world.sim.workspace('dev').manifests[MANIFEST_ID] = release
    const rerun = await world.run({}, job('job-attempt-2', 2))
    expect(rerun.code).toBe(0)
    expect(rerun.outputs.outcome).toBe('succeeded')
    expect(visibleLog(rerun)).toContain(
      'Re-run (attempt 2): an earlier attempt of this run kept an artifact named "workato-package-12"; replacing it.'
    )

    const kept = world.artifacts.artifacts.filter(a => a.name === 'workato-package-12')
    expect(kept).toHaveLength(1)
    expect(String(item(kept, 0).id)).toBe(rerun.outputs['artifact-id'])
    expect(rerun.outputs['artifact-id']).not.toBe(firstId)
    expect(world.artifacts.deleted.map(a => String(a.id))).toEqual([firstId])
    const inside = await artifactPackage(item(kept, 0))
    expect(inside.content.equals(release)).toBe(true)
    expect(sha256(inside.content)).toBe(rerun.outputs['package-sha256'])
  })

  test('a re-run with a snapshot replaces the snapshot artifact too', async () => {
    const inputs = { 'snapshot-manifest-id': '90', 'skip-unchanged': 'false' }
    expect((await world.run(inputs, job('job-attempt-1'))).code).toBe(0)
    const rerun = await world.run(inputs, job('job-attempt-2', 2))
    expect(rerun.code).toBe(0)
    expect(world.artifacts.artifacts.map(a => a.name).sort()).toEqual([
      'workato-package-12',
      'workato-package-12-snapshot-34'
    ])
    expect(world.artifacts.deleted).toHaveLength(2)
  })

  test('in a first attempt, a name another job already took is refused, saying to set artifact-name per target', async () => {
    expect((await world.run({}, job('matrix-leg-staging'))).code).toBe(0)
    const clash = await world.run(
      { 'folder-id': '35', 'restart-recipes': 'true' },
      job('matrix-leg-prod')
    )
    expect(clash.code).toBe(1)
    const error = errorLines(clash).pop()
    expect(error).toContain(
      'another job of this workflow run (a matrix leg, say) already keeps an artifact by that name'
    )
    expect(error).toContain('Give each job its own artifact-name')
    expect(error).toContain('(for example workato-package-12-${{ matrix.target }})')
    // nothing of the first job's was deleted, and the second imported nothing
    expect(world.artifacts.deleted).toEqual([])
    expect(world.sim.importPosts).toEqual(['34'])
  })
})

describe('several targets in one run', () => {
  test('two import jobs with snapshots do not clash: each snapshot is named after its folder', async () => {
    const prod = world.sim.workspace('prod')
    prod.folders.push('36')
    prod.folderManifests = { ...prod.folderManifests, '91': '36' }
    const exported = await world.run({ mode: 'export' }, job('export'))
    expect(exported.code).toBe(0)
    const pkg = await readFile(output(exported, 'package-path'))
    const files = { 'package/workato-package-12.zip': pkg }

    const importInto = (folder: string, manifest: string, id: string) =>
      world.run(
        {
          // what an import job passes: no source, no manifest
          'source-token': '',
          'manifest-id': '',
          mode: 'import',
          'folder-id': folder,
          'snapshot-manifest-id': manifest,
          'package-path': 'package/workato-package-12.zip',
          'package-sha256': output(exported, 'package-sha256')
        },
        { ...job(id), files }
      )
    const first = await importInto('34', '90', 'import-34')
    const second = await importInto('36', '91', 'import-36')
    expect([first.code, second.code]).toEqual([0, 0])
    expect(world.artifacts.artifacts.map(a => a.name).sort()).toEqual([
      'workato-package-12',
      'workato-package-import-snapshot-34',
      'workato-package-import-snapshot-36'
    ])
    expect(world.sim.imports.map(i => [i.folderId, i.sha256])).toEqual([
      ['34', exported.outputs['package-sha256']],
      ['36', exported.outputs['package-sha256']]
    ])
  })
})

describe('package-path', () => {
  test('a path in the system temp folder, outside the workspace and runner temp, is written and imported', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'release-'))
    try {
      const file = path.join(dir, 'release.zip')
      const run = await world.run({ 'package-path': file })
      expect(run.code).toBe(0)
      expect(run.outputs['package-path']).toBe(file)
      expect(sha256(await readFile(file))).toBe(run.outputs['package-sha256'])
      expect(item(world.sim.imports, 0).sha256).toBe(run.outputs['package-sha256'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('an existing file that is not a zip is never replaced: input error, before any request', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'precious-'))
    try {
      const file = path.join(dir, 'notes.txt')
      await writeFile(file, 'release notes, not a package\n')
      const run = await world.run({ 'package-path': file })
      expect(run.code).toBe(1)
      expect(errorLines(run)).toEqual([
        `::error::Input 'package-path' already holds a file that is not a zip: refusing to replace it (${file}); give the path of a new file such as dir/package.zip`
      ])
      expect(await readFile(file, 'utf8')).toBe('release notes, not a package\n')
      expect(world.sim.requests).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('an earlier package at package-path (a self-hosted runner’s re-run) is replaced', async () => {
    const first = await world.run({ 'package-path': 'out/release.zip' })
    const file = output(first, 'package-path')
    expect(existsSync(file)).toBe(true)
    const release = samplePackage(['Sync accounts v2'])
    world.sim.workspace('dev').manifests[MANIFEST_ID] = release
    const again = await world.run({ 'package-path': file }, job('job-attempt-2', 2))
    expect(again.code).toBe(0)
    expect((await readFile(file)).equals(release)).toBe(true)
  })
})
