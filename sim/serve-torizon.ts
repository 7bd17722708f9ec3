/**
 * `npm run simulator:torizon`: the Torizon simulator left running, for the self-test workflow
 * and for running torizon/dist/index.js by hand against it. Ctrl-C stops it.
 *
 * It listens on two free loopback ports (the token endpoint and the API are two hosts, as in
 * Torizon Cloud) and prints their URLs as `token-url=` and `api-url=` lines, in the
 * GITHUB_OUTPUT format, so a workflow step can hand them to the action's inputs as they are.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { inputVariable, readActionYml, repoRoot, runnerInputs } from './runner.js'
import { TorizonSimulator } from './torizon.js'

// The simulator's own API client and fleets (public, not secrets); self-test.yml uses the same.
const CLIENT_ID = 'self-test-client'
const CLIENT_SECRET = 'self-test-secret-3b8e1f6a9c2d'
const FLEETS: [string, string] = [
  '0b1f6a52-3c9e-4d7a-9f21-7e5c8d4b2a10',
  'f4e3d2c1-b0a9-4876-9543-210fedcba987'
]

const sim = await new TorizonSimulator({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  fleets: FLEETS
}).start()

console.log('Torizon simulator, token endpoint and API:')
console.log(`token-url=${sim.tokenUrl}`)
console.log(`api-url=${sim.baseUrl}`)
console.log(`fleets: ${FLEETS.join(', ')}\n`)

// A file to publish, so the command below works as printed.
const dir = mkdtempSync(path.join(os.tmpdir(), 'torizon-sim-'))
const file = path.join(dir, 'docker-compose.yml')
writeFileSync(file, 'services:\n  app:\n    image: registry.example.com/acme/app:1.4.0\n')
const given = {
  'client-id': CLIENT_ID,
  'client-secret': CLIENT_SECRET,
  'token-url': sim.tokenUrl,
  'api-url': sim.baseUrl,
  'package-path': file,
  'package-name': 'acme-app',
  'package-version': '1.4.0',
  'fleet-id': FLEETS[0]
}
// Every input torizon/action.yml declares, defaults included, as the runner passes them.
// Their names keep their hyphens (INPUT_CLIENT-ID), which a shell cannot export: use env.
const inputs = runnerInputs(readActionYml(path.join(repoRoot(), 'torizon')).inputs, given)
console.log('In another shell, from the repository, run the action against it:\n')
console.log('env RUNNER_TEMP=$(mktemp -d) GITHUB_OUTPUT=$(mktemp) GITHUB_STEP_SUMMARY=$(mktemp) \\')
for (const [name, value] of Object.entries(inputs))
  console.log(`  '${inputVariable(name)}=${value}' \\`)
console.log('  node torizon/dist/index.js\n')
console.log('Ctrl-C stops the simulator.')

const stop = async (): Promise<void> => {
  await sim.stop()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
