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
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { jest } from '@jest/globals'
import {
  inputVariable,
  parseOutputs,
  readActionYml,
  repoRoot,
  RUN_CONTEXT,
  runnerInputs,
  type ActionRun
} from '../sim/runner.js'
import { identifyAs } from '../src/shared/http/request.js'
import { runOnce, type Ended, type Platform } from '../src/shared/run.js'

export interface InProcessOptions {
  /** The step's `with:` values, as the runner passes them: strings. */
  inputs: Record<string, string>
  /** The folder holding the action.yml whose inputs are declared (default: the repository root). */
  action?: string
  env?: Record<string, string>
  /** Files to put in the workspace before the run (path relative to it → bytes). */
  files?: Record<string, Buffer | string>
  /** Called with the runner's folders after the files are written, before the action starts. */
  prepare?: (dirs: { runnerTemp: string; workspace: string }) => Promise<void>
}

/** The run as the e2e tests see it, and the record the platform ended with (undefined: inputs refused). */
export type InProcessRun<R> = ActionRun & { record: R | undefined }

const created: string[] = []

/** Removes the runner folders of every run so far (the tests read them until then). */
export async function cleanupInProcess(): Promise<void> {
  await Promise.all(created.splice(0).map(dir => fs.rm(dir, { recursive: true, force: true })))
}

export async function runInProcess<C, R extends Ended>(
  platform: Platform<C, R>,
  options: InProcessOptions
): Promise<InProcessRun<R>> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'in-process-'))
  created.push(base)
  const runnerTemp = path.join(base, 'temp')
  const workspace = path.join(base, 'workspace')
  await fs.mkdir(runnerTemp)
  await fs.mkdir(workspace)
  for (const [relative, bytes] of Object.entries(options.files ?? {})) {
    await fs.mkdir(path.dirname(path.join(workspace, relative)), { recursive: true })
    await fs.writeFile(path.join(workspace, relative), bytes)
  }
  await options.prepare?.({ runnerTemp, workspace })
  const outputFile = path.join(base, 'output')
  const summaryFile = path.join(base, 'summary.md')
  await fs.writeFile(outputFile, '')
  await fs.writeFile(summaryFile, '')

  const env: Record<string, string> = {
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...RUN_CONTEXT
  }
  const action = readActionYml(options.action ?? repoRoot())
  for (const [name, value] of Object.entries(runnerInputs(action.inputs, options.inputs))) {
    env[inputVariable(name)] = value
  }
  Object.assign(env, options.env)

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
  process.env = { PATH: saved.env.PATH ?? '', HOME: saved.env.HOME ?? base, ...env }
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
    outputs: parseOutputs(await fs.readFile(outputFile, 'utf8')),
    summary: await fs.readFile(summaryFile, 'utf8'),
    runnerTemp,
    workspace,
    ms: Date.now() - started,
    record
  }
}
