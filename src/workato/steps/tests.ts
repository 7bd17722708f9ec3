/**
 * The test gate (run-tests): after an import that verified clean, the imported recipes' test
 * cases, read in the target, are run there; any test that did not succeed fails the job (and a
 * rollback follows, as for a failed import). Off by default: a step that is not mocked calls the
 * real app.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { mapPool } from '../../shared/pool.js'
import { oneLine, plural } from '../../shared/text.js'
import { pollUntilDone, WaitTimeout } from '../../shared/wait.js'
import type { ImportingConfig } from '../inputs.js'
import type { RunContext } from '../run-context.js'
import {
  getTestRun,
  MAX_CASES_PER_RUN,
  passed,
  startTestRun,
  testCasesOf,
  verdict,
  type TestCase,
  type TestRun
} from '../tests.js'

/** Recipes whose test cases are read at once. */
const PARALLEL_READS = 4
const RECIPE_ID = /^[1-9][0-9]{0,15}$/

export async function runTestsIfAsked(run: RunContext, config: ImportingConfig): Promise<void> {
  const record = run.record
  if (!config.runTests || record.failures.length > 0 || !record.import?.recipes) return
  record.stage = 'tests'
  const target = run.client('target')
  const recipeIds = [...new Set(record.import.recipes.map(r => r.id))].filter(id =>
    RECIPE_ID.test(id)
  )
  const cases = (await mapPool(recipeIds, PARALLEL_READS, id => testCasesOf(target, id))).flat()
  record.tests = { results: [], runs: [] }
  if (cases.length === 0) {
    record.failures.push(
      `No test case was found in the target for the ${plural(recipeIds.length, 'imported recipe')}, so ` +
        'nothing was tested (run-tests: true). Include test cases in the export manifest, or set ' +
        'include-test-cases: true with source-folder-id, or set run-tests: false.'
    )
    return
  }
  const names = record.recipeNames ?? new Map<string, string>()
  core.info(`Running ${plural(cases.length, 'test case')} of ${plural(recipeIds.length, 'recipe')}`)
  const runs: TestRun[] = []
  for (let i = 0; i < cases.length; i += MAX_CASES_PER_RUN) {
    const batch = cases.slice(i, i + MAX_CASES_PER_RUN)
    const started = await startTestRun(
      target,
      batch.map(c => c.id)
    )
    record.tests.runs.push(started.id)
    record.stage = 'wait for tests'
    runs.push(await waitForRun(run, started, batch))
  }
  const results = verdict(cases, names, runs)
  record.tests.results = results
  record.tests.coverage = runs.find(r => r.coverage)?.coverage
  const failed = results.filter(r => !passed(r))
  core.info(`Tests: ${results.length - failed.length} passed, ${failed.length} failed`)
  if (failed.length > 0) {
    const shown = failed
      .slice(0, 5)
      .map(r => `${r.recipe} / ${r.test_case} (${r.status})`)
      .join('; ')
    record.failures.push(
      `${failed.length} of ${plural(results.length, 'test')} did not succeed in the target: ${shown}` +
        `${failed.length > 5 ? `, and ${failed.length - 5} more` : ''}.`
    )
  }
}

/** Polls one run until `completed`; another status is named once and waited on. */
async function waitForRun(run: RunContext, started: TestRun, batch: TestCase[]): Promise<TestRun> {
  const target = run.client('target')
  const unknown = new Set<string>()
  const notice = (r: TestRun): void => {
    if (r.status === 'running' || r.status === 'completed' || unknown.has(r.status)) return
    unknown.add(r.status)
    core.warning(
      `Workato reports test run ${r.id} as "${oneLine(r.status, 60)}", a status the action does not ` +
        'know: waiting on as if it were running, until wait-timeout.'
    )
  }
  notice(started)
  if (started.status === 'completed') return started
  try {
    return await pollUntilDone(async deadline => {
      const now = await getTestRun(target, started.id, deadline)
      notice(now)
      return { done: now.status === 'completed', value: now }
    }, run.wait)
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error
    const last = (error.last as TestRun | undefined) ?? started
    const what =
      last.status === 'running'
        ? 'still running'
        : `"${oneLine(last.status, 60)}", a status the action does not know`
    throw new ActionError(
      `The test run ${started.id} (${plural(batch.length, 'test case')}) was ${what} after ` +
        `${Math.round(error.waitedMs / 1000)} s (wait-timeout): whether the tests pass is unknown, and ` +
        'they may still be running in the target workspace. Raise wait-timeout, or check the test run there.',
      'timed-out'
    )
  }
}
