/**
 * Runs a built action the way a GitHub runner does: every input action.yml declares as an
 * INPUT_* variable (its default, or '' when it has none, under the step's own values), the
 * GITHUB_* variables of a run, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a RUNNER_TEMP folder,
 * and the entry point action.yml names.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { group } from './checked.js'

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
  workspace: string
  ms: number
}

export interface RunOptions {
  /** The step's `with:` values, as the runner passes them: strings. */
  inputs: Record<string, string>
  /** The folder holding the action.yml to run (default: the repository root). */
  action?: string
  env?: Record<string, string>
  /** Called with the child once it runs (to signal it, say). */
  onSpawn?: (
    child: import('node:child_process').ChildProcess,
    dirs: { runnerTemp: string; workspace: string }
  ) => void
  timeoutMs?: number
  /** Files to put in the workspace before the run (path relative to it → bytes). */
  files?: Record<string, Buffer | string>
  /** Called with the runner's folders after the files are written, before the action starts. */
  prepare?: (dirs: { runnerTemp: string; workspace: string }) => Promise<void>
  /** Echo the action's output as it runs (the demo). */
  echo?: boolean
  /** A command to run node under, such as ['/usr/bin/time', '-v']. */
  wrapper?: string[]
}

export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error('package.json not found above sim/')
    dir = up
  }
  return dir
}

const created: string[] = []

/** Removes the runner folders of every run so far (the tests read them until then). */
export async function cleanupRuns(): Promise<void> {
  await Promise.all(created.splice(0).map(dir => fs.rm(dir, { recursive: true, force: true })))
}

/** What a step is given before it starts: its folders, its files, and its environment. */
export interface PreparedStep {
  runnerTemp: string
  workspace: string
  /** RUNNER_TEMP, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, the run's GITHUB_*, INPUT_*. */
  env: Record<string, string>
  /** The entry point action.yml names. */
  main: string
  /** The outputs and summary the step wrote, read once it has ended. */
  written: () => Promise<Pick<ActionRun, 'outputs' | 'summary'>>
}

/**
 * A step's set-up as a runner makes it: a RUNNER_TEMP and a workspace (with `files`, then
 * `prepare`), empty GITHUB_OUTPUT and summary files, and every input action.yml declares as an
 * INPUT_* variable, its default under the step's values. Both runners (a child process here, the
 * test's own process in __tests__/in-process-runner.ts) start from it.
 */
export async function prepareStep(
  options: Pick<RunOptions, 'inputs' | 'action' | 'env' | 'files' | 'prepare'>
): Promise<PreparedStep> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-'))
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
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? base,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...RUN_CONTEXT
  }
  const dir = options.action ?? repoRoot()
  const action = readActionYml(dir)
  for (const [name, value] of Object.entries(runnerInputs(action.inputs, options.inputs))) {
    env[inputVariable(name)] = value
  }
  Object.assign(env, options.env)
  return {
    runnerTemp,
    workspace,
    env,
    main: path.join(dir, action.main),
    written: async () => ({
      outputs: parseOutputs(await fs.readFile(outputFile, 'utf8')),
      summary: await fs.readFile(summaryFile, 'utf8')
    })
  }
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const { runnerTemp, workspace, env, main, written } = await prepareStep(options)
  const started = Date.now()
  const [command, ...args] = [...(options.wrapper ?? []), process.execPath, main]
  const child = spawn(command, args, {
    env,
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  options.onSpawn?.(child, { runnerTemp, workspace })
  let stdout = ''
  let stderr = ''
  // decoded as a stream: a character split between two chunks is kept whole
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk
    if (options.echo) process.stdout.write(chunk)
  })
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
    if (options.echo) process.stderr.write(chunk)
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(timer)
  return {
    code,
    signal,
    stdout,
    stderr,
    ...(await written()),
    runnerTemp,
    workspace,
    ms: Date.now() - started
  }
}

/** What a runner sets for every step of a run on a release tag (a first attempt). */
export const RUN_CONTEXT: Readonly<Record<string, string>> = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/workato-release',
  GITHUB_REF: 'refs/tags/v1.4.0',
  GITHUB_REF_NAME: 'v1.4.0',
  GITHUB_SHA: '3f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a098',
  GITHUB_ACTOR: 'release-bot',
  GITHUB_RUN_ID: '16000000001',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'promote',
  GITHUB_WORKFLOW: 'Promote to production',
  GITHUB_EVENT_NAME: 'push',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64'
}

export interface ActionYml {
  inputs: Record<string, { default?: unknown }>
  main: string
}

/** The inputs and entry point of the action.yml in `dir`. */
export function readActionYml(dir: string = repoRoot()): ActionYml {
  const yml = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown } | null>
    runs: { main: string }
  }
  const inputs: ActionYml['inputs'] = {}
  for (const [name, input] of Object.entries(yml.inputs ?? {})) inputs[name] = input ?? {}
  return { inputs, main: yml.runs.main }
}

/**
 * The inputs a runner hands a step: every declared input, its default (or '' when it has none)
 * unless the step gives a value; values the step gives for undeclared inputs are passed too (the
 * runner only warns about them).
 */
export function runnerInputs(
  declared: Record<string, { default?: unknown }>,
  given: Record<string, string>
): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const [name, input] of Object.entries(declared)) {
    inputs[name] =
      input.default === undefined || input.default === null ? '' : scalar(input.default)
  }
  return { ...inputs, ...given }
}

/** The runner's name for an input's variable: spaces to underscores, upper case. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** GITHUB_OUTPUT uses `name<<delimiter` blocks (and `name=value` lines from older writers). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  // one iterator for both loops: a block's lines are taken by the inner one, up to its delimiter
  const lines = text.split('\n')[Symbol.iterator]()
  for (const line of lines) {
    const block = line.match(/^([^=<]+)<<(.+)$/)
    if (block) {
      const delimiter = group(block, 2)
      const value: string[] = []
      for (const next of lines) {
        if (next === delimiter) break
        value.push(next)
      }
      outputs[group(block, 1)] = value.join('\n')
      continue
    }
    const simple = line.match(/^([^=]+)=(.*)$/)
    if (simple) outputs[group(simple, 1)] = group(simple, 2)
  }
  return outputs
}

/**
 * The log as a runner shows it: masks applied and registered silently, debug lines hidden
 * (they show only with step debugging on), annotations as "Error:" and "Warning:" lines.
 */
export function renderLikeRunner(stdout: string): string {
  const masks: string[] = []
  const shown: string[] = []
  for (const line of stdout.split('\n')) {
    const mask = line.match(/^::add-mask::(.*)$/)
    if (mask) {
      if (mask[1]) masks.push(decodeCommandValue(mask[1]))
      continue
    }
    if (line.startsWith('::debug::')) continue
    const command = line.match(/^::(error|warning|notice)(?: [^:]*)?::(.*)$/)
    let text = line
    if (command) {
      const kind = group(command, 1)
      text = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}: ${decodeCommandValue(group(command, 2))}`
    }
    shown.push(masks.reduce((t, m) => t.split(m).join('***'), text))
  }
  return shown.join('\n')
}

function decodeCommandValue(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** A YAML default as the runner passes it: a scalar's text (a map or a list has none in action.yml). */
function scalar(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new Error(`action.yml: a default that is not a scalar: ${JSON.stringify(value)}`)
}
