/**
 * Runs an action's platform in this process the way sim/runner.ts runs its bundle in a child: the
 * same INPUT_* variables (action.yml's defaults under the step's values), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, RUNNER_TEMP and the workspace as the working folder, and the same
 * ActionRun back, so the e2e helpers (errorLines, leaks, hasStackTrace) read it alike. A run costs
 * tens of milliseconds instead of a process and a bundle load: logic belongs here, and only what
 * the bundle alone can prove (action.yml wiring, the entry point, signals) stays in e2e/.
 *
 * The process is shared, so everything a run changes is put back: the environment, the working
 * folder, process.exitCode and stdout.
 */
import * as core from '@actions/core'
import { jest } from '@jest/globals'
import { prepareStep, type ActionRun, type RunOptions } from '../sim/runner.js'
import { identifyAs } from '../src/shared/http/request.js'
import { runOnce, type Ended, type Platform } from '../src/shared/run.js'

/** What a step is given, as sim/runner.ts takes it (its folders are removed by cleanupRuns). */
export type InProcessOptions = Pick<RunOptions, 'inputs' | 'action' | 'env' | 'files' | 'prepare'>

/** The run as the e2e tests see it, and the record the platform ended with (undefined: inputs refused). */
export type InProcessRun<R> = ActionRun & { record: R | undefined }

export async function runInProcess<C, R extends Ended>(
  platform: Platform<C, R>,
  options: InProcessOptions
): Promise<InProcessRun<R>> {
  const { runnerTemp, workspace, env, written } = await prepareStep(options)

  const saved = { env: process.env, cwd: process.cwd(), exitCode: process.exitCode }
  let stdout = ''
  let stderr = ''
  const text = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  // both streams, as a child's would be read: the leak scan and stack check look at each
  const writes = [
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      stdout += text(chunk)
      return true
    }),
    jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      stderr += text(chunk)
      return true
    })
  ]
  // only what a runner would give the step: no INPUT_* or knob of an earlier run leaks in
  process.env = env
  process.chdir(workspace)
  process.exitCode = undefined
  // @actions/core keeps the summary file's path from its first write: this run has its own
  Object.assign(core.summary, { _filePath: undefined, _buffer: '' })
  identifyAs(platform.name)
  const started = Date.now()
  let record: R | undefined
  let code: number
  try {
    record = await runOnce(platform)
  } finally {
    code = Number(process.exitCode ?? 0)
    process.exitCode = saved.exitCode
    process.chdir(saved.cwd)
    process.env = saved.env
    for (const write of writes) write.mockRestore()
  }
  return {
    code,
    signal: null,
    stdout,
    stderr,
    ...(await written()),
    runnerTemp,
    workspace,
    ms: Date.now() - started,
    record
  }
}
