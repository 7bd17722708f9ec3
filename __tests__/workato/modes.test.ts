/**
 * Export mode and import mode, the whole action in process: what each sends and keeps, and the
 * packages from disk that import mode refuses before any request.
 */
import { createHash } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID } from '../../sim/scenario.js'
import { hostileZips, samplePackage } from '../../sim/zip.js'
import { artifactPackage, errorLines, hasStackTrace, leaks, useWorld } from '../e2e/world.js'
import { item } from '../checked.js'
import { jsonOutput } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })

const importOnly = (packagePath: string, extra: Record<string, string> = {}) => ({
  mode: 'import',
  'source-token': '',
  'manifest-id': '',
  'package-path': packagePath,
  ...extra
})

describe('export mode', () => {
  test('exports, downloads and keeps the artifact; imports nothing', async () => {
    const run = await world.run({ mode: 'export', 'target-token': '', 'folder-id': '' })
    expect(run.code).toBe(0)
    expect(world.sim.exportPosts).toEqual([MANIFEST_ID])
    expect(world.sim.importPosts).toEqual([])
    const exported = world.sim.workspace('dev').manifests[MANIFEST_ID] as Buffer
    expect(
      (await artifactPackage(item(world.artifacts.artifacts, 0))).content.equals(exported)
    ).toBe(true)
    expect(run.outputs.outcome).toBe('succeeded')
    expect(run.outputs['package-sha256']).toBe(createHash('sha256').update(exported).digest('hex'))
    expect(run.outputs['import-package-id']).toBeUndefined()
    expect(run.outputs['recipe-results']).toBeUndefined()
    expect(run.summary).toContain('✅')
    expect(run.summary).not.toContain('Target')
    expect(leaks(run, world.sim)).toEqual([])
  })

  test('a package-path that is a directory is refused before any request', async () => {
    const run = await world.run(
      { mode: 'export', 'target-token': '', 'folder-id': '', 'package-path': 'packages' },
      { files: { 'packages/README': 'a folder, not a file' } }
    )
    expect(run.code).toBe(1)
    expect(world.sim.requests).toEqual([])
    expect(errorLines(run)).toEqual([
      expect.stringContaining("Input 'package-path' is a directory")
    ])
  })
})

describe('import mode', () => {
  test.each([
    ['too many entries', hostileZips.tooManyEntries, '10001 entries'],
    ['huge declared sizes', hostileZips.hugeDeclaredSizes, 'bytes uncompressed'],
    ['names escaping their folder', hostileZips.escapingNames, 'escapes its folder']
  ])('a hostile zip (%s) is refused before any request', async (_what, make, problem) => {
    const run = await world.run(importOnly('hostile.zip'), { files: { 'hostile.zip': make() } })
    expect(run.code).toBe(1)
    expect(world.sim.requests).toEqual([])
    const [error] = errorLines(run)
    expect(error).toContain('The package cannot be listed safely')
    expect(error).toContain(problem)
    expect(hasStackTrace(run)).toBe(false)
  })

  test('the inventory is in the summary of import mode too', async () => {
    const run = await world.run(importOnly('p.zip'), {
      files: { 'p.zip': samplePackage(['Only one']) }
    })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('### Package contents: 1 connection, 1 properties, 1 recipe')
    expect(jsonOutput(run, 'inventory')).toContainEqual({
      path: 'Integrations/only_one.recipe.json',
      type: 'recipe',
      name: 'Only one'
    })
  })

  test('imports a zip from disk, checked against package-sha256', async () => {
    const zip = samplePackage(['One', 'Two'])
    const sha = createHash('sha256').update(zip).digest('hex')
    const run = await world.run(importOnly('package/downloaded.zip', { 'package-sha256': sha }), {
      files: { 'package/downloaded.zip': zip }
    })
    expect(run.code).toBe(0)
    expect(world.sim.exportPosts).toEqual([])
    expect(world.artifacts.artifacts).toEqual([])
    const [imported] = world.sim.imports
    expect(imported?.bytes?.equals(zip)).toBe(true)
    expect(imported?.folderId).toBe(FOLDER_ID)
    expect(run.outputs).toMatchObject({
      outcome: 'succeeded',
      'package-sha256': sha,
      'failed-recipes': '0'
    })
    expect(jsonOutput(run, 'recipe-results')).toHaveLength(2)
    expect(run.summary).not.toContain('Source')
  })

  test('refuses a package whose sha256 differs, before any request', async () => {
    const run = await world.run(importOnly('other.zip', { 'package-sha256': 'a'.repeat(64) }), {
      files: { 'other.zip': samplePackage(['Tampered']) }
    })
    expect(run.code).toBe(1)
    expect(world.sim.requests).toEqual([])
    const errors = errorLines(run)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain("Input 'package-sha256' does not match the package")
    expect(errors[0]).toContain('Nothing was imported')
    expect(hasStackTrace(run)).toBe(false)
  })

  test.each([
    ['a missing file', null, 'names no file'],
    ['an HTML page', '<html>502</html>', 'is not a valid zip'],
    ['half a zip', 'half', 'is not a valid zip']
  ])('refuses %s before any request', async (_what, content, problem) => {
    const zip = samplePackage()
    const bytes = content === 'half' ? zip.subarray(0, zip.length >> 1) : content
    const files: Record<string, Buffer | string> = bytes === null ? {} : { 'pkg.zip': bytes }
    const run = await world.run(importOnly('pkg.zip'), { files })
    expect(run.code).toBe(1)
    expect(world.sim.requests).toEqual([])
    expect(errorLines(run)).toEqual([expect.stringContaining(`Input 'package-path' ${problem}`)])
  })
})
