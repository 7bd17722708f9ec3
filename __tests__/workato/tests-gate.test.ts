/**
 * The test gate's details, the whole action in process: when it runs, batches, statuses nobody
 * documented, missing results, ids the server should not have sent, the quota it counts in.
 * Through the bundle: e2e/tests-gate.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { MANIFEST_ID, TARGET_TOKEN } from '../../sim/scenario.js'
import { samplePackage } from '../../sim/zip.js'
import { errorLines, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })
const gate = { 'run-tests': 'true' }
const prod = () => world.sim.workspace('prod')
const testCalls = () =>
  world.sim.requests.filter(r => /\/test_cases|\/test_cases\/run_requests/.test(r.url))

describe('run-tests in process', () => {
  test('only where something is imported: modes export and plan refuse it before any request', async () => {
    const run = await world.run({ ...gate, mode: 'export' })

    expect(errorLines(run)).toEqual([
      "::error::Input 'run-tests' is used in modes promote and import, after the import (not in mode export)"
    ])
    expect(world.sim.requests).toEqual([])
  })

  test('a failed import is not tested: its failure is the verdict', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }]
    world.sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(testCalls()).toEqual([])
    expect(run.outputs['test-results']).toBeUndefined()
  })

  test('600 test cases: two run requests, 500 and 100, every test judged', async () => {
    world.sim.workspace('dev').manifests[MANIFEST_ID] = samplePackage(
      ['A', 'B', 'C', 'D', 'E', 'F'],
      1
    )
    prod().testCasesPerRecipe = Array.from({ length: 100 }, (_, i) => ({ name: `case ${i}` }))
    const run = await world.run(gate)

    expect(run.code).toBe(0)
    expect(world.sim.testRunPosts.map(ids => ids.length)).toEqual([500, 100])
    expect(JSON.parse(run.outputs['test-results'] ?? '[]')).toHaveLength(600)
    // every call of the gate is counted in the Test Automation quota
    expect(world.sim.callsBy('tests', TARGET_TOKEN)).toBe(testCalls().length)
  })

  test('a run status nobody documented: named once, waited on, then judged when completed', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }]
    prod().testRunStatus = 'queued'
    prod().testRunChecks = 3
    const run = await world.run(gate)

    expect(run.code).toBe(0)
    const named = run.stdout.split('\n').filter(l => l.includes('"queued"'))
    expect(named).toEqual([
      expect.stringMatching(
        /^::warning::Workato reports test run cirr-[0-9a-f]+ as "queued", a status the action does not know: waiting on as if it were running, until wait-timeout\.$/
      )
    ])
  })

  test('a completed run without a result for a test asked for: that test is missing, not passed', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }, { name: 'Lost', status: null }]
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(run.outputs['failed-tests']).toBe('3')
    expect(errorLines(run).at(-1)).toContain('/ Lost (missing)')
  })

  test('ids that could be anything are dropped, and then nothing is tested: a failure', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }]
    world.sim.fault(
      'testCases',
      { kind: 'json', body: { data: [{ id: '../../packages/1', name: 'x' }] } },
      3
    )
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain('No test case was found in the target')
    expect(world.sim.testRunPosts).toEqual([])
  })

  test('running recipes are kept running whatever the tests said', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path', status: 'failed' }]
    const recipes = (prod().recipes ??= [])
    recipes.push({ id: 555, name: 'Live one', folderId: '34', running: true })
    world.sim.importScripts.push({
      recipeStatus: [{ id: 555, import_result: 'restarted' }]
    })
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(run.outputs['failed-tests']).toBe('1')
    // the gate stops nothing, and keep-running still looked: nothing was left stopped
    expect(recipes.find(r => r.id === 555)?.running).toBe(true)
    expect(run.outputs['stopped-recipes']).toBe('[]')
  })
})
