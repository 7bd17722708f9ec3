/**
 * Production Workato, the whole action in process: quotas per collection that answer 429, status
 * checks refused mid-import, a folder of 41 subfolders and 315 running recipes, a custom
 * connector's connection, a start Workato acknowledges but does not carry out, and a 400 whose
 * only useful words are per field.
 */
import { describe, expect, test } from '@jest/globals'
import {
  bigTarget,
  FOLDER_ID,
  MANIFEST_ID,
  RUNNING_FOLDER_ID,
  TARGET_TOKEN
} from '../../sim/scenario.js'
import { WORKATO_QUOTAS, type WorkatoSimulator } from '../../sim/workato.js'
import { packageUsing } from '../../sim/zip.js'
import {
  errorLines,
  FAST_RETRIES,
  hasStackTrace,
  startWorld,
  useWorld,
  visibleLog
} from '../e2e/world.js'
import { item } from '../checked.js'
import { jsonOutput } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })

/**
 * The action's clock ten times faster where it only waits out its own quota windows (the
 * simulator's 429s here keep no window of their own): a 300 ms window takes 30 ms.
 */
const FAST_CLOCK = { env: { WORKATO_PROMOTE_CLOCK_SCALE: '0.1' } }
const QUOTA_WINDOW_MS = Number(FAST_RETRIES.WORKATO_PROMOTE_QUOTA_WINDOW_MS)

/** Requests to the API host whose path and query start with `prefix`. */
const calls = (sim: WorkatoSimulator, prefix: string) =>
  sim.requests.filter(r => r.host === 'api' && r.url.startsWith(prefix))

