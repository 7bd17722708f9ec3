/**
 * Plays a workflow from the README as GitHub would, as far as this action is concerned: one
 * workflow run per event in `on:`, jobs in `needs` order, each matrix leg as a job of its own,
 * `if:` evaluated, every step that uses the action under test run through its bundle with its `with:` block
 * (action.yml's defaults applied by the runner harness), `actions/download-artifact` served from
 * the run's artifact service, and `${{ }}` expressions evaluated by GitHub's own evaluator
 * (@actions/expressions) over the contexts GitHub offers at that place: secrets, vars, steps,
 * needs, matrix, env, inputs and github. An expression that does not parse, names a context the
 * player does not give there, or reads a value the run does not have fails loudly, so a new kind
 * of expression in the README is taught here instead of being guessed.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import type { FunctionDefinition } from '@actions/expressions/funcs/info'
import { truthy } from '@actions/expressions/result'
import { parse } from 'yaml'
import type { ArtifactService } from '../../sim/artifact-service.js'
import { repoRoot, runAction, RUN_CONTEXT, type ActionRun } from '../../sim/runner.js'
import { item } from '../checked.js'
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
    if (name === 'push' && spec?.tags) return { name, ref: runContext('GITHUB_REF') }
    return { name, ref: 'refs/heads/main' }
  })
}

export const isOurs = (uses?: string): boolean =>
  !!uses && (uses === './' || /(^|\/)workato-promote@/.test(uses))

/** The README's ```yaml workflows with a step that `uses` the action `matches` picks, and their lines. */
/** The Markdown files whose workflows are played: the README, the more patterns, the Torizon action's page. */
export const DOCUMENTED_WORKFLOWS = ['README.md', 'docs/workflows.md', 'torizon/README.md']

export function readmeExamples(
  matches: (uses?: string) => boolean,
  files: string[] = DOCUMENTED_WORKFLOWS
): Array<{ text: string; line: string; workflow: Workflow }> {
  return files.flatMap(file => {
    const readme = readFileSync(path.join(repoRoot(), file), 'utf8')
    return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map(m => ({
        text: item(m, 1),
        line: `${file}:${readme.slice(0, m.index).split('\n').length + 1}`
      }))
      .map(e => ({ ...e, workflow: parseWorkflow(e.text) }))
      .filter(e =>
        Object.values(e.workflow.jobs ?? {}).some(job =>
          (job.steps ?? []).some(s => matches(s.uses))
        )
      )
  })
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

/** The contexts an expression may read at one place of a workflow, by name, as evaluator data. */
type Contexts = Record<string, data.ExpressionData>

/** Plain values (texts and records of them) as the evaluator's data, by the package's own reviver. */
const toData = (value: unknown): data.ExpressionData =>
  JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData

/**
 * A context the test answers one name at a time (secrets, vars): it knows values by pattern, not
 * a list of every name, so this dictionary asks it whenever the evaluator reads a name.
 */
class AskedContext extends data.Dictionary {
  constructor(private readonly ask: (name: string) => string) {
    super()
  }

  override get(key: string): data.ExpressionData {
    return new data.StringData(this.ask(key))
  }
}

class NoValue extends Error {}

/**
 * GitHub's evaluator, except that reading a value the run does not have (an output never set, a
 * key no context holds) fails instead of giving '': on GitHub the README would pass a blank value
 * and the job would go on, and this test would not notice.
 */
class StrictEvaluator extends Evaluator {
  override visitIndexAccess(
    access: Parameters<Evaluator['visitIndexAccess']>[0]
  ): data.ExpressionData {
    const value = super.visitIndexAccess(access)
    if (value.kind === data.Kind.Null || (value.kind === data.Kind.String && value.value === ''))
      throw new NoValue()
    return value
  }
}

/**
 * The status functions of `if:` (the runner's, not the evaluator's). A played run goes on only
 * while every step succeeds (the tests then fail on the step that did not), so they answer as for
 * a job with nothing failed or cancelled.
 */
const status = (name: string, answer: boolean): FunctionDefinition => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(answer)
})
const STATUS_FUNCTIONS = [
  status('success', true),
  status('always', true),
  status('failure', false),
  status('cancelled', false)
]
const STATUS = new Map(STATUS_FUNCTIONS.map(f => [f.name, f]))

