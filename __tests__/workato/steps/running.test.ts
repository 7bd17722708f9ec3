/** The running-recipes step alone: what ran before the import runs after it. */
import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID } from '../../../sim/scenario.js'
import type { PromoteConfig } from '../../../src/workato/inputs.js'
import { keepRunning, recipesBefore } from '../../../src/workato/steps/running.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess()
const SUB = '62'
const starts = () => steps.sim.requests.filter(r => r.method === 'PUT').map(r => r.url)
const recipe = (id: number) => steps.sim.workspace('prod').recipes?.find(r => r.id === id)

beforeEach(() => {
  const prod = steps.sim.workspace('prod')
  prod.subfolders = [{ id: SUB, name: 'Jobs', parentId: FOLDER_ID }]
  prod.recipes = [
    { id: 501, name: 'Sync accounts', folderId: FOLDER_ID, running: true },
    { id: 502, name: 'Notify on failure', folderId: SUB, running: true },
    { id: 503, name: 'Nightly export', folderId: FOLDER_ID, running: false }
  ]
})

/** The recipes before, then the import's effect played by hand: it stopped `stopped`. */
async function importStopped(stopped: number[], inputs: Record<string, string> = {}) {
  const { run, config, record } = steps.context(inputs)
  const before = await recipesBefore(run, config as PromoteConfig)
  for (const id of stopped) {
    const r = recipe(id)
    if (r) r.running = false
  }
  record.stage = 'verify'
  await keepRunning(run, config as PromoteConfig, before)
  return { before, record }
}

describe('recipesBefore and keepRunning', () => {
  test('the folder and its subfolders are read before; what the import stopped is started again', async () => {
    const { before, record } = await importStopped([501, 502])
    const read = before?.map(r => [r.id, r.running, r.folderId]) ?? []
    expect(read.sort()).toEqual([
      ['501', true, FOLDER_ID],
      ['502', true, SUB],
      ['503', false, FOLDER_ID]
    ])
    expect(starts().sort()).toEqual(['/api/recipes/501/start', '/api/recipes/502/start'])
    expect(record.running?.started.map(r => r.id).sort()).toEqual(['501', '502'])
    expect(record.running?.refused).toEqual([])
    expect([recipe(501)?.running, recipe(502)?.running, recipe(503)?.running]).toEqual([
      true,
      true,
      false
    ])
    // the stage is the verdict's again once the restarts are done
    expect(record.stage).toBe('verify')
    expect(record.recipeNames?.get('502')).toBe('Notify on failure')
  })

  test('a start Workato refuses (200, success: false) is kept with its reasons, not retried', async () => {
    steps.sim.workspace('prod').refuseStart = {
      '501': { code_errors: [], config_errors: [[1, [['account_id', 7, 'unconnected', {}]]]] }
    }
    const { record } = await importStopped([501])
    expect(record.running?.refused.map(r => [r.id, r.why])).toEqual([
      ['501', 'step 1: account_id unconnected']
    ])
    expect(starts()).toEqual(['/api/recipes/501/start'])
  })

  test('keep-running: false reads nothing and starts nothing', async () => {
    const { before, record } = await importStopped([501], { 'keep-running': 'false' })
    expect(before).toBeUndefined()
    expect(steps.sim.callsBy('recipes')).toBe(0)
    expect(starts()).toEqual([])
    expect(record.running).toBeUndefined()
  })
})
