/**
 * `npm run demo`: a full promotion against the local Workato simulator and the artifact
 * stand-in, running dist/index.js as a runner would, then its outputs and job summary.
 */
import { ArtifactService } from '../sim/artifact-service.js'
import { cleanupRuns, renderLikeRunner, runAction } from '../sim/runner.js'
import { promoteInputs, twoWorkspaces } from '../sim/scenario.js'

const sim = await twoWorkspaces().start()
const artifacts = await new ArtifactService().start()
// Jobs that take a few status checks, as real ones do.
sim.exportScript = {
  ...sim.exportScript,
  runningChecks: 2,
  runningStatuses: ['in_progress', 'processing']
}
sim.importScript = { ...sim.importScript, runningChecks: 1 }
try {
  console.log(`Workato simulator: API ${sim.apiUrl}, storage ${sim.storageUrl}`)
  console.log(`Artifact service stand-in: ${artifacts.url}`)
  const run = await runAction({ inputs: promoteInputs(sim), env: artifacts.env() })

  console.log('\n--- step log, as the runner shows it (masks applied, debug lines hidden)')
  console.log(renderLikeRunner(run.stdout + run.stderr).trim())
  console.log(`--- exit code ${run.code} after ${run.ms} ms`)

  console.log('\n--- outputs (GITHUB_OUTPUT)')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name} = ${value}`)

  console.log('\n--- job summary (GITHUB_STEP_SUMMARY)')
  console.log(run.summary.trim())

  console.log('\n--- what the services received')
  for (const a of artifacts.artifacts.filter(a => a.finalized)) {
    console.log(`artifact "${a.name}" (id ${a.id}): ${a.blobSize} bytes, ${a.declaredHash}`)
  }
  for (const i of sim.imports) {
    console.log(
      `import into folder ${i.folderId} of "${i.workspace}": ${i.size} bytes, sha256 ${i.sha256}`
    )
  }
  const storage = sim.requests.filter(r => r.host === 'storage')
  const withAuth = storage.filter(r => r.headers.authorization).length
  console.log(
    `storage host: ${storage.length} download(s), ${withAuth} with an Authorization header`
  )
  process.exitCode = run.code ?? 1
} finally {
  await artifacts.stop()
  await sim.stop()
  await cleanupRuns()
}