/** One expression (the text inside `${{ }}`, or a whole `if:`) evaluated over `contexts`. */
function evaluate(expression: string, contexts: Contexts): data.ExpressionData {
  let tree
  try {
    const { tokens } = new Lexer(expression).lex()
    tree = new Parser(tokens, Object.keys(contexts), STATUS_FUNCTIONS).parse()
  } catch (error) {
    throw new Error(
      `the README uses \${{ ${expression} }}: ${(error as Error).message} (contexts given here: ` +
        `${Object.keys(contexts).join(', ')}): fix it, or teach the README-examples test what it means`
    )
  }
  const context = new data.Dictionary(
    ...Object.entries(contexts).map(([key, value]) => ({ key, value }))
  )
  try {
    return new StrictEvaluator(tree, context, STATUS).evaluate()
  } catch (error) {
    if (!(error instanceof NoValue)) throw error
    throw new Error(`\${{ ${expression} }} has no value when the workflow reaches it`)
  }
}

type Part = { text: string } | { expression: string }

/**
 * A value's text and its `${{ }}` expressions, split where the runner splits them: the first `}}`
 * outside a '…' string closes an expression (`''` inside a string is a quote, and toggles twice).
 */
function templateParts(value: string): Part[] {
  const parts: Part[] = []
  let at = 0
  for (let open = value.indexOf('${{'); open >= 0; open = value.indexOf('${{', at)) {
    if (open > at) parts.push({ text: value.slice(at, open) })
    let close = -1
    let quoted = false
    for (let i = open + 3; i < value.length - 1 && close < 0; i++) {
      if (value[i] === "'") quoted = !quoted
      else if (!quoted && value.startsWith('}}', i)) close = i
    }
    if (close < 0) throw new Error(`the README has a \${{ that never closes: ${value}`)
    parts.push({ expression: value.slice(open + 3, close).trim() })
    at = close + 2
  }
  if (at < value.length) parts.push({ text: value.slice(at) })
  return parts
}

/** Resolves every `${{ … }}` in a value, the way the runner would before the step runs. */
export function resolve(value: unknown, contexts: Contexts): string {
  const text = typeof value === 'string' ? value : String(value)
  return templateParts(text)
    .map(part => {
      if ('text' in part) return part.text
      const result = evaluate(part.expression, contexts)
      if (!result.primitive)
        throw new Error(`\${{ ${part.expression} }} is an object or a list where text goes`)
      return result.coerceString()
    })
    .join('')
}

/** Whether an `if:` holds: one expression, with or without `${{ }}`, as GitHub reads it. */
export function condition(value: unknown, contexts: Contexts): boolean {
  if (value === undefined) return true
  const text = scalarText(value, 'if:').trim()
  const parts = templateParts(text)
  const [only] = parts
  if (parts.length === 1 && only && 'expression' in only)
    return truthy(evaluate(only.expression, contexts))
  // Text around a `${{ }}` makes the whole a non-empty string on GitHub: always true.
  if (parts.some(part => 'expression' in part))
    throw new Error(`if: ${text} mixes text and \${{ }}: GitHub would take it as always true`)
  return truthy(evaluate(text, contexts))
}

function githubContext(
  event: Event
): Record<string, string> & { event_name: string; ref: string; ref_name: string } {
  return {
    ...GITHUB,
    event_name: event.name,
    ref: event.ref,
    ref_name: event.ref.replace(/^refs\/(tags|heads)\//, '')
  }
}

/** A variable the runner sets for every step (sim/runner.ts): the test fails if it is not there. */
function runContext(name: string): string {
  const value = RUN_CONTEXT[name]
  if (value === undefined) throw new Error(`sim/runner.ts sets no ${name}`)
  return value
}

/** A YAML scalar as the text GitHub reads (an `if: true` is the text "true"); a map is a mistake. */
function scalarText(value: unknown, where: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new Error(`${where} ${JSON.stringify(value)} is not a scalar`)
}

const GITHUB: Record<string, string> = {
  sha: runContext('GITHUB_SHA'),
  actor: runContext('GITHUB_ACTOR'),
  repository: runContext('GITHUB_REPOSITORY'),
  run_id: runContext('GITHUB_RUN_ID'),
  run_attempt: runContext('GITHUB_RUN_ATTEMPT')
}

/** The `inputs` context: a manual run started with every input at its default. */
function inputsOf(workflow: Workflow, event: Event): Record<string, unknown> {
  const on = workflow.on
  if (event.name !== 'workflow_dispatch' || typeof on !== 'object' || Array.isArray(on)) return {}
  const declared = (on.workflow_dispatch as { inputs?: Record<string, { default?: unknown }> })
    ?.inputs
  return Object.fromEntries(
    Object.entries(declared ?? {})
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, input.default])
  )
}

