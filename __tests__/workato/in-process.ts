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
import { newRecord, type RunRecord } from '../../src/workato/record.js'

export interface InProcess {
  readonly sim: WorkatoSimulator
  /** The runner's temporary folder of this test. */
  readonly temp: string
  /** The steps of the mode the inputs say (promote to the simulator, no artifact, by default). */
  run: (inputs?: Record<string, string>) => Promise<RunRecord>
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
  afterEach(async () => {
    await sim?.stop()
    sim = undefined
    await rm(temp, { recursive: true, force: true })
    process.env = { ...saved }
  })
  const current = (): WorkatoSimulator => {
    if (!sim) throw new Error('the simulator is used outside a test')
    return sim
  }
  return {
    get sim() {
      return current()
    },
    get temp() {
      return temp
    },
    run: async (inputs = {}) => {
      const all: Record<string, string> = {
        ...promoteInputs(current()),
        'upload-artifact': 'false',
        ...inputs
      }
      const config = parseInputs(name => all[name] ?? '', { RUNNER_TEMP: temp })
      const record = newRecord(config)
      await runSteps(config, record)
      return record
    }
  }
}
