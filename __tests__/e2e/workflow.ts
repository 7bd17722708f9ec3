/**
 * Plays a workflow from the README as GitHub would, as far as this action is concerned: one
 * workflow run per event in `on:`, jobs in `needs` order, each matrix leg as a job of its own,
 * `if:` evaluated, every step that uses the action under test run through its bundle with its `with:` block
 * (action.yml's defaults applied by the runner harness), `actions/download-artifact` served from
 * the run's artifact service, and `${{ }}` expressions resolved from secrets, vars, steps, needs,
 * matrix, env and github. Anything it cannot resolve fails loudly, so a new kind of expression in
 * the README is taught here instead of being guessed.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import type { ArtifactService } from '../../sim/artifact-service.js'
import { repoRoot, runAction, RUN_CONTEXT, type ActionRun } from '../../sim/runner.js'
import { artifactPackage, FAST_RETRIES } from './world.js'

export interface Step {
  id?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Job {
  if?: string
  needs?: string | string[]
  environment?: string | { name: string }
  strategy?: { matrix?: Record<string, unknown> }
  outputs?: Record<string, string>
  env?: Record<string, unknown>
  steps?: Step[]
}

export interface Workflow {
  name?: string
  on?: string | string[] | Record<string, unknown>
  env?: Record<string, unknown>
  concurrency?: unknown
  jobs: Record<string, Job & { concurrency?: unknown }>
}

/** One run of this action inside a played workflow. */
export interface ActionStep {
  job: string
  leg: Record<string, string>
  environment?: string
  step: Step
  inputs: Record<string, string>
  run: ActionRun
}

export interface World {
  /** The artifact service of this workflow run. */
  artifacts: ArtifactService
  event: Event
  /** The inputs that point this action at the simulator (hosts), over the example's own. */
  simulatorInputs: Record<string, string>
  secret(name: string, environment: string | undefined): string
  variable(name: string): string
  /** The action under test: which `uses:` it is, and the folder of its action.yml (default: the Workato action). */
  action?: { matches: (uses?: string) => boolean; dir?: string; env?: Record<string, string> }
  /** Files every job's workspace starts with: what its checkout and build steps would leave. */
  files?: Record<string, Buffer>
}

/** What GitHub sets for one trigger of a workflow. */
export interface Event {
  name: string
  ref: string
}

/** The events that start the workflow, each with the ref GitHub gives it. */
export function eventsOf(workflow: Workflow): Event[] {
  const on = workflow.on ?? 'push'
  const names = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on)
  return names.map(name => {
    const spec = (!Array.isArray(on) && typeof on === 'object' ? on[name] : undefined) as
      { tags?: string[] } | undefined
    if (name === 'pull_request') return { name, ref: 'refs/pull/7/merge' }
    if (name === 'push' && spec?.tags) return { name, ref: RUN_CONTEXT.GITHUB_REF }
    return { name, ref: 'refs/heads/main' }
  })
}

export const isOurs = (uses?: string): boolean =>
  !!uses && (uses === './' || /(^|\/)workato-promote@/.test(uses))

/** The README's ```yaml workflows with a step that `uses` the action `matches` picks, and their lines. */
export function readmeExamples(
  matches: (uses?: string) => boolean
): Array<{ text: string; line: number; workflow: Workflow }> {
  const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8')
  return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map(m => ({ text: m[1], line: readme.slice(0, m.index).split('\n').length + 1 }))
    .map(e => ({ ...e, workflow: parseWorkflow(e.text) }))
    .filter(e =>
      Object.values(e.workflow.jobs ?? {}).some(job => (job.steps ?? []).some(s => matches(s.uses)))
    )
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow
}

/** Job names in an order where every job comes after the jobs it needs. */
export function jobOrder(workflow: Workflow): string[] {
  const order: string[] = []
  const visit = (name: string, path: string[]): void => {
    if (order.includes(name)) return
    if (path.includes(name)) throw new Error(`needs cycle: ${[...path, name].join(' → ')}`)
    const job = workflow.jobs[name]
    if (!job) throw new Error(`job ${path[path.length - 1]} needs unknown job ${name}`)
    for (const need of [job.needs ?? []].flat()) visit(need, [...path, name])
    order.push(name)
  }
  for (const name of Object.keys(workflow.jobs)) visit(name, [])
  return order
}

/** The legs of a job's matrix (plain lists only), or one empty leg. */
export function matrixLegs(job: Job): Array<Record<string, string>> {
  let legs: Array<Record<string, string>> = [{}]
  for (const [key, values] of Object.entries(job.strategy?.matrix ?? {})) {
    if (!Array.isArray(values)) throw new Error(`matrix ${key}: only plain lists are played`)
    legs = legs.flatMap(leg => values.map(v => ({ ...leg, [key]: String(v) })))
  }
  return legs
}

interface Context {
  world: World
  github: Record<string, string>
  environment?: string
  matrix: Record<string, string>
  steps: Record<string, Record<string, string>>
  needs: Record<string, Record<string, string>>
  env: Record<string, string>
}

/** Resolves every `${{ … }}` in a value, the way the runner would before the step runs. */
export function resolve(value: unknown, context: Context): string {
  const text = typeof value === 'string' ? value : String(value)
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) =>
    evaluate(expression, context)
  )
}

