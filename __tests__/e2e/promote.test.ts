/**
 * A promote through the built action, as a runner runs it: the one run of the whole promote the
 * bundle must get right (action.yml's defaults, the INPUT_* variables, the output and summary
 * files, the artifact upload), and the tokens' path on a real process's output. The rest of a
 * promote's logic runs in process: __tests__/workato/promote.test.ts.
 */
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID, SOURCE_TOKEN, TARGET_TOKEN } from '../../sim/scenario.js'
import { artifactPackage, errorLines, hasStackTrace, leaks, useWorld } from './world.js'
import { item } from '../checked.js'
import { jsonOutput, output } from './run-values.js'

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

const world = useWorld()

describe('promote', () => {
  // through dist/: the bundle's own promote, with its artifact upload, as a runner runs it
  test('exports, keeps, imports the same bytes, and reports success', async () => {
    const { sim, artifacts } = world
    const exported = sim.workspace('dev').manifests[MANIFEST_ID] as Buffer
    const run = await world.run()

    expect(run.code).toBe(0)
    expect(errorLines(run)).toEqual([])
    expect(hasStackTrace(run)).toBe(false)

    // one export, one import, nothing resent
    expect(sim.exportPosts).toEqual([MANIFEST_ID])
    expect(sim.importPosts).toEqual([FOLDER_ID])

    // the bytes: exported = on disk = uploaded = imported
    const onDisk = await readFile(output(run, 'package-path'))
    const imported = item(sim.imports, 0)
    const kept = item(artifacts.artifacts, 0)
    expect(onDisk.equals(exported)).toBe(true)
    expect(imported.bytes?.equals(exported)).toBe(true)
    expect((await artifactPackage(kept)).content.equals(exported)).toBe(true)
    expect((await artifactPackage(kept)).name).toBe('workato-package-12.zip')
    expect(kept).toMatchObject({ name: 'workato-package-12', finalized: true })

    // the import request as Workato documents it
    expect(imported).toMatchObject({
      workspace: 'prod',
      folderId: FOLDER_ID,
      query: { restart_recipes: 'false', include_tags: 'false' },
      contentType: 'application/octet-stream',
      contentLength: String(exported.length)
    })

    // the outputs
    expect(run.outputs).toMatchObject({
      'export-package-id': '240',
      'import-package-id': '241',
      'package-path': path.join(run.runnerTemp, 'workato-package-12.zip'),
      'package-sha256': sha256(exported),
      'package-size': String(exported.length),
      'artifact-id': String(kept.id),
      'failed-recipes': '0',
      outcome: 'succeeded',
      // the sha256 chain: exported = sent to import; the artifact's digest is of its own zip
      'sent-sha256': sha256(exported),
      'artifact-digest': kept.declaredHash?.replace('sha256:', '')
    })
    const results = jsonOutput(run, 'recipe-results') as unknown[]
    expect(results).toHaveLength(3)
    expect(item(results, 0)).toEqual({
      id: expect.any(String),
      import_result: 'no_update_or_update_without_restart',
      ok: true
    })

    // the summary
    expect(run.summary).toContain('## ✅ Workato promotion succeeded')
    expect(run.summary).toContain(`manifest \`${MANIFEST_ID}\`, export package \`240\``)
    expect(run.summary).toContain(`folder \`${FOLDER_ID}\`, import package \`241\``)
    expect(run.summary).toContain(sha256(exported))
    expect(run.summary).toContain(`| ${exported.length} bytes |`)
    expect(run.summary).toContain('### Recipes: 3 ok, 0 failed')

    // the inventory, read from the package's own directory
    const inventory = jsonOutput(run, 'inventory') as Array<{
      path: string
      type: string
      name: string
    }>
    expect(inventory.filter(a => a.type === 'recipe').map(a => a.name)).toEqual([
      'Sync accounts',
      'Notify on failure',
      'Nightly export'
    ])
    expect(inventory.map(a => a.path)).toContain('Integrations/crm_connection.connection.json')
    expect(run.summary).toContain('### Package contents: 3 recipes, 1 connection, 1 properties')
    expect(run.summary).toContain(
      '| Integrations/sync\\_accounts.recipe.json | recipe | Sync accounts |'
    )

    // no package left half-written beside the real one
    expect((await readdir(run.runnerTemp)).filter(f => f.includes('partial'))).toEqual([])
  })

  // through dist/: the leak scan and the masks' order on a real process's stdout and stderr
  test('the token goes to the API only: never to the storage host, never into the log', async () => {
    const { sim } = world
    const run = await world.run()
    expect(run.code).toBe(0)

    const storage = sim.requests.filter(r => r.host === 'storage')
    expect(storage).toHaveLength(1)
    for (const request of storage) {
      expect(request.headers.authorization).toBeUndefined()
      expect(JSON.stringify(request.headers)).not.toContain(SOURCE_TOKEN)
    }
    const api = sim.requests.filter(r => r.host === 'api')
    expect(
      api.every(
        r =>
          r.headers.authorization === `Bearer ${SOURCE_TOKEN}` ||
          r.headers.authorization === `Bearer ${TARGET_TOKEN}`
      )
    ).toBe(true)
    // the source token is used only for the source's calls and vice versa
    expect(
      api.filter(r => r.url.startsWith('/api/packages/import/')).map(r => r.headers.authorization)
    ).toEqual([`Bearer ${TARGET_TOKEN}`])

    expect(run.stdout).toContain(`::add-mask::${SOURCE_TOKEN}`)
    expect(run.stdout).toContain(`::add-mask::${TARGET_TOKEN}`)
    expect(run.stdout.indexOf(`::add-mask::${TARGET_TOKEN}`)).toBeLessThan(
      run.stdout.indexOf('Exporting')
    )
    expect(leaks(run, sim)).toEqual([])
  })
})
