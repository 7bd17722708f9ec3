/**
 * Workato's Test Automation API as a release gate (../shared/workato-api.md, "Test Automation"):
 * a recipe's test cases, a run request and its results, and the verdict. Only `running` and
 * `completed` (a run) and `succeeded` (a test) are attested; anything else is not a pass. Every
 * id is the server's: checked before it reaches a path, a request body, a log line or an output.
 */
import { ActionError } from '../shared/errors.js'
import { oneLine } from '../shared/text.js'
import type { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'

/** A test case or run id as it may be used: Workato's are `citc-…` and `cirr-…`. */
const WORKATO_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/
/** Workato's own limit: 100 test cases a recipe. */
const MAX_CASES_PER_RECIPE = 100
/** Workato's limit for one run request. */
export const MAX_CASES_PER_RUN = 500

export interface TestCase {
  id: string
  name: string
  recipeId: string
}

/** One test of the run, as the `test-results` output lists it. */
export interface TestResult {
  recipe_id: string
  recipe: string
  test_case_id: string
  test_case: string
  /** Workato's word, or `missing` when the completed run had no result for this test. */
  status: string
  job_id?: string
}

export function passed(result: TestResult): boolean {
  return result.status === 'succeeded'
}

/** GET /api/recipes/{id}/test_cases: `{data: [...]}`, or a single object (accepted too). */
export async function testCasesOf(client: WorkatoClient, recipeId: string): Promise<TestCase[]> {
  const body = await client.getJson(routes.testCases(recipeId), {
    call: `the list of test cases of recipe ${recipeId} (target workspace)`,
    notFound: `Recipe ${recipeId} has no test case list in the target workspace`
  })
  const data = body.data
  const rows = Array.isArray(data) ? data : data && typeof data === 'object' ? [data] : []
  return rows.slice(0, MAX_CASES_PER_RECIPE).flatMap(row => {
    const { id, name } = (row ?? {}) as { id?: unknown; name?: unknown }
    if (typeof id !== 'string' || !WORKATO_ID.test(id)) return []
    return [{ id, name: shown(name) || id, recipeId }]
  })
}

/** A run request as Workato describes it. */
export interface TestRun {
  id: string
  status: string
  results: unknown[]
  coverage?: string
}

/** POST /api/test_cases/run_requests: sent once (resent only when a 429 proves it refused). */
export async function startTestRun(client: WorkatoClient, ids: string[]): Promise<TestRun> {
  const body = await client.postObject(
    routes.runTests(),
    { test_case_ids: ids },
    {
      call: `the run of ${ids.length} test case${ids.length === 1 ? '' : 's'} (target workspace)`,
      notFound: 'Workato has no Test Automation API at this host',
      forbidden:
        'its API client lacks the Test automation privileges (list test cases, run test cases, ' +
        'get run details) in the target workspace. Add them to its role, or set run-tests: false.',
      leftBehind:
        'The tests may be running in the target workspace: check its test runs before rerunning.'
    }
  )
  return readRun(body, 'the start of the test run')
}

/** GET /api/test_cases/run_requests/{id}. */
export async function getTestRun(
  client: WorkatoClient,
  id: string,
  deadline?: Parameters<WorkatoClient['getJson']>[2]
): Promise<TestRun> {
  const body = await client.getJson(
    routes.testRun(id),
    {
      call: `the status check of test run ${id}`,
      notFound: `Test run ${id} was not found in the target workspace`
    },
    deadline
  )
  const run = readRun(body, `the status check of test run ${id}`)
  if (run.id !== id) {
    throw new ActionError(
      `Workato answered the status check of test run ${id} with test run ${run.id}; refusing to go on.`
    )
  }
  return run
}

function readRun(body: Record<string, unknown>, call: string): TestRun {
  const data = (body.data ?? body) as Record<string, unknown>
  const { id, status, results, coverage } = data
  if (typeof id !== 'string' || !WORKATO_ID.test(id) || typeof status !== 'string') {
    throw new ActionError(
      `Workato's answer to ${call} has no ${typeof status === 'string' ? 'usable test run id' : 'status'}; ` +
        'refusing to guess what the tests did.'
    )
  }
  const value =
    coverage && typeof coverage === 'object' ? (coverage as { value?: unknown }).value : coverage
  return {
    id,
    status,
    results: Array.isArray(results) ? results : [],
    coverage: typeof value === 'number' || typeof value === 'string' ? shown(value) : undefined
  }
}

/**
 * Every test asked for, with its result: a test with no result in a completed run is `missing`,
 * never a pass; results for tests not asked for are left out.
 */
export function verdict(asked: TestCase[], recipeNames: Map<string, string>, runs: TestRun[]) {
  const byCase = new Map<string, { status: string; job?: string; recipe?: string }>()
  for (const run of runs) {
    for (const result of run.results) {
      const r = (result ?? {}) as Record<string, unknown>
      const testCase = (r.test_case ?? {}) as { id?: unknown }
      const job = (r.job ?? {}) as { id?: unknown }
      const recipe = (r.recipe ?? {}) as { name?: unknown }
      if (typeof testCase.id !== 'string') continue
      byCase.set(testCase.id, {
        recipe: shown(recipe.name) || undefined,
        status: typeof r.status === 'string' ? shown(r.status) || 'unknown' : 'unknown',
        job: typeof job.id === 'number' || typeof job.id === 'string' ? shown(job.id) : undefined
      })
    }
  }
  return asked.map((c): TestResult => {
    const got = byCase.get(c.id)
    return {
      recipe_id: c.recipeId,
      recipe: recipeNames.get(c.recipeId) ?? got?.recipe ?? `Recipe ${c.recipeId}`,
      test_case_id: c.id,
      test_case: c.name,
      status: got?.status ?? 'missing',
      ...(got?.job ? { job_id: got.job } : {})
    }
  })
}

function shown(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? oneLine(String(value), 100) : ''
}