function evaluate(expression: string, context: Context): string {
  const [head, ...rest] = expression.split('.')
  const path = rest.join('.')
  switch (head) {
    case 'secrets':
      return context.world.secret(path, context.environment)
    case 'vars':
      return context.world.variable(path)
    case 'matrix':
      return required(context.matrix[path], expression)
    case 'env':
      return required(context.env[path], expression)
    case 'github':
      return required(context.github[path], expression)
    case 'steps': {
      const [id, kind, name] = path.split('.')
      if (kind !== 'outputs') break
      return required(context.steps[id]?.[name], expression)
    }
    case 'needs': {
      const [job, kind, name] = path.split('.')
      if (kind !== 'outputs') break
      return required(context.needs[job]?.[name], expression)
    }
  }
  throw new Error(
    `the README uses \${{ ${expression} }}: teach the README-examples test what it means`
  )
}

function required(value: string | undefined, expression: string): string {
  if (value === undefined || value === '') {
    throw new Error(`\${{ ${expression} }} has no value when the workflow reaches it`)
  }
  return value
}

/** `if:` in the forms the README uses; anything else fails the play. */
export function condition(value: string | undefined, context: Pick<Context, 'github'>): boolean {
  if (value === undefined) return true
  const e = value.replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim()
  if (/^(always|success)\(\)$/.test(e)) return true
  let m = e.match(/^github\.event_name\s*(==|!=)\s*'([^']*)'$/)
  if (m) return (context.github.event_name === m[2]) === (m[1] === '==')
  m = e.match(/^startsWith\(github\.ref,\s*'([^']*)'\)$/)
  if (m) return context.github.ref.startsWith(m[1])
  throw new Error(`the README uses if: ${value}: teach the README-examples test what it means`)
}

function githubContext(event: Event): Record<string, string> {
  return {
    ...GITHUB,
    event_name: event.name,
    ref: event.ref,
    ref_name: event.ref.replace(/^refs\/(tags|heads)\//, '')
  }
}

const GITHUB: Record<string, string> = {
  sha: RUN_CONTEXT.GITHUB_SHA,
  actor: RUN_CONTEXT.GITHUB_ACTOR,
  repository: RUN_CONTEXT.GITHUB_REPOSITORY,
  run_id: RUN_CONTEXT.GITHUB_RUN_ID,
  run_attempt: RUN_CONTEXT.GITHUB_RUN_ATTEMPT
}

function environmentOf(job: Job, context: Omit<Context, 'environment'>): string | undefined {
  const env = job.environment
  if (env === undefined) return undefined
  return resolve(typeof env === 'string' ? env : env.name, context)
}

/**
 * Plays the workflow and returns every run of this action, in order. Steps that are neither this
 * action nor download-artifact only have their expressions resolved: an output they print that
 * was never set fails the play, as it would print nothing on GitHub.
 */
export async function playWorkflow(workflow: Workflow, world: World): Promise<ActionStep[]> {
  const played: ActionStep[] = []
  const jobOutputs: Record<string, Record<string, string>> = {}
  const github = githubContext(world.event)
  for (const name of jobOrder(workflow)) {
    const job = workflow.jobs[name]
    if (!condition(job.if, { github })) continue
    for (const [legIndex, leg] of matrixLegs(job).entries()) {
      const base = {
        world,
        github,
        matrix: leg,
        steps: {} as Record<string, Record<string, string>>,
        needs: jobOutputs,
        env: {} as Record<string, string>
      }
      const environment = environmentOf(job, base)
      const context: Context = { ...base, environment }
      for (const [k, v] of Object.entries({ ...workflow.env, ...job.env }))
        context.env[k] = resolve(v, context)
      const jobId = `${name}-${legIndex}`
      const files: Record<string, Buffer> = { ...world.files }
      const ours = world.action?.matches ?? isOurs
      for (const step of job.steps ?? []) {
        if (!condition(step.if, { github })) continue
        const stepEnv = Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(v, context)])
        )
        if (step.uses?.startsWith('actions/download-artifact@')) {
          const artifactName = resolve(step.with?.name, context)
          const artifact = world.artifacts.artifacts.find(a => a.name === artifactName)
          if (!artifact)
            throw new Error(`job ${name}: no artifact named ${artifactName} to download`)
          const inside = await artifactPackage(artifact)
          const dir = step.with?.path ? resolve(step.with.path, context) : '.'
          files[`${dir}/${inside.name}`] = inside.content
          continue
        }
        if (ours(step.uses)) {
          const inputs: Record<string, string> = {}
          for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = resolve(v, context)
          const run = await runAction({
            action: world.action?.dir,
            inputs: { ...inputs, ...world.simulatorInputs },
            files,
            env: {
              ...world.artifacts.env(jobId),
              ...(world.action?.env ?? FAST_RETRIES),
              GITHUB_JOB: name,
              GITHUB_EVENT_NAME: github.event_name,
              GITHUB_REF: github.ref,
              GITHUB_REF_NAME: github.ref_name,
              ...stepEnv
            }
          })
          played.push({ job: name, leg, environment, step, inputs, run })
          if (step.id) context.steps[step.id] = run.outputs
          continue
        }
        if (step.run) resolve(step.run, { ...context, env: { ...context.env, ...stepEnv } })
      }
      const outputs: Record<string, string> = {}
      for (const [k, v] of Object.entries(job.outputs ?? {})) outputs[k] = resolve(v, context)
      jobOutputs[name] = outputs
    }
  }
  return played
}
