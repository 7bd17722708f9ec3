/**
 * `npm run simulator`: the Workato simulator and the artifact stand-in, left running so the
 * action can be run by hand (or with @github/local-action) against them. Ctrl-C stops them.
 */
import { ArtifactService } from './artifact-service.js'
import { inputVariable, readActionYml, runnerInputs } from './runner.js'
import { promoteInputs, twoWorkspaces } from './scenario.js'

// Fixed ports when asked (the self-test workflow), any free ones otherwise.
const sim = await twoWorkspaces({
  apiPort: Number(process.env.SIM_API_PORT ?? 0),
  storagePort: Number(process.env.SIM_STORAGE_PORT ?? 0)
}).start()
const artifacts = await new ArtifactService().start()
sim.exportScript = { ...sim.exportScript, runningChecks: 2 }

console.log(`Workato simulator API on ${sim.apiUrl} (storage host ${sim.storageUrl})`)
console.log(`Artifact service stand-in on ${artifacts.url}\n`)
// Every input action.yml declares, as the runner passes them (defaults included). Input names
// keep their hyphens (INPUT_SOURCE-HOST), which a shell cannot export: use env.
const declared = readActionYml().inputs
const vars = { ...prefixed(runnerInputs(declared, promoteInputs(sim))), ...artifacts.env() }
console.log('In another shell, from the repository, run the action against them:\n')
console.log('env RUNNER_TEMP=$(mktemp -d) GITHUB_OUTPUT=$(mktemp) GITHUB_STEP_SUMMARY=$(mktemp) \\')
for (const [name, value] of Object.entries(vars)) console.log(`  '${name}=${value}' \\`)
console.log('  node dist/index.js\n')
console.log('Ctrl-C stops the simulator.')

function prefixed(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariable(k), v]))
}

const stop = async (): Promise<void> => {
  await artifacts.stop()
  await sim.stop()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
