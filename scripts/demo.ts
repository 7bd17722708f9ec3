/**
 * `npm run demo [-- scenario]`: a promotion against the local Workato simulator and the artifact
 * stand-in, running dist/index.js as a runner would, then its outputs and job summary. The
 * scenario picks the day: `promote` (the default) goes well; the others set the simulator up for
 * a bad one (SCENARIOS).
 */
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ArtifactService } from '../sim/artifact-service.js'
import { cleanupRuns, renderLikeRunner, runAction } from '../sim/runner.js'
import { FOLDER_ID, MANIFEST_ID, promoteInputs, twoWorkspaces } from '../sim/scenario.js'
import type { WorkatoSimulator } from '../sim/workato.js'
import { packageUsing, samplePackage } from '../sim/zip.js'

interface Scenario {
  /** The demo's first line: what happens today, and how the job ends. */
  day: string
  inputs?: Record<string, string>
  /** Runs after the demo's own job pacing is set, so a day can change it. */
  setUp?: (sim: WorkatoSimulator) => void
  /**
   * The outcome of the failure this day shows. Then the demo succeeds when the action fails
   * that way: a day that is meant to go wrong is not a failing command. Without it, the demo's
   * exit code is the run's.
   */
  fails?: string
}

/** The target folder as an earlier release left it, for a snapshot to hold. */
const earlierRelease = (sim: WorkatoSimulator): void => {
  sim.workspace('prod').folderContents = {
    [FOLDER_ID]: samplePackage(['Sync accounts', 'Notify on failure'], 0)
  }
}

export const SCENARIOS = {
  promote: {
    day: `Scenario promote: manifest ${MANIFEST_ID} goes into folder ${FOLDER_ID} of the target; every recipe imports cleanly and the job succeeds`
  },
  'failed-recipe': {
    day:
      `Scenario failed-recipe: folder ${FOLDER_ID} runs the last release; the import reports recipe "Notify on failure" (502) ` +
      'as stopped and Workato refuses to start it again; the job fails and names it',
    inputs: { 'restart-recipes': 'true' },
    setUp: sim => {
      const prod = sim.workspace('prod')
      // the recipes the package updates, running, so the import's results name recipes the
      // target's lists know
      prod.recipes = [
        { id: 501, name: 'Sync accounts', folderId: FOLDER_ID, running: true },
        { id: 502, name: 'Notify on failure', folderId: FOLDER_ID, running: true },
        { id: 503, name: 'Nightly export', folderId: FOLDER_ID, running: true }
      ]
      sim.importScripts.push({
        recipeStatus: [
          { id: 501, import_result: 'restarted' },
          { id: 502, import_result: 'stopped' },
          { id: 503, import_result: 'restarted' }
        ]
      })
      // Workato leaves a recipe stopped for errors in it: starting it again is refused for them
      prod.refuseStart = {
        '502': {
          code_errors: [],
          config_errors: [[1, [['account_id', 32148, 'unconnected', { provider: 'rest' }]]]]
        }
      }
    },
    fails: 'failed'
  },
  'rolled-back': {
    day:
      `Scenario rolled-back: folder ${FOLDER_ID} holds an earlier release and snapshot is on; the import fails, ` +
      'so the snapshot is imported back; the job fails, outcome rolled-back',
    inputs: { snapshot: 'true' },
    setUp: sim => {
      earlierRelease(sim)
      sim.importScripts.push({
        outcome: 'failed',
        error: 'Recipe "Nightly export" calls a recipe that is not in the package'
      })
    },
    fails: 'rolled-back'
  },
  'timed-out': {
    day:
      'Scenario timed-out: the import never finishes; past wait-timeout (3 s) the job fails, outcome timed-out, ' +
      'and says the import may still be running in Workato',
    inputs: { 'wait-timeout': '3' },
    setUp: sim => {
      // only the import is meant to run past the deadline: the export finishes at once
      sim.exportScript = { ...sim.exportScript, runningChecks: 0 }
      sim.importScripts.push({ runningChecks: 1_000_000 })
    },
    fails: 'timed-out'
  },
  plan: {
    day:
      `Scenario plan: mode plan with a snapshot of folder ${FOLDER_ID}, which holds an earlier release; ` +
      'the plan output says what an import would add and change, and nothing is imported',
    inputs: { mode: 'plan', snapshot: 'true' },
    setUp: earlierRelease
  },
  unpack: {
    day:
      `Scenario unpack: manifest ${MANIFEST_ID} is exported and written into package-dir workato/release file by ` +
      'file, with its index, for a pull request; the changes output is its body; nothing is imported',
    inputs: { mode: 'unpack', 'package-dir': 'workato/release' }
  },
  connections: {
    day:
      'Scenario connections: the recipes use connection "SFDC Prod", not authorized in the target, and "Ops Slack", ' +
      'which the target lacks; connection-check warn: a warning for each, and the import goes on',
    inputs: { 'connection-check': 'warn' },
    setUp: sim => {
      sim.workspace('dev').manifests[MANIFEST_ID] = packageUsing([
        {
          name: 'Sync accounts',
          apps: [{ provider: 'salesforce', account: { name: 'SFDC Prod', folder: 'Integrations' } }]
        },
        {
          name: 'Notify on failure',
          apps: [{ provider: 'slack', account: { name: 'Ops Slack', folder: '' } }]
        }
      ])
      const prod = sim.workspace('prod')
      prod.subfolders = [{ id: '61', name: 'Integrations', parentId: FOLDER_ID }]
      prod.connections = [
        {
          id: 1,
          application: 'salesforce',
          name: 'SFDC Prod',
          folderId: '61',
          authorizationStatus: 'failed'
        }
      ]
    }
  }
} satisfies Record<string, Scenario>