function environmentOf(job: Job, contexts: Contexts): string | undefined {
  const env = job.environment
  if (env === undefined) return undefined
  return resolve(typeof env === 'string' ? env : env.name, contexts)
}

const resolveAll = (values: Record<string, unknown> | undefined, contexts: Contexts) =>
  Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, resolve(v, contexts)]))

/** What a later job's `needs` sees of a job. */
interface JobResult {
  result: 'success' | 'skipped'
  outputs: Record<string, string>
}

/**
 * Plays the workflow and returns every run of this action, in order. Steps that are neither this
 * action nor download-artifact only have their expressions resolved: an output they print that
 * was never set fails the play, as it would print nothing on GitHub. Each place gets the contexts
 * GitHub's context availability gives it (no `secrets` in `if:`, no `steps` before a step runs).
 */
export async function playWorkflow(workflow: Workflow, world: World): Promise<ActionStep[]> {
  const played: ActionStep[] = []
  const results: Record<string, JobResult> = {}
  const github = githubContext(world.event)
  const vars = new AskedContext(name => world.variable(name))
  const inputsContext = toData(inputsOf(workflow, world.event))
  for (const name of jobOrder(workflow)) {
    const job = workflow.jobs[name]
    if (!job) throw new Error(`jobOrder named ${name}, which the workflow has not`)
    const needs = toData(
      Object.fromEntries(
        [job.needs ?? []]
          .flat()
          .map(need => [need, results[need] ?? { result: 'skipped', outputs: {} }])
      )
    )
    const jobLevel: Contexts = { github: toData(github), needs, vars, inputs: inputsContext }
    if (!condition(job.if, jobLevel)) {
      results[name] = { result: 'skipped', outputs: {} }
      continue
    }
    for (const [legIndex, leg] of matrixLegs(job).entries()) {
      const legLevel: Contexts = { ...jobLevel, matrix: toData(leg) }
      const environment = environmentOf(job, legLevel)
      const secrets = new AskedContext(secret => world.secret(secret, environment))
      const env = {
        ...resolveAll(workflow.env, {
          github: toData(github),
          secrets,
          vars,
          inputs: inputsContext
        }),
        ...resolveAll(job.env, { ...legLevel, secrets })
      }
      const steps: Record<
        string,
        { outputs: Record<string, string>; outcome: string; conclusion: string }
      > = {}
      const stepLevel = (more: Record<string, string>, withSecrets = true): Contexts => ({
        ...legLevel,
        env: toData({ ...env, ...more }),
        steps: toData(steps),
        ...(withSecrets ? { secrets } : {})
      })
      const jobId = `${name}-${legIndex}`
      const files: Record<string, Buffer> = { ...world.files }
      const ours = world.action?.matches ?? isOurs
      for (const step of job.steps ?? []) {
        if (!condition(step.if, stepLevel({}, false))) continue
        const stepEnv = resolveAll(step.env, stepLevel({}))
        const contexts = stepLevel(stepEnv)
        let outputs: Record<string, string> = {}
        if (step.uses?.startsWith('actions/download-artifact@')) {
          const artifactName = resolve(step.with?.name, contexts)
          const artifact = world.artifacts.artifacts.find(a => a.name === artifactName)
          if (!artifact)
            throw new Error(`job ${name}: no artifact named ${artifactName} to download`)
          const inside = await artifactPackage(artifact)
          const dir = step.with?.path ? resolve(step.with.path, contexts) : '.'
          files[`${dir}/${inside.name}`] = inside.content
        } else if (ours(step.uses)) {
          const inputs = resolveAll(step.with, contexts)
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
          outputs = run.outputs
        } else if (step.run) {
          resolve(step.run, contexts)
        }
        if (step.id) steps[step.id] = { outputs, outcome: 'success', conclusion: 'success' }
      }
      results[name] = { result: 'success', outputs: resolveAll(job.outputs, stepLevel({})) }
    }
  }
  return played
}
