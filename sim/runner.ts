/**
 * Runs the built action (dist/index.js) the way a GitHub runner does: inputs as INPUT_*
 * variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a RUNNER_TEMP folder.
 */
import { spawn } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

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
  inputs: Record<string, string>
  env?: Record<string, string>
  /** Called with the child once it runs (to signal it, say). */
  onSpawn?: (
    child: import('node:child_process').ChildProcess,
    dirs: { runnerTemp: string; workspace: string }
  ) => void
  timeoutMs?: number
  /** Files to put in the workspace before the run (path relative to it → bytes). */
  files?: Record<string, Buffer | string>
  /** Echo the action's output as it runs (the demo). */
  echo?: boolean
  entry?: string
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

export async function runAction(options: RunOptions): Promise<ActionRun> {
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
    GITHUB_ACTIONS: 'true'
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  Object.assign(env, options.env)

  const entry = options.entry ?? path.join(repoRoot(), 'dist', 'index.js')
  const started = Date.now()
  const [command, ...args] = [...(options.wrapper ?? []), process.execPath, entry]
  const child = spawn(command, args, {
    env,
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  options.onSpawn?.(child, { runnerTemp, workspace })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk
    if (options.echo) process.stdout.write(chunk)
  })
  child.stderr.on('data', (chunk: Buffer) => {
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
    outputs: parseOutputs(await fs.readFile(outputFile, 'utf8')),
    summary: await fs.readFile(summaryFile, 'utf8'),
    runnerTemp,
    workspace,
    ms: Date.now() - started
  }
}

/** GITHUB_OUTPUT uses `name<<delimiter` blocks (and `name=value` lines from older writers). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const block = lines[i].match(/^([^=<]+)<<(.+)$/)
    if (block) {
      const end = lines.indexOf(block[2], i + 1)
      outputs[block[1]] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    const simple = lines[i].match(/^([^=]+)=(.*)$/)
    if (simple) outputs[simple[1]] = simple[2]
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
    const text = command
      ? `${command[1][0].toUpperCase()}${command[1].slice(1)}: ${decodeCommandValue(command[2])}`
      : line
    shown.push(masks.reduce((t, m) => t.split(m).join('***'), text))
  }
  return shown.join('\n')
}

function decodeCommandValue(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
