/**
 * Hardening, round 3, in process: server data that names recipes after JavaScript's own
 * properties or lists without end, a package large enough that its summary would pass GitHub's
 * 1 MiB, secrets in disguise, tokens that reach one workspace, zips that share their data. One
 * secret in disguise (U+200B) runs through the bundle instead, in ../e2e/hardening-3.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID, SOURCE_TOKEN, TARGET_TOKEN } from '../../sim/scenario.js'
import { localExtraBomb, samplePackage } from '../../sim/zip.js'
import { errorLines, hasStackTrace, useWorld, visibleLog } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })

describe('tables keyed by what a server names', () => {
  test('recipe ids __proto__, constructor and toString: the verdict, the outputs and the summary survive', async () => {
    // a recipe in the target folder: its list names recipes for the summary
    world.sim.workspace('prod').recipes = [
      { id: 7, name: 'Sync accounts', folderId: FOLDER_ID, running: true }
    ]
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [
        { id: '__proto__', import_result: 'restarted' },
        { id: 'constructor', import_result: 'restarted' },
        { id: 'toString', import_result: 'restarted' },
        { id: 7, import_result: 'restarted' }
      ]
    }
    const run = await world.run()
    expect(visibleLog(run)).not.toMatch(/Unexpected error|is not a function/)
    expect(hasStackTrace(run)).toBe(false)
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
    expect(JSON.parse(run.outputs['recipe-results'] ?? '[]')).toHaveLength(4)
    expect(run.summary).toContain('Workato promotion succeeded')
    expect(run.summary).toContain('\\_\\_proto\\_\\_')
    expect(run.summary).toContain('Sync accounts (7)')
  })
})

describe('the job summary stays under GitHub’s 1 MiB', () => {
  test('a package of 9,500 recipes: every failed one shown, the rest cut with "and N more", the full lists in the outputs', async () => {
    const names = Array.from(
      { length: 9_500 },
      (_, i) =>
        `Recipe ${i} that synchronises accounts, contacts and opportunities between the two systems`
    )
    world.sim.workspace('dev').manifests[MANIFEST_ID] = samplePackage(names)
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: names.map((_, i) => ({
        id: 10_000 + i,
        import_result: i % 950 === 0 ? 'stopped' : 'no_update_or_update_without_restart'
      }))
    }
    const run = await world.run({ 'connection-check': 'off', 'keep-running': 'false' })
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
    expect(run.summary).toContain('Workato promotion failed')
    // each of the ten failed recipes is named in the summary
    for (let i = 0; i < 9_500; i += 950)
      expect(run.summary).toMatch(new RegExp(`\\| ❌ \\| \\[?${10_000 + i}\\b`))
    // GitHub shows 10 error annotations a step: 8 recipes, one for the rest, one the verdict's
    expect(errorLines(run).filter(l => l.startsWith('::error title=Recipe '))).toHaveLength(8)
    expect(errorLines(run).filter(l => l.startsWith('::error title=2 more recipes'))).toHaveLength(
      1
    )
    expect(errorLines(run)).toHaveLength(10)
    expect(errorLines(run).at(-1)).toContain('did not import cleanly into folder 34')
    expect(run.summary).toMatch(/… and 8990 more imported cleanly/)
    expect(run.summary).toMatch(/… and \d+ more \(all in the `inventory` output\)/)
    // the lists are whole in the outputs
    expect(JSON.parse(run.outputs['recipe-results'] ?? '[]')).toHaveLength(9_500)
    const inventory = JSON.parse(run.outputs.inventory ?? '[]') as unknown[]
    expect(inventory.length).toBeGreaterThanOrEqual(9_500)
    expect(world.sim.importPosts).toEqual([FOLDER_ID])
  }, 60_000)
})

describe('a secret echoed with an invisible character inside', () => {
  // U+200B, through the bundle, in ../e2e/hardening-3.test.ts
  test.each([
    ['U+00AD', '\u00ad'],
    ['U+2060', '\u2060']
  ])('%s: neither half of the token reaches the log or the summary', async (_name, mark) => {
    const split = `${TARGET_TOKEN.slice(0, 16)}${mark}${TARGET_TOKEN.slice(16)}`
    world.sim.fault('import', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ message: `Token ${split} may not import into this folder` })
    })
    // world.run fails the test on any 12 characters of a token in the log, summary or outputs
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain('Token *** may not import into this folder')
    expect(run.summary).toContain('Token \\*\\*\\* may not import into this folder')
  })
})

describe('bounds on what Workato lists', () => {
  test('a chain of 2,000 folders each holding the next: the walk stops at 64 levels, naming the folder', async () => {
    const prod = world.sim.workspace('prod')
    prod.subfolders = Array.from({ length: 2_000 }, (_, i) => ({
      id: String(1000 + i),
      name: `Level ${i}`,
      parentId: i === 0 ? FOLDER_ID : String(999 + i)
    }))
    prod.folders = [FOLDER_ID, ...prod.subfolders.map(f => f.id)]
    prod.recipes = [{ id: 501, name: 'Sync accounts', folderId: FOLDER_ID, running: true }]
    const run = await world.run()
    const folderLists = world.sim.requests.filter(
      r => r.host === 'api' && r.url.startsWith('/api/folders?')
    )
    expect(folderLists.length).toBeLessThanOrEqual(64)
    expect(visibleLog(run)).toMatch(/more than 64 levels deep \(folder \d+ is one\)/)
    expect(hasStackTrace(run)).toBe(false)
    // keep-running is a check around the import: switched off with a warning, the promote goes on
    expect(run.outputs.outcome).toBe('succeeded')
    expect(visibleLog(run)).toContain(
      'the action stops listing there rather than walk an endless tree. Going on'
    )
  })

  test('an import that leaves 600 recipes stopped: none started, all in stopped-recipes, one warning', async () => {
    const prod = world.sim.workspace('prod')
    prod.recipes = Array.from({ length: 600 }, (_, i) => ({
      id: 5000 + i,
      name: `Sync ${i}`,
      folderId: FOLDER_ID,
      running: true
    }))
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: prod.recipes.map(r => ({ id: r.id, import_result: 'stopped' }))
    }
    const run = await world.run({ 'restart-recipes': 'true' })
    expect(world.sim.requests.filter(r => r.method === 'PUT')).toHaveLength(0)
    expect(JSON.parse(run.outputs['stopped-recipes'] ?? '[]')).toHaveLength(600)
    const warnings = visibleLog(run)
      .split('\n')
      .filter(l => l.startsWith('::warning::Running recipes'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('600 recipes to start, more than the 500')
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
  })
})

describe('the source token given as the target token', () => {
  const intoDev = () => {
    world.sim.workspace('dev').folders = [FOLDER_ID, '77']
  }

  test('both reach one workspace: promoted, with a warning in the log and the summary’s headline', async () => {
    intoDev()
    const run = await world.run({ 'target-token': SOURCE_TOKEN })
    expect(run.code).toBe(0)
    const warnings = visibleLog(run)
      .split('\n')
      .filter(l => l.startsWith('::warning::The source and target tokens reach the same workspace'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('"dev" (id 1000)')
    const headline = run.summary.split('\n').slice(0, 4).join('\n')
    expect(headline).toContain('⚠️ The source and target tokens reach the same workspace')
  })

  test('and the manifest exports the very folder the import would write into: refused before the import', async () => {
    intoDev()
    world.sim.workspace('dev').manifestFolders = { [MANIFEST_ID]: FOLDER_ID }
    const run = await world.run({ 'target-token': SOURCE_TOKEN })
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual([])
    const [error] = errorLines(run).slice(-1)
    expect(error).toContain(
      'the export manifest exports folder 34, the folder the import would write into'
    )
    expect(error).toContain('Check target-token')
  })

  test('two workspaces: no such warning', async () => {
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(visibleLog(run)).not.toContain('reach the same workspace')
    expect(run.summary).not.toContain('same workspace')
  })
})

describe('a zip whose entries share data through their local headers', () => {
  test('60 entries of 1 MB from one block, apart in the directory: refused before the import', async () => {
    const bomb = localExtraBomb(60, 1024 * 1024)
    expect(bomb.length).toBeLessThan(80 * 1024)
    world.sim.workspace('dev').manifests[MANIFEST_ID] = bomb
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual([])
    const [error] = errorLines(run).slice(-1)
    expect(error).toMatch(
      /entries "Integrations\/blob_000\.json" and "Integrations\/blob_001\.json" overlap/
    )
    expect(hasStackTrace(run)).toBe(false)
  })
})

describe('ids a list names go into paths only as whole numbers', () => {
  test('a recipe row with id "555/stop" and a name carrying a workflow command: left out, said once, nothing run', async () => {
    world.sim.workspace('prod').recipes = [
      { id: 7, name: 'Sync accounts', folderId: FOLDER_ID, running: true }
    ]
    const hostile = {
      items: [
        { id: '555/stop', name: 'Evil\n::warning::injected', folder_id: 34, running: true },
        { id: 7, name: 'Sync accounts', folder_id: 34, running: true }
      ]
    }
    world.sim.fault('recipes', { kind: 'json', body: hostile }, 2)
    const run = await world.run()
    expect(run.code).toBe(0)
    const writes = world.sim.requests.filter(r => r.method === 'PUT' || r.method === 'DELETE')
    for (const w of writes) expect(w.url).toMatch(/^\/api\/recipes\/\d+\/start$/)
    const log = visibleLog(run).split('\n')
    expect(log.filter(l => l.startsWith('::warning::injected'))).toEqual([])
    const said = log.filter(l => l.includes('whose id is not a positive whole number'))
    expect(said.length).toBeGreaterThanOrEqual(1)
    expect(said.length).toBeLessThanOrEqual(3)
    expect(said[0]).toContain('(such as "555/stop")')
  })
})

describe('the folder walk keeps to the tree', () => {
  test('a folder row naming another parent is not walked: a recipe there is neither listed nor started', async () => {
    const prod = world.sim.workspace('prod')
    prod.folders = [FOLDER_ID, '99']
    prod.recipes = [
      { id: 7, name: 'Sync accounts', folderId: FOLDER_ID, running: true },
      { id: 901, name: 'Someone else’s', folderId: '99', running: true }
    ]
    // every listing of folder 34's children names folder 99, whose parent is another folder
    world.sim.fault(
      'folders',
      { kind: 'json', body: [{ id: 99, name: 'Elsewhere', parent_id: 500 }] },
      3
    )
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [
        { id: 7, import_result: 'no_update_or_update_without_restart' },
        { id: 901, import_result: 'stopped' }
      ]
    }
    const run = await world.run({ 'restart-recipes': 'true' })
    // the verdict is the import's (901 came back stopped); what matters is what was started
    expect(hasStackTrace(run)).toBe(false)
    const starts = world.sim.requests.filter(r => r.method === 'PUT').map(r => r.url)
    expect(starts).not.toContain('/api/recipes/901/start')
    const listed = world.sim.requests.filter(r => r.url.startsWith('/api/recipes?folder_id=99'))
    expect(listed).toEqual([])
  })
})
