/**
 * Running recipes stay running, the whole action in process: what the import stops is started
 * again; a refused start (200 with success: false) is shown with Workato's reasons.
 */
import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID } from '../../sim/scenario.js'
import { errorLines, useWorld } from '../e2e/world.js'
import { jsonOutput } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })
const SUB = '62'
const starts = () => world.sim.requests.filter(r => r.method === 'PUT').map(r => r.url)

beforeEach(() => {
  const prod = world.sim.workspace('prod')
  prod.subfolders = [{ id: SUB, name: 'Jobs', parentId: FOLDER_ID }]
  prod.recipes = [
    { id: 501, name: 'Sync accounts', folderId: FOLDER_ID, running: true },
    { id: 502, name: 'Notify on failure', folderId: SUB, running: true },
    { id: 503, name: 'Nightly export', folderId: FOLDER_ID, running: false }
  ]
})

describe('running recipes', () => {
  test('a recipe the import left stopped is started again; the job still fails for its result', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [
        { id: 501, import_result: 'restart_failed' },
        { id: 502, import_result: 'restarted' },
        { id: 503, import_result: 'no_update_or_update_without_restart' }
      ]
    }
    const run = await world.run({ 'restart-recipes': 'true' })
    // the verdict is the import's: restart_failed is not a clean import
    expect(run.code).toBe(1)
    expect(
      errorLines(run).some(l =>
        /Recipe "[^"]+" \(501\) did not import cleanly: import_result "restart_failed"/.test(l)
      )
    ).toBe(true)
    expect(starts()).toEqual(['/api/recipes/501/start'])
    expect(jsonOutput(run, 'started-recipes')).toEqual(['501'])
    expect(jsonOutput(run, 'stopped-recipes')).toEqual([])
    expect(world.sim.workspace('prod').recipes!.find(r => r.id === 501)?.running).toBe(true)
    expect(run.summary).toContain(
      '### Running recipes: 1 stopped by the import, 1 started, 0 still stopped'
    )
    expect(run.summary).toContain(
      '| Sync accounts (501) | ✅ running | started again by this action |'
    )
  })

  test('a refused start (200, success: false) is shown with its config_errors, and stays in stopped-recipes', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [{ id: 502, import_result: 'stopped' }]
    }
    world.sim.workspace('prod').refuseStart = {
      '502': {
        code_errors: [],
        config_errors: [[1, [['account_id', 32148, 'unconnected', { provider: 'slack' }]]]]
      }
    }
    const run = await world.run({ 'restart-recipes': 'true' })
    expect(starts()).toEqual(['/api/recipes/502/start'])
    expect(jsonOutput(run, 'stopped-recipes')).toEqual(['502'])
    expect(jsonOutput(run, 'started-recipes')).toEqual([])
    const warning = run.stdout
      .split('\n')
      .find(l => l.startsWith('::warning') && l.includes('could not be started'))
    expect(warning).toContain(
      'Recipe 502 ("Notify on failure") is stopped and could not be started: step 1: account_id unconnected'
    )
    expect(run.summary).toContain(
      '| Notify on failure (502) | ❌ stopped | step 1: account\\_id unconnected |'
    )
  })

  test('start-new-recipes: recipes the import created are started too; by default they are left stopped', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [{ id: 777, import_result: 'no_update_or_update_without_restart' }]
    }
    const left = await world.run({ 'upload-artifact': 'false' })
    expect(left.code).toBe(0)
    expect(starts()).toEqual([])

    world.sim.workspace('prod').recipes = world.sim
      .workspace('prod')
      .recipes!.filter(r => r.id !== 777)
    const started = await world.run({ 'start-new-recipes': 'true', 'upload-artifact': 'false' })
    expect(started.code).toBe(0)
    expect(starts()).toEqual(['/api/recipes/777/start'])
    expect(jsonOutput(started, 'started-recipes')).toEqual(['777'])
  })

  test('a folder list that also holds its subfolders’ recipes: each stopped recipe is started once', async () => {
    world.sim.workspace('prod').listsSubfolderRecipes = true
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [{ id: 502, import_result: 'restart_failed' }]
    }
    const run = await world.run({ 'restart-recipes': 'true' })
    expect(starts()).toEqual(['/api/recipes/502/start'])
    expect(jsonOutput(run, 'started-recipes')).toEqual(['502'])
    expect(jsonOutput(run, 'stopped-recipes')).toEqual([])
  })

  test('keep-running false: nothing is listed or started', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [{ id: 501, import_result: 'stopped' }]
    }
    const run = await world.run({ 'keep-running': 'false', 'restart-recipes': 'true' })
    expect(world.sim.requests.filter(r => r.url.startsWith('/api/recipes'))).toEqual([])
    expect(run.outputs['started-recipes']).toBeUndefined()
  })

  test('a token that may not list recipes: a warning, the promotion as it was', async () => {
    world.sim.workspace('prod').denied = ['recipes']
    const run = await world.run({ 'restart-recipes': 'true' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("Could not list the target folder's recipes before the import")
    expect(run.stdout).toContain(
      'lacks one of the "Projects & folders", "Recipes" privileges (HTTP 403)'
    )
  })
})
