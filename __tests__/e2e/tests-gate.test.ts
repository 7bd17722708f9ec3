/**
 * The test gate (run-tests) through the built bundle: the imported recipes' test cases run in the
 * target after a clean import, and anything but `succeeded` fails the job. The gate's details
 * run in process: __tests__/workato/tests-gate.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { samplePackage } from '../../sim/zip.js'
import { jsonOutput } from './run-values.js'
import { errorLines, hasStackTrace, useWorld } from './world.js'

const world = useWorld()
const gate = { 'run-tests': 'true' }
const prod = () => world.sim.workspace('prod')

describe('run-tests', () => {
  test('every test succeeds: the job passes, each test reported, failed-tests 0', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }, { name: 'Empty input' }]
    const run = await world.run(gate)

    expect(errorLines(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs['failed-tests']).toBe('0')
    const results = jsonOutput(run, 'test-results') as Array<Record<string, string>>
    // three recipes imported, two test cases each, run in one request
    expect(results).toHaveLength(6)
    expect(results.every(r => r.status === 'succeeded')).toBe(true)
    expect(results[0]).toMatchObject({
      test_case_id: expect.stringMatching(/^citc-\d+-1$/),
      test_case: 'Happy path',
      recipe_id: expect.stringMatching(/^\d+$/)
    })
    expect(world.sim.testRunPosts).toHaveLength(1)
    expect(world.sim.testRunPosts[0]).toHaveLength(6)
    expect(run.summary).toContain('### Tests: 6 passed, 0 failed')
    expect(run.summary).toContain('Coverage, as Workato reports it: 80.')
  })

  test('one test fails: the job fails, with an annotation naming recipe and test, and the output', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }]
    // the import's recipes get ids 12340 on in the simulator
    prod().testCases = { '12341': [{ name: 'Refund over limit', status: 'failed' }] }
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(run.outputs['failed-tests']).toBe('1')
    const errors = errorLines(run)
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^::error title=Test Refund over limit failed::Test "Refund over limit" of recipe .+ \(12341\) did not succeed: status "failed", job \d+\./
      )
    )
    expect(errors.at(-1)).toContain(
      '1 of 3 tests did not succeed in the target: Notify on failure / Refund over limit (failed).'
    )
    expect(run.summary).toContain('### Tests: 2 passed, 1 failed')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('a failed test with a snapshot: rolled back as a failed import is', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path', status: 'failed' }]
    // an earlier release, for the snapshot to restore
    prod().folderContents = { [FOLDER_ID]: samplePackage(['Sync accounts'], 0) }
    const run = await world.run({ ...gate, 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('rolled-back')
    expect(run.stdout).toContain('::warning::The tests failed; importing the snapshot')
    expect(world.sim.importPosts).toHaveLength(2)
  })

  test('no test case for any imported recipe: a failure that says how to fix it', async () => {
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain(
      'No test case was found in the target for the 3 imported recipes, so nothing was tested ' +
        '(run-tests: true). Include test cases in the export manifest, or set include-test-cases: ' +
        'true with source-folder-id, or set run-tests: false.'
    )
    expect(world.sim.testRunPosts).toEqual([])
  })

  test('a result status nobody documented: not a pass', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path', status: 'skipped' }]
    const run = await world.run(gate)

    expect(run.code).toBe(1)
    expect(run.outputs['failed-tests']).toBe('3')
    expect(errorLines(run).at(-1)).toContain('3 of 3 tests did not succeed in the target:')
    expect(errorLines(run).at(-1)).toContain('(skipped)')
  })

  test('the run never completes: timed-out at wait-timeout, the tests may still be running', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }]
    prod().testRunChecks = 1_000_000
    const run = await world.run(
      { ...gate, 'wait-timeout': '2' },
      { env: { WORKATO_PROMOTE_CLOCK_SCALE: '0.1' } }
    )

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('timed-out')
    expect(errorLines(run).at(-1)).toMatch(
      /The test run cirr-[0-9a-f]+ \(3 test cases\) was still running after \d+ s \(wait-timeout\): whether the tests pass is unknown/
    )
  })

  test('a 429 on the run request: sent again once it proves it was refused, never twice otherwise', async () => {
    prod().testCasesPerRecipe = [{ name: 'Happy path' }]
    world.sim.fault('runTests', {
      kind: 'status',
      status: 429,
      body: '{"message":"Too many requests"}',
      headers: { 'Retry-After': '0' }
    })
    const run = await world.run(gate)

    expect(run.code).toBe(0)
    const posts = world.sim.requests.filter(
      r => r.method === 'POST' && r.url === '/api/test_cases/run_requests'
    )
    expect(posts).toHaveLength(2)
    expect(world.sim.testRunPosts).toHaveLength(1)
  })
})
