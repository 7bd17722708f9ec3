/**
 * `npm run demo:torizon`: the Torizon action against the local Torizon simulator, run as a runner
 * would (torizon/dist/index.js, torizon/action.yml's defaults): a publish with a roll-out to a
 * staging fleet, then the same release again, which finds the package already published.
 */
import { ArtifactService } from '../sim/artifact-service.js'
import { cleanupRuns, renderLikeRunner, repoRoot, runAction } from '../sim/runner.js'
import { TorizonSimulator } from '../sim/torizon.js'

const STAGING = '0b1f6a52-3c9e-4d7a-9f21-7e5c8d4b2a10'
const PRODUCTION = 'f4e3d2c1-b0a9-4876-9543-210fedcba987'
const sim = await new TorizonSimulator({
  clientId: 'demo-client',
  clientSecret: 'demo-secret-4f7b2c9e1a',
  fleets: [STAGING, PRODUCTION]
}).start()
const artifacts = await new ArtifactService().start()
const compose = 'services:\n  app:\n    image: registry.example.com/acme/app:1.4.0\n'
try {
  console.log(`Torizon simulator: token endpoint ${sim.tokenUrl}, API ${sim.baseUrl}`)
  for (const [title, fleet] of [
    ['publish 1.4.0, roll out to staging', STAGING],
    ['the same release again, rolled out to production', PRODUCTION]
  ] as const) {
    const run = await runAction({
      action: `${repoRoot()}/torizon`,
      files: { 'docker-compose.yml': compose },
      inputs: {
        'client-id': 'demo-client',
        'client-secret': 'demo-secret-4f7b2c9e1a',
        'token-url': sim.tokenUrl,
        'api-url': sim.baseUrl,
        'package-path': 'docker-compose.yml',
        'package-name': 'acme-app',
        'package-version': '1.4.0',
        'fleet-id': fleet
      },
      env: artifacts.env()
    })
    console.log(`\n=== ${title}`)
    console.log('--- step log, as the runner shows it')
    console.log(renderLikeRunner(run.stdout + run.stderr).trim())
    console.log(`--- exit code ${run.code} after ${run.ms} ms`)
    console.log('--- outputs')
    for (const [name, value] of Object.entries(run.outputs)) console.log(`${name} = ${value}`)
    console.log('--- job summary')
    console.log(run.summary.trim())
    if (run.code !== 0) process.exitCode = 1
  }
  console.log('\n--- what Torizon Cloud holds')
  for (const p of sim.packages) {
    console.log(
      `${p.packageId}: ${p.bytes.length} bytes, sha256 ${p.sha256}, hardware ${p.hardwareIds.join(', ')}`
    )
  }
  for (const u of sim.updates) console.log(`update: ${JSON.stringify(u)}`)
} finally {
  await artifacts.stop()
  await sim.stop()
  await cleanupRuns()
}