export type ScenarioName = keyof typeof SCENARIOS

export function isScenario(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name)
}

export interface DemoResult {
  /** The demo's exit code (see Scenario.fails). */
  code: number
  /** The action's own exit code. */
  runCode: number | null
  outcome: string | undefined
  /** Everything the demo printed. */
  stdout: string
  summary: string
}

export interface DemoOptions {
  /** Called with each block of output as it is ready (the command line prints it). */
  print?: (text: string) => void
  /** More environment for the action (a test speeds its clock up). */
  env?: Record<string, string>
}

export async function runDemo(name: ScenarioName, options: DemoOptions = {}): Promise<DemoResult> {
  const scenario: Scenario = SCENARIOS[name]
  const printed: string[] = []
  const say = (text: string): void => {
    printed.push(text)
    options.print?.(text)
  }
  say(scenario.day)
  const sim = await twoWorkspaces().start()
  const artifacts = await new ArtifactService().start()
  try {
    // Jobs that take a few status checks, as real ones do.
    sim.exportScript = {
      ...sim.exportScript,
      runningChecks: 2,
      runningStatuses: ['in_progress', 'processing']
    }
    sim.importScript = { ...sim.importScript, runningChecks: 1 }
    scenario.setUp?.(sim)
    say(`Workato simulator: API ${sim.apiUrl}, storage ${sim.storageUrl}`)
    say(`Artifact service stand-in: ${artifacts.url}`)
    const run = await runAction({
      inputs: promoteInputs(sim, scenario.inputs),
      env: { ...artifacts.env(), ...options.env }
    })

    say('\n--- step log, as the runner shows it (masks applied, debug lines hidden)')
    say(renderLikeRunner(run.stdout + run.stderr).trim())
    say(`--- exit code ${run.code} after ${run.ms} ms`)

    say('\n--- outputs (GITHUB_OUTPUT)')
    for (const [output, value] of Object.entries(run.outputs)) say(`${output} = ${value}`)

    say('\n--- job summary (GITHUB_STEP_SUMMARY)')
    say(run.summary.trim())

    say('\n--- what the services received')
    for (const a of artifacts.artifacts.filter(a => a.finalized)) {
      say(`artifact "${a.name}" (id ${a.id}): ${a.blobSize} bytes, ${a.declaredHash}`)
    }
    for (const i of sim.imports) {
      say(
        `import into folder ${i.folderId} of "${i.workspace}": ${i.size} bytes, sha256 ${i.sha256}`
      )
    }
    const storage = sim.requests.filter(r => r.host === 'storage')
    const withAuth = storage.filter(r => r.headers.authorization).length
    say(`storage host: ${storage.length} download(s), ${withAuth} with an Authorization header`)

    const outcome = run.outputs.outcome
    let code = run.code ?? 1
    if (scenario.fails) {
      const asExpected = run.code !== 0 && outcome === scenario.fails
      say(
        asExpected
          ? `\n--- the action failed, as this scenario expects (exit code ${run.code})`
          : `\n--- this scenario expects the action to fail with outcome ${scenario.fails}; ` +
              `it ended with exit code ${run.code}, outcome ${outcome ?? '(none)'}`
      )
      code = asExpected ? 0 : 1
    }
    return { code, runCode: run.code, outcome, stdout: printed.join('\n'), summary: run.summary }
  } finally {
    await artifacts.stop()
    await sim.stop()
    await cleanupRuns()
  }
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'promote'
  if (!isScenario(name)) {
    console.error(`Unknown scenario "${name}". Scenarios:`)
    for (const [known, s] of Object.entries(SCENARIOS)) {
      console.error(`  ${known}: ${s.day.replace(/^Scenario [\w-]+: /, '')}`)
    }
    process.exitCode = 2
    return
  }
  const { code } = await runDemo(name, { print: text => console.log(text) })
  process.exitCode = code
}

// imported by its test, the demo must not run
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main()
}