describe('status checks refused while Workato imports', () => {
  test('a storm of 429s without Retry-After is waited out: the verdict is still reached', async () => {
    world.sim.onImportStarted = () => world.sim.fault('status', { kind: 'status', status: 429 }, 8)
    const run = await world.run({}, FAST_CLOCK)
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
    expect(world.sim.importPosts).toEqual([FOLDER_ID])
    expect(world.sim.pendingFaults()).toBe(0)
    const waits = visibleLog(run)
      .split('\n')
      .filter(l => l.includes('over the packages quota of the target workspace'))
    // each wait said once, with the collection and how long
    expect(waits).toHaveLength(8)
    expect(item(waits, 0)).toMatch(/waiting \d+ ms \(the quota's window\)/)
  })

  test('a quota that never frees ends the wait as timed-out (may still be running), never as failed', async () => {
    world.sim.onImportStarted = () =>
      world.sim.fault('status', { kind: 'status', status: 429 }, 1000)
    const run = await world.run({ 'wait-timeout': '2' }, FAST_CLOCK)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('timed-out')
    const [error] = errorLines(run)
    expect(error).toContain('may still be running in Workato')
    expect(error).not.toContain('try again later')
    // The wait ends at wait-timeout by the action's own clock, each 429 waited out for the
    // quota's window: no more checks than 2 s of windows hold, and the other 429s never asked for.
    expect(error).toContain('after 2 s (wait-timeout)')
    const checks = calls(world.sim, '/api/packages/241').length
    expect(checks).toBeGreaterThanOrEqual(2)
    expect(checks).toBeLessThanOrEqual(Math.floor(2000 / QUOTA_WINDOW_MS) + 1)
    expect(world.sim.pendingFaults()).toBe(1000 - checks)
    expect(hasStackTrace(run)).toBe(false)
  })
})

describe('an import POST refused by the quota', () => {
  test("refused until the run runs out of time: it says nothing was imported, in Workato's words", async () => {
    world.sim.fault(
      'import',
      { kind: 'status', status: 429, body: '{"message":"Too many requests"}' },
      1000
    )
    const run = await world.run({ 'wait-timeout': '2' })
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual([])
    expect(run.outputs.outcome).toBe('failed')
    const [error] = errorLines(run)
    expect(error).toContain('HTTP 429')
    expect(error).toContain('Too many requests')
    expect(error).toContain('Nothing was imported')
    expect(error).not.toContain('another import')
    expect(hasStackTrace(run)).toBe(false)
  })
})

describe('a production folder under quotas', () => {
  test('41 subfolders and 315 running recipes: every check done, each folder listed once, no more than 3 answers of 429', async () => {
    const WINDOW_MS = 2000
    await world.restart({
      sim: { quotas: { perWindow: WORKATO_QUOTAS, windowMs: WINDOW_MS }, latencyMs: 5 }
    })
    const prod = world.sim.workspace('prod')
    const big = bigTarget({ folders: 41, recipes: 315, topRecipes: 120, rootId: FOLDER_ID })
    Object.assign(prod, { ...big, folders: [...big.folders, RUNNING_FOLDER_ID] })
    const stoppedId = item(big.recipes ?? [], 0).id
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [{ id: stoppedId, import_result: 'restart_failed' }]
    }
    const run = await world.run(
      { 'restart-recipes': 'true' },
      { env: { WORKATO_PROMOTE_QUOTA_WINDOW_MS: String(WINDOW_MS) } }
    )
    // the verdict is the import's (restart_failed), and the recipe it stopped runs again
    expect(run.outputs.outcome).toBe('failed')
    expect(jsonOutput(run, 'started-recipes')).toEqual([String(stoppedId)])
    expect(jsonOutput(run, 'stopped-recipes')).toEqual([])
    expect(prod.recipes!.find(r => r.id === stoppedId)?.running).toBe(true)
    expect(world.sim.rateLimited.length).toBeLessThanOrEqual(3)
    expect(visibleLog(run)).not.toContain('Could not list')
    // the tree: each of the 42 folders' lists asked for once
    const folderLists = calls(world.sim, '/api/folders?').map(r => r.url)
    expect(folderLists).toHaveLength(42)
    expect(new Set(folderLists).size).toBe(42)
    // the recipes: never with their code; each page once before and once after the import
    const recipeLists = calls(world.sim, '/api/recipes?').map(r => r.url)
    expect(recipeLists.every(url => url.includes('exclude_code=true'))).toBe(true)
    const pages = new Map<string, number>()
    for (const url of recipeLists) pages.set(url, (pages.get(url) ?? 0) + 1)
    // 41 subfolders of fewer than 100 recipes and a top folder of 120: 43 pages, read twice, and
    // the top folder's again to see the started recipe run
    expect(pages.size).toBe(43)
    expect(recipeLists).toHaveLength(43 * 2 + 2)
    expect(world.sim.callsBy('recipes', TARGET_TOKEN)).toBe(43 * 2 + 2 + 1)
  })
})

describe('what Workato says and does, read closely', () => {
  test('a custom connector’s connection is found by name and folder, though the target names the connector otherwise', async () => {
    world.sim.workspace('dev').manifests[MANIFEST_ID] = packageUsing([
      {
        name: 'Sync tickets',
        apps: [
          {
            provider: 'cicd_for_workato_connector_643443_1652105687',
            account: { name: 'Ticketing', folder: '' },
            custom: true
          }
        ]
      }
    ])
    world.sim.workspace('prod').connections = [
      {
        id: 77,
        application: 'cicd_for_workato_connector_881122_1700000000',
        name: 'Ticketing',
        folderId: FOLDER_ID,
        authorizationStatus: 'success'
      }
    ]
    const run = await world.run({ 'connection-check': 'fail' })
    expect(run.code).toBe(0)
    expect(world.sim.imports).toHaveLength(1)
    const statuses = jsonOutput(run, 'connections') as Array<{ name: string; status: string }>
    expect(item(statuses, 0)).toMatchObject({ name: 'Ticketing', status: 'authorized' })
  })

  test('a start acknowledged but not carried out is read back: still stopped, and said so', async () => {
    const prod = world.sim.workspace('prod')
    prod.recipes = [{ id: 501, name: 'Sync accounts', folderId: FOLDER_ID, running: true }]
    prod.startAcknowledgedOnly = ['501']
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [{ id: 501, import_result: 'restart_failed' }]
    }
    const run = await world.run({ 'restart-recipes': 'true' })
    expect(calls(world.sim, '/api/recipes/501/start')).toHaveLength(1)
    expect(jsonOutput(run, 'started-recipes')).toEqual([])
    expect(jsonOutput(run, 'stopped-recipes')).toEqual(['501'])
    expect(run.summary).toContain('start acknowledged, not running')
    expect(visibleLog(run)).toMatch(
      /Recipe 501 \("Sync accounts"\) is stopped .*start acknowledged, not running/
    )
  })

  test('a 400 whose reasons are per field shows them, and its advice follows them', async () => {
    await world.restart({ sim: { validationErrors: true } })
    const run = await world.run({ 'folder-id': RUNNING_FOLDER_ID })
    expect(run.code).toBe(1)
    const [error] = errorLines(run)
    expect(error).toContain('restart_recipes: Package contains running recipes')
    expect(error).toContain('set restart-recipes: true')
    expect(error).not.toContain('(folder-id)')
  })
})

test('a refused target token stops the run before anything is imported, though the export ran beside it', async () => {
  const w = await startWorld({ runner: 'in-process' })
  try {
    const run = await w.run({ 'target-token': 'not-the-target-token' })
    expect(run.code).toBe(1)
    expect(w.sim.importPosts).toEqual([])
    const [error] = errorLines(run)
    expect(error).toContain('Workato refused the target token (HTTP 401)')
    expect(run.summary).toContain('pre-flight')
  } finally {
    await w.stop()
  }
})
