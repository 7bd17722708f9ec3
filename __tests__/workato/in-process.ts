/**
 * What the in-process tests of the steps share: a simulator and a runner folder per test, the
 * test knobs that keep retries and quota windows short, and a run of the steps from inputs.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, jest } from '@jest/globals'
import { promoteInputs, twoWorkspaces } from '../../sim/scenario.js'
import type { WorkatoSimulator } from '../../sim/workato.js'
import { runSteps } from '../../src/workato/flow.js'
import { parseInputs } from '../../src/workato/inputs.js'
import type { Config } from '../../src/workato/inputs.js'
import { newRecord, type RunRecord } from '../../src/workato/record.js'
import { RunContext } from '../../src/workato/run-context.js'

export interface InProcess {
  readonly sim: WorkatoSimulator
  /** The runner's temporary folder of this test. */
  readonly temp: string
  /** The steps of the mode the inputs say (promote to the simulator, no artifact, by default). */
  run: (inputs?: Record<string, string>) => Promise<RunRecord>
  /**
   * What one step is given: the run's context (clients, budgets, deadline) for these inputs, its
   * config and its record, for a test of that step alone. Stopped when the test ends.
   */
  context: (inputs?: Record<string, string>) => {
    run: RunContext
    config: Config
    record: RunRecord
  }
}

/** `prepare` shapes each test's simulator once it runs (jobs, folders, contents). */
export function useInProcess(prepare: (sim: WorkatoSimulator) => void = () => {}): InProcess {
  let sim: WorkatoSimulator | undefined
  let temp = ''
  const saved = { ...process.env }
  beforeAll(() => {
    // quiet: the steps log through @actions/core, which writes to stdout
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterAll(() => {
    jest.restoreAllMocks()
  })
  beforeEach(async () => {
    temp = await mkdtemp(path.join(os.tmpdir(), 'steps-'))
    Object.assign(process.env, {
      RUNNER_TEMP: temp,
      WORKATO_PROMOTE_RETRY_BASE_MS: '20',
      WORKATO_PROMOTE_QUOTA_WINDOW_MS: '300'
    })
    sim = await twoWorkspaces().start()
    prepare(sim)
  })
  const contexts: RunContext[] = []
  afterEach(async () => {
    for (const run of contexts.splice(0)) run.stop(new Error('the test has ended'))
    await sim?.stop()
    sim = undefined
    await rm(temp, { recursive: true, force: true })
    process.env = { ...saved }
  })
  const current = (): WorkatoSimulator => {
    if (!sim) throw new Error('the simulator is used outside a test')
    return sim
  }
  const configOf = (inputs: Record<string, string>): Config => {
    const all: Record<string, string> = {
      ...promoteInputs(current()),
      'upload-artifact': 'false',
      ...inputs
    }
    // a test of package-dir sets GITHUB_WORKSPACE; the others resolve paths from the cwd
    const workspace = process.env.GITHUB_WORKSPACE
    return parseInputs(name => all[name] ?? '', {
      RUNNER_TEMP: temp,
      ...(workspace ? { GITHUB_WORKSPACE: workspace } : {})
    })
  }
  return {
    get sim() {
      return current()
    },
    get temp() {
      return temp
    },
    run: async (inputs = {}) => {
      const config = configOf(inputs)
      const record = newRecord(config)
      await runSteps(config, record)
      return record
    },
    context: (inputs = {}) => {
      const config = configOf(inputs)
      const record = newRecord(config)
      const run = new RunContext(config, record)
      contexts.push(run)
      return { run, config, record }
    }
  }
}
